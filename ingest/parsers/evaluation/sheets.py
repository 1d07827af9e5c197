"""Layout 2 of :mod:`ingest.parsers.selfeval`: scoring sheets whose converted
rows are shifted, read by kind of cell."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.parsers.evaluation.model import EvalTable, Indicator, as_number, cells_of, is_number
from ingest.parsers.evaluation.standard import find_title, header_map, is_total_label, table_scope
from ingest.text import normalize_label
from ingest.vocabularies import selfeval_header

# ---------------------------------------------------------------------------
# 2. scoring sheets (shifted cells)

_EXPLANATION = re.compile(r"^(反映|根据|检查|部门\(单位\)|1\.|\d+\.)")
_STEM_SUFFIX = re.compile(r"(管理|指标|情况|效能|效率|效益|控制|成本)$")


def is_name_cell(text: str) -> bool:
    """A short label, not an explanation or a rule sentence."""
    return (bool(text) and not is_number(text) and len(text) <= 20
            and not _EXPLANATION.match(text) and not any(p in text for p in "。；;:："))


def is_long_text(text: str) -> bool:
    return bool(text) and not is_number(text) and not is_name_cell(text)


@dataclass
class SheetRow:
    labels: list[str]
    name: str | None
    weight: Decimal | None
    score: Decimal | None
    text: str
    line: int
    cells: tuple


def read_sheet_row(cells: list[str], line: int, cols: dict[str, int]) -> SheetRow:
    texts = [normalize_label(c) for c in cells]
    aligned = all(k in cols and cols[k] < len(texts) for k in ("level3", "weight", "score"))
    if aligned and is_name_cell(texts[cols["level3"]]) and is_number(texts[cols["weight"]]):
        labels = [texts[cols[k]] for k in ("level1", "level2") if k in cols and texts[cols[k]]]
        labels = [t for t in labels if not is_number(t)]
        return SheetRow(labels, texts[cols["level3"]], as_number(texts[cols["weight"]]),
                        as_number(texts[cols["score"]]), "".join(texts), line, tuple(texts))
    labels, numbers, name = [], [], None
    for t in texts:
        if not t:
            continue
        if is_number(t):
            numbers.append(as_number(t))
        elif not numbers and is_name_cell(t):
            labels.append(t)
        else:
            if numbers and name is None and is_name_cell(t):
                name = t
            break
    if name is None and labels and not numbers:
        name, labels = labels[-1], labels[:-1]
    elif name is None and labels:
        name, labels = labels[-1], labels[:-1]
    weight = numbers[0] if numbers else None
    score = numbers[1] if len(numbers) > 1 else None
    return SheetRow(labels, name, weight, score, "".join(texts), line, tuple(texts))


def stem(label: str) -> str:
    s = _STEM_SUFFIX.sub("", label)
    return s if len(s) >= 2 else label


def is_trailer(row: SheetRow) -> bool:
    """A row without explanation text: displaced labels, totals."""
    return not any(is_long_text(t) for t in row.cells)


def parse_scoring_sheet(lines: list[str], header: int, floor: int) -> tuple[EvalTable, int]:
    title_idx, title = find_title(lines, header, floor)
    table = EvalTable("scoring_sheet", table_scope(title or "整体"), None, title_idx + 1)
    cols = header_map(cells_of(lines[header]), selfeval_header("scoring_sheet"))
    if "level3" in cols:
        cols["weight"] = cols["level3"] + 1
    rows, i = [], header + 1
    while i < len(lines) and (not lines[i].strip() or len(cells_of(lines[i])) >= 3):
        if lines[i].strip():
            row = read_sheet_row(cells_of(lines[i]), i + 1, cols)
            if not (rows and rows[-1].cells == row.cells):  # else a converter duplicate
                rows.append(row)
        i += 1
    cut = len(rows)
    while cut > 0 and is_trailer(rows[cut - 1]):
        cut -= 1
    body = [r for r in rows[:cut] if r.name or r.weight is not None]
    build_sheet_indicators(table, body)
    attach_trailer(table, rows[cut:])
    return table, i


def build_sheet_indicators(table: EvalTable, rows: list[SheetRow]) -> None:
    l1 = l2 = None
    for row in rows:
        if len(row.labels) >= 2:
            l1, l2 = row.labels[0], row.labels[1]
            printed2 = True
        elif len(row.labels) == 1:
            l1, l2, printed2 = row.labels[0], None, False
        else:
            printed2 = False
            if l2 and row.text.strip() and not_about(row, l2):
                l2 = None
        table.indicators.append(Indicator(table.scope, None, l1, l2, row.name, None, None,
                                          row.weight, row.score, row.line, level2_printed=printed2))


def not_about(row: SheetRow, label: str) -> bool:
    """The row has text but never mentions the carried label's stem."""
    text = "".join(t for t in row.cells if t and not is_number(t))
    return bool(text) and stem(label) not in text


def attach_trailer(table: EvalTable, trailer: list[SheetRow]) -> None:
    """Re-attach displaced level2 labels; read the printed totals."""
    known_l1 = {ind.level1 for ind in table.indicators}
    labels, totals = [], []
    for row in trailer:
        name = row.name or (row.labels[-1] if row.labels else None)
        if name and is_total_label(name):
            totals.append((row.weight, row.line))
        elif name and name not in known_l1:
            labels.append((name, row.weight))
        elif not name and row.weight is not None:
            totals.append((row.weight, row.line))
    pool = [ind for ind in table.indicators if ind.level2 is None]
    for name, weight in reversed(labels):
        take = take_by_weight(pool, weight)
        for ind in take:
            ind.level2 = name
        pool = pool[:len(pool) - len(take)] if take else pool
    if totals:
        table.total_weight, table.total_line = totals[0]
        if len(totals) > 1:
            table.total_score = totals[-1][0]
            table.total_line = totals[-1][1]


def take_by_weight(pool: list[Indicator], weight: Decimal | None) -> list[Indicator]:
    """The rows at the end of ``pool`` that a displaced label covers."""
    if weight is None:
        out = []
        for ind in reversed(pool):
            if ind.weight is not None:
                break
            out.append(ind)
        return out
    total, out = Decimal(0), []
    for ind in reversed(pool):
        if ind.weight is None:
            return []
        total += ind.weight
        out.append(ind)
        if total == weight:
            return out
        if total > weight:
            return []
    return []
