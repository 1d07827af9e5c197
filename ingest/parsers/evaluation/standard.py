"""Layout 1 of :mod:`ingest.parsers.selfeval`: standard self-evaluation tables
(财预〔2020〕10号 form), read by the header's column positions."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ingest.parsers.evaluation.model import (
    NUMBER,
    POINTS,
    EvalTable,
    Funding,
    Indicator,
    as_money,
    as_number,
    cells_of,
    clean_label,
    column_cell,
    is_number,
)
from ingest.text import fold_width, normalize_label, split_cells
from ingest.vocabularies import selfeval_header

# ---------------------------------------------------------------------------
# 1. standard tables

# ingest/vocabularies/selfeval_headers.csv
_SHEET_TITLE = re.compile(r"(自评表|评分表|评价表)$")
_SCOPE_WORD = re.compile(r"整体|项目")
_STD_HEADER = selfeval_header("indicators")
_FUND_HEADER = selfeval_header("funding")
_LEVELS = tuple(_STD_HEADER[level][0] for level in ("level1", "level2", "level3"))  # 一级/二级/三级指标
LEVEL1 = _LEVELS[0]   # in every header of a standard table or scoring sheet (squashed)
_TARGETS = _STD_HEADER["target"]      # a standard table states target values; a scoring sheet doesn't
_SCORE = _STD_HEADER["score"][0]


_HEADER_NOTE = re.compile(r"[(（][^()（）]*[)）]")


def header_map(cells: list[str], spec: dict) -> dict[str, int]:
    """Column index of each wanted header (first cell containing one of its names).

    A bracketed note is not part of the name (``全年预算数(A)``,
    ``预算执行率(B/A×100%)``)."""
    names = [_HEADER_NOTE.sub("", normalize_label(c)) for c in cells]
    found: dict[str, int] = {}
    taken: set[int] = set()   # (the columns in found.values())
    for key, wanted in spec.items():
        for i, name in enumerate(names):
            if i not in taken and names_field(wanted, name):
                found[key] = i
                taken.add(i)
                break
    return found


@lru_cache(maxsize=1 << 12)
def names_field(wanted: tuple[str, ...], name: str) -> bool:
    """A header cell ``name`` names the field of the wordings ``wanted``: one of
    them, or one inside it with at most 4 characters more. Memoised (a pure
    function of short texts: header cells repeat from table to table)."""
    return any(w == name or (w in name and len(name) <= len(w) + 4) for w in wanted)


def is_standard_header(line: str) -> bool:
    s = normalize_label(line)
    return LEVEL1 in s and all(k in s for k in _LEVELS) and any(k in s for k in _TARGETS)


def is_scoring_header(line: str) -> bool:
    s = normalize_label(line)
    return (LEVEL1 in s and all(k in s for k in _LEVELS) and not any(k in s for k in _TARGETS)
            and _SCORE in s)


def table_scope(title: str) -> str:
    return "department" if re.search(r"部门整体|单位整体|整体支出|部门\(单位\)整体", title) else "project"


def find_title(lines: list[str], header: int, floor: int) -> tuple[int, str]:
    """The nearest 自评表/评分表 title above a header (index, squashed text).

    A bare sub-title (``指标评分表``) is passed over for a nearer full title that
    says whose table it is (整体 / 项目)."""
    first = None
    for i in range(header - 1, max(floor, header - 40) - 1, -1):
        s = normalize_label(lines[i])
        if _SHEET_TITLE.search(s) and len(s) < 60:
            if _SCOPE_WORD.search(s):
                return i, s
            first = first or (i, s)
    return first or (header, "")


def labelled_value(lines: list[str], start: int, end: int, labels: tuple[str, ...]) -> tuple[str | None, int | None]:
    """The first non-empty cell after a cell printing one of ``labels``."""
    for i in range(start, end):
        cells = cells_of(lines[i])
        for j, c in enumerate(cells):
            if normalize_label(c) in labels:
                rest = [normalize_label(x) for x in cells[j + 1:] if normalize_label(x)]
                if rest:
                    return rest[0], i + 1
    return None, None


def read_funding(lines: list[str], start: int, end: int) -> Funding | None:
    """The 年度资金总额 row under its 年初预算数/全年预算数/… header."""
    cols = None
    for i in range(start, end):
        cells = cells_of(lines[i])
        text = normalize_label(lines[i])
        if "全年预算数" in text and ("年初预算数" in text or "执行数" in text):
            cols = header_map(cells, _FUND_HEADER)
            continue
        if cols and any(normalize_label(c).endswith("资金总额") for c in cells):
            money = [as_money(column_cell(cells, cols, k))
                     for k in ("initial", "annual", "executed", "weight", "rate", "score")]
            return Funding(*money, i + 1)
    return None


def read_goal(lines: list[str], start: int, end: int) -> tuple[str | None, str | None, int | None]:
    """预期目标 / 实际完成情况 texts of the 年度总体目标 block."""
    for i in range(start, end):
        if "预期目标" in normalize_label(lines[i]) and i + 1 < end:
            texts = [normalize_label(c) for c in cells_of(lines[i + 1]) if normalize_label(c)]
            if texts:
                return texts[0], texts[1] if len(texts) > 1 else None, i + 2
    return None, None, None


def is_total_label(text: str) -> bool:
    return text in ("总分", "合计", "总计", "合计得分", "总得分", "自评得分", "自评总分", "总分值")


_PLACEHOLDER = re.compile(r"^(?:指标\d+[:：]?|[…\.。]{2,}|×+|X+|\*+|[(（]?填写[^)）]*[)）]?|请填写.*)$")


@lru_cache(maxsize=1 << 12)
def is_placeholder(text: str | None) -> bool:
    """Template text the reporter left unfilled (``指标1：``, ``……``, ``请填写…``).
    Memoised (a pure function of a cell's text: a row asks up to five times)."""
    return bool(text) and bool(_PLACEHOLDER.match(normalize_label(text)))


def read_standard_rows(lines: list[str], header: int, table: EvalTable) -> int:
    """Indicator rows below a standard header; returns the index after the table."""
    cols = header_map(cells_of(lines[header]), _STD_HEADER)
    where = [(key, cols.get(key)) for key in _STD_HEADER]   # (column_cell's lookups, once)
    l1 = l2 = None
    i = header + 1
    while i < len(lines):
        raw = lines[i]
        if not raw.strip():
            i += 1
            continue
        cells = split_cells(raw)   # (cells_of of a line with text)
        if len(cells) < 4 or is_standard_header(raw):
            break
        first = next(filter(None, map(normalize_label, cells)), None)   # the first non-empty cell
        if first is not None and is_total_label(first):
            weight, score = (as_number(column_cell(cells, cols, k)) for k in ("weight", "score"))
            numbers = [as_number(c) for c in cells if is_number(c)]
            table.total_weight = weight if weight is not None else (numbers[0] if numbers else None)
            table.total_score = score if score is not None else (numbers[-1] if len(numbers) > 1 else None)
            table.total_line = i + 1
            return i + 1
        n = len(cells)
        cell = {key: cells[j] if j is not None and j < n else "" for key, j in where}
        new_l1, new_l2 = clean_label(cell["level1"]), clean_label(cell["level2"])
        if new_l1:
            note_points(table, new_l1, cell["level1"], i + 1)
            l1, l2 = new_l1, None
        if new_l2:
            note_points(table, new_l2, cell["level2"], i + 1)
            l2 = new_l2
        name = normalize_label(cell["level3"])
        weight, score = as_number(cell["weight"]), as_number(cell["score"])
        target, actual = normalize_label(cell["target"]), normalize_label(cell["actual"])
        if is_placeholder(name) and weight is None and score is None and (
                not target or is_placeholder(target)) and (not actual or is_placeholder(actual)):
            i += 1              # a template row left unfilled: no indicator
            continue
        if name or weight is not None:
            table.indicators.append(Indicator(
                table.scope, table.project_name, l1, l2, name or None,
                fold_width(normalize_label(cell["target"])) or None,
                fold_width(normalize_label(cell["actual"])) or None,
                weight, score, i + 1, level2_printed=bool(new_l2),
                flags=["template_text"] if is_placeholder(name) or is_placeholder(target) else []))
        i += 1
    return i


def note_points(table: EvalTable, label: str, printed: str, line: int) -> None:
    """Remember a level label's printed point annotation (``产出指标 (50分)``)."""
    m = POINTS.search(normalize_label(printed))
    if m:
        table.level_points.setdefault(label, []).append(
            (Decimal(NUMBER.search(m.group()).group()), None, line))


def parse_standard(lines: list[str], header: int, floor: int) -> tuple[EvalTable, int]:
    title_idx, title = find_title(lines, header, floor)
    scope = table_scope(title)
    name = None
    if scope == "project":
        name, _ = labelled_value(lines, title_idx, header, ("项目支出名称", "项目名称"))
    table = EvalTable("standard", scope, name, title_idx + 1)
    table.funding = read_funding(lines, title_idx, header)
    table.goal_target, table.goal_actual, table.goal_line = read_goal(lines, title_idx, header)
    end = read_standard_rows(lines, header, table)
    return table, end
