"""A budget table's lines → header labels (joined by :func:`ingest.layout.column_labels`),
code/name/amount segments and raw cells.

See :mod:`ingest.parsers.tables` for the quirks (multi-line headers, split
codes, side-by-side halves, wrapped names, rows without cell positions).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.layout import column_labels
from ingest.numbers import parse_amount
from ingest.parsers.budget.titles import Table, is_unit_line
from ingest.text import fold_width, normalize_label, split_cells, squash

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_TITLE_MARK = re.compile(r"[。，:：]")
_CODE_PART = re.compile(r"^\d{2,7}$")
_CODE_WITH_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s+(\S.*)$")


# --- header layout -----------------------------------------------------------

@dataclass
class Segment:
    code_cols: list[int]
    name_col: int
    amount_cols: list[tuple[int, str]] = field(default_factory=list)


_HEADER_WORDS = {"项目", "栏次", "类", "款", "项", "科目编码", "科目名称", "行次", "功能分类科目编码"}


# A cell is filled when it prints anything but whitespace: ``c.strip()`` is true exactly
# where ``squash(c)`` is (both go by ``str.isspace``), without building the squashed text.


def row_cells(line: str) -> tuple[list[str], bool]:
    """Cells of a line and whether positions are meaningful (tabs or pipes)."""
    positional = "\t" in line or "|" in line
    return split_cells(line), positional


def is_lane_row(cells: list[str]) -> bool:
    """A 栏次 row (column numbers) or a bare 类/款/项 row."""
    return _is_lane_row(tuple(cells))


# Row tests are memoised by the row's cells (pure functions of them): a table's
# rows are asked again by the header scan, the body loop and the look-ahead
# for a repeated header.
@lru_cache(maxsize=1 << 12)
def _is_lane_row(cells: tuple[str, ...]) -> bool:
    nonempty = [squash(c) for c in cells if c.strip()]
    if not nonempty:
        return True
    if nonempty[0] in ("栏次",):
        return True
    if all(c in ("类", "款", "项") for c in nonempty):
        return True
    if all(c.isdigit() and len(c) <= 2 for c in nonempty) and len(nonempty) >= 3:
        digits = [int(c) for c in nonempty]
        return digits == list(range(digits[0], digits[0] + len(digits)))
    return False


def is_code_cell(cell: str) -> bool:
    return bool(_CODE_PART.match(normalize_label(cell)))


def is_data_row(cells: list[str]) -> bool:
    return _is_data_row(tuple(cells))


@lru_cache(maxsize=1 << 12)
def _is_data_row(cells: tuple[str, ...]) -> bool:
    if _is_lane_row(cells):
        return False
    nonempty = [c for c in cells if c.strip()]
    if not nonempty:
        return False
    first = normalize_label(nonempty[0])
    if _CODE.match(first) and len(nonempty) >= 2:
        return True
    return any(parse_amount(c) is not None for c in nonempty[1:])


def column_role(label: str) -> str:
    if "名称" in label:
        return "name"
    if "编码" in label or "代码" in label or label in ("类", "款", "项"):
        return "code"
    if label in ("项目", "项目名称") or label.endswith(("收入项目", "支出项目")):
        return "name"
    if label in ("行次", "栏次"):
        return "skip"
    return "amount" if label else "unknown"


def build_segments(labels: list[str]) -> list[Segment]:
    segments: list[Segment] = []
    pending: list[int] = []
    for c, label in enumerate(labels):
        role = column_role(label)
        if role == "name":
            segments.append(Segment(code_cols=pending, name_col=c))
            pending = []
        elif role == "amount" and segments and not pending:
            segments[-1].amount_cols.append((c, label))
        elif role in ("code", "unknown"):
            pending = pending + [c]
        elif role == "amount" and pending and segments:
            # amount label after unlabeled columns: still the current segment
            segments[-1].amount_cols.append((c, label))
            pending = []
    return [s for s in segments if s.amount_cols]


def fallback_segments(labels: list[str], first_data: list[str]) -> list[Segment]:
    """No 名称/项目 header: code in the first column(s), name after, amounts after."""
    name_col = next((i for i, c in enumerate(first_data) if c.strip() and not is_code_cell(c)
                     and parse_amount(c) is None), 0)
    amounts = [(c, labels[c] if c < len(labels) else "") for c in range(name_col + 1, len(labels))]
    return [Segment(code_cols=list(range(name_col)), name_col=name_col, amount_cols=amounts)]


# --- rows --------------------------------------------------------------------

@dataclass(slots=True)
class RawCell:
    segment: int
    code: str | None
    name: str
    label: str
    text: str
    line_index: int


def _code_of(parts: list[str]) -> str | None:
    digits = [normalize_label(p) for p in parts if p.strip()]
    if not digits or not all(d.isdigit() for d in digits):
        return None
    code = "".join(digits)
    return code if len(code) in (3, 5, 7) and len(digits[0]) >= 3 else None


def _text_in_code_cols(cells: list[str], cols: list[int]) -> str:
    texts = [cells[c] for c in cols if c < len(cells) and cells[c].strip() and not is_code_cell(cells[c])]
    texts = [t for t in texts if squash(t) not in ("类", "款", "项")]
    return texts[0] if texts else ""


def _cell(cells: list[str], c: int) -> str:
    return cells[c] if c < len(cells) else ""


def positional_cells(cells: list[str], segments: list[Segment], index: int) -> list[RawCell]:
    """The amounts of a row with cell positions, each under its segment's column.
    ``cells`` as ``row_cells`` gives them (each stripped: a cell is filled when it
    is not empty)."""
    out: list[RawCell] = []
    used: set[int] = set()
    width = len(cells)
    for s_no, seg in enumerate(segments):
        code = _code_of([cells[c] for c in seg.code_cols if c < width])
        name = cells[seg.name_col] if seg.name_col < width else ""
        if not name:
            name = _text_in_code_cols(cells, seg.code_cols)
        if code is None:
            m = _CODE_WITH_NAME.match(fold_width(name).strip())
            if m:
                code, name = m.group(1), m.group(2)
        if code is None and (not name or parse_amount(name) is not None):
            continue
        found = False
        for col, label in seg.amount_cols:
            text = cells[col] if col < width else ""
            if text and col not in used and parse_amount(text) is not None:
                out.append(RawCell(s_no, code, name, label, text, index))
                used.add(col)
                found = True
        if not found and code is None and "合计" in squash(name) and seg.amount_cols:
            for col in range(seg.name_col + 1, width):
                if col in used:
                    continue
                text = cells[col]
                if parse_amount(text) is not None:
                    out.append(RawCell(s_no, code, name, seg.amount_cols[0][1], text, index))
                    used.add(col)
                    break
                if text:
                    break   # a filled cell that is no amount
    return out


def sequential_cells(cells: list[str], segments: list[Segment], index: int) -> list[RawCell]:
    """Space-separated row: code(s), name, then amounts left to right."""
    seg = segments[0]
    tokens = [c for c in cells if c.strip()]
    codes = []
    while tokens and is_code_cell(tokens[0]) and len(codes) < 3:
        codes.append(tokens.pop(0))
    name_parts = []
    while tokens and parse_amount(tokens[0]) is None:
        name_parts.append(tokens.pop(0))
    code = _code_of(codes)
    name = "".join(name_parts)
    if not name and code is None:
        return []
    return [RawCell(0, code, name, label, text, index)
            for (col, label), text in zip(seg.amount_cols, tokens) if parse_amount(text) is not None]


def _is_continuation(cells: list[str]) -> str | None:
    nonempty = [c.strip() for c in cells if c.strip()]
    if len(nonempty) != 1:
        return None
    text = nonempty[0]
    t = normalize_label(text)
    if (parse_amount(text) is not None or is_code_cell(text) or t in _HEADER_WORDS
            or len(t) > 20 or _TITLE_MARK.search(t) or t.startswith(("注", "说明"))):
        return None
    return text


def _starts_header(body: list, n: int) -> bool:
    """Whether the single fragment at ``body[n]`` begins a block of header rows
    (the next row that is not a fragment has several cells and no figures)."""
    for _, cells, _ in body[n + 1:n + 6]:
        nonempty = [c for c in cells if c.strip()]
        if len(nonempty) <= 1:
            continue
        return not is_data_row(cells) and not is_lane_row(cells)
    return False


@dataclass
class ParsedTable:
    table: Table
    cells: list[RawCell]
    labels: list[str]
    sequence_lines: list[int] = field(default_factory=list)  # rows read in sequence (no cell positions)


def parse_table(lines: list[str], table: Table) -> ParsedTable:
    body = [(j, *row_cells(lines[j])) for j in range(table.title_index + 1, table.end_index)
            if lines[j].strip() and not is_unit_line(lines[j])]
    header: list[list[str]] = []
    start = None
    for n, (_, cells, _) in enumerate(body):
        filled = sum(1 for c in cells if c.strip())
        if filled < 2 and not header:
            continue
        key = tuple(cells)
        if _is_data_row(key):
            start = n
            break
        if filled >= 1 and not _is_lane_row(key):
            header.append(cells)
    if start is None:
        return ParsedTable(table, [], [])
    labels = column_labels(header)
    segments = build_segments(labels) or fallback_segments(labels, body[start][1])
    out: list[RawCell] = []
    in_sequence: list[int] = []
    header_keys = {squash("".join(h)) for h in header}
    last_row: list[RawCell] = []
    for n_row, (j, cells, positional) in enumerate(body[start:], start):
        nonempty = [c for c in cells if c.strip()]
        key = tuple(cells)
        if not nonempty or squash("".join(cells)) in header_keys or _is_lane_row(key):
            continue
        if len(nonempty) == 1 and "\t" not in lines[j] and len(squash(lines[j])) > 20:
            break  # prose after the table
        fragment = _is_continuation(cells) if len(nonempty) == 1 else None   # (one cell, or none)
        if fragment and _starts_header(body, n_row):
            continue  # a header repeated on a continued page, not a wrapped name
        if fragment and last_row:
            for cell in last_row:
                cell.name = cell.name + fragment
            continue
        if not _is_data_row(key) and not any(is_code_cell(c) for c in nonempty):
            continue
        row = (positional_cells(cells, segments, j) if positional
               else sequential_cells(cells, segments, j))
        if row:
            out.extend(row)
            last_row = row
            if not positional:
                in_sequence.append(j)
    return ParsedTable(table, out, labels, in_sequence)
