"""The 公开 tables of a 部门决算 / 部门预算 → ``line_items``, ``table_notes`` and
``metrics``; the typed result (every table with all its rows, published or
not) goes to the narrative stage and to :mod:`ingest.checks.reconcile`.

Report format quirks handled here
---------------------------------
* **Finding a table.** A table page starts with a short title line ending in
  ``表`` (收入决算表, 2025年部门支出预算总表, 一般公共预算财政拨款基本支出决算明细表, …)
  followed within a few lines by its unit (``单位：万元`` / ``单位：元``), its
  number (``公开 02 表``) or its first tab-separated row. Table-of-contents
  lines (目录) carry the same titles but are followed by other titles, so they
  are never taken for tables. The kind of a table is recognised from title
  keywords, never from its position, so regional sets (11-table sets,
  分单位/分科目 versions, budget sets) are recognised as well; titles about
  项目支出 or anything else unknown are left alone.
* **Table numbers.** Printed as ``公开 02 表`` / ``公开02表`` / ``表一`` /
  ``附表1`` near the title. Where the pages print none, the number is the
  table's ordinal in the document's own 目录 (``二、收入决算表`` → ``02``,
  ``8．2025年部门一般公共预算基本支出部门预算经济分类预算表`` → ``08``); without a
  目录, the standard numbering of the phase (决算: 06 = basic economic table;
  预算: 08) is used.
* **Summary tables (01 收支总表 / 04 财政拨款收支总表)** are itemised only when
  the page prints its own table number (the national 公开 layout with 行次
  columns). Pages numbered only through the 目录 use varying regional
  layouts whose summary tables the answer key does not itemise; their figures
  are still parsed and used by the consistency checks.
* **Cells.** Tabs separate cells; some conversions use runs of spaces or
  `` | `` instead. With tabs or pipes the cell positions are kept (a blank
  cell is *no value*, a printed ``0`` is a value); with runs of spaces the
  blanks are invisible, so the amounts of a row are assigned to the amount
  columns left to right.
* **Headers** span several lines. A column's label is the join of its header
  fragments from top to bottom (``本年支出 合计`` → ``本年支出合计``), except a
  group header that spans the columns to its right (``本年支出`` over
  ``小计 | 基本支出 | 项目支出``), which is dropped. ``栏次`` rows and ``类 款 项``
  rows are not labels. A header repeated after a page break is skipped.
* **Codes** are printed whole (``2101501``) or split over 类/款/项 columns
  (``201 | 06 | 01`` → ``2010601``; ``201 | 06 |`` → ``20106`` for a 款
  subtotal row). Economic codes likewise (``301 | 01`` → ``30101``). The
  合计 row may share its line with the ``类 款 项`` header cells.
* **Side-by-side halves.** Economic tables print two or three
  code/name/amount groups per line; summary tables print an income half and
  an expenditure half. Each group is parsed as its own segment. A 合计 row
  whose amount drifted to a later cell (``公用经费合计 | | | | 18.74``) takes the
  first unused amount to its right.
* **Broken cells.** A name broken over two lines within a cell is joined; a
  line holding only a text fragment after a data row continues that row's
  name. Blank lines inside a table are skipped.
* Printed figures are never changed: ``amount_text`` is the cell as printed,
  ``amount_wan_yuan`` the exact conversion to 万元.

``measure`` of summary tables: 决算数 → ``actual``, 预算数 → ``budget``,
金额 → ``amount``, 合计 → ``total``, 一般公共预算… → ``general_public_budget``,
政府性基金… → ``government_fund``, 国有资本经营… → ``state_capital``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.numbers import parse_amount, to_wan_yuan
from ingest.parsers import Parsed
from ingest.text import fold_width, normalize_label, split_cells, squash
from ingest.vocabularies import functional_classes, measures

# --- table kinds and numbering ---------------------------------------------

FINAL_NUMBERS = {
    "summary": "01", "income": "02", "expenditure": "03", "fiscal_summary": "04",
    "gpb_expenditure": "05", "basic_economic": "06", "gov_fund": "07",
    "state_capital": "08", "three_public": "09",
}
BUDGET_NUMBERS = {
    "summary": "01", "income": "02", "expenditure": "03", "fiscal_summary": "04",
    "gpb_expenditure": "05", "gov_fund": "06", "state_capital": "07",
    "basic_economic": "08", "three_public": "09",
}
FUNCTIONAL_KINDS = {"income", "expenditure", "gpb_expenditure", "gov_fund", "state_capital"}
SUMMARY_KINDS = {"summary", "fiscal_summary"}
ITEMISED_KINDS = FUNCTIONAL_KINDS | SUMMARY_KINDS | {"basic_economic"}

# The 类 of the national 支出功能分类 (ingest/vocabularies/functional_classes.csv)
FUNCTIONAL_CLASSES = functional_classes()

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_UNIT = re.compile(r"单位\s*[:：]\s*(万元|亿元|千元|元)")
_NUMBER_PATTERNS = (
    re.compile(r"公开\s*(\d{1,2})\s*表"),
    re.compile(r"附表\s*(\d{1,2})(?!\d)"),
    re.compile(r"^表\s*([一二三四五六七八九十]{1,3}|\d{1,2})(?![\d一二三四五六七八九十])"),
)
_ORDINAL = re.compile(
    r"^(?:[-•·]\s*)?(?:[(（]?[一二三四五六七八九十]{1,3}[)）、.．]|\d{1,2}\s*[.．、)）](?!\d))\s*"
)
# Dot leaders and a page number at the end of a contents line. Written as a
# scan from the end (linear), not as the regex it replaces,
# r"[.…·．\s]{3,}\d*\s*$|\s+\d{1,3}\s*$", which is cubic in runs of spaces.
_LEADER_CHARS = frozenset(".…·．")


def strip_leaders(text: str) -> str:
    """``text`` without trailing dot leaders / spaces and the page number after them."""
    def run_start(end: int) -> int:
        start = end
        while start and (text[start - 1] in _LEADER_CHARS or text[start - 1].isspace()):
            start -= 1
        return start

    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
    digits = end
    while digits and text[digits - 1].isdecimal():
        digits -= 1
    starts = []
    tail = run_start(len(text))          # leaders (or spaces) up to the end
    if len(text) - tail >= 3:
        starts.append(tail)
    if digits < end:
        lead = run_start(digits)         # leaders, then the page number
        if digits - lead >= 3:
            starts.append(lead)
        if end - digits <= 3 and digits and text[digits - 1].isspace():
            space = digits               # spaces, then a page number of 1–3 digits
            while space and text[space - 1].isspace():
                space -= 1
            starts.append(space)
    return text[:min(starts)] if starts else text


_YEAR = re.compile(r"^\d{4}\s*年(?:度)?")
_CODE_PART = re.compile(r"^\d{2,7}$")
_CODE_WITH_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s+(\S.*)$")


def cn_number(text: str) -> int | None:
    """``一``..``九十九`` or ASCII digits → int."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS for ch in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if len(text) == 3 and text[1] == "十":
        return _CN_DIGITS[text[0]] * 10 + _CN_DIGITS[text[2]]
    if len(text) == 2 and text[1] == "十":
        return _CN_DIGITS[text[0]] * 10
    return _CN_DIGITS[text] if len(text) == 1 else None


def two_digits(n: int | None) -> str | None:
    return None if n is None else f"{n:02d}"


def strip_ordinal(text: str) -> str:
    """``八、社会保障和就业支出`` → ``社会保障和就业支出``; ``1. 一般公共预算`` → …"""
    return _ORDINAL.sub("", text.strip(), count=1)


def clean_title(line: str) -> str:
    """A title line without dot leaders, page numbers and ordinal prefix."""
    text = fold_width(line).strip()
    text = strip_leaders(text)
    text = re.sub(r"^(?:公开\s*\d{1,2}\s*表|附表\s*\d{1,2}|表\s*[一二三四五六七八九十\d]{1,3})\s*[:：]?\s*", "", text)
    text = strip_ordinal(text)
    return squash(text)


def classify_title(title: str) -> str | None:
    """The kind of table a (cleaned) title names, or None."""
    t = squash(fold_width(title))
    t = re.sub(r"\((?:分单位|分科目|分项目|汇总)\)$", "", t)
    if not t.endswith("表") or "说明" in t or len(t) > 45:
        return None
    if "三公" in t:
        return "three_public"
    if "政府性基金" in t:
        return "gov_fund"
    if "国有资本经营" in t:
        return "state_capital"
    if "项目支出" in t or "绩效" in t or "项目" in t:
        return None
    if "基本支出" in t:
        return "basic_economic"
    if "财政拨款收支" in t or "财政拨款收入支出" in t:
        return "fiscal_summary"
    if "一般公共预算" in t and "支出" in t:
        return "gpb_expenditure"
    if ("收支" in t or "收入支出" in t) and "总表" in t:
        return "summary"
    if "收入" in t and "支出" not in t and re.search(r"(决算|预算)(总)?表$|收入总表$", t):
        return "income"
    if "支出" in t and "收入" not in t and re.search(r"(决算|预算)(总)?表$|支出总表$", t):
        return "expenditure"
    return None


def printed_table_no(text: str) -> str | None:
    """The table number a line prints (``公开 02 表``, ``表一``, ``附表1``)."""
    t = fold_width(text).strip()
    for pattern in _NUMBER_PATTERNS:
        m = pattern.search(t)
        if m:
            return two_digits(cn_number(m.group(1)))
    return None


def is_table_row(line: str) -> bool:
    return len([c for c in split_cells(line) if c]) >= 2


# --- locating tables ---------------------------------------------------------

@dataclass
class Table:
    kind: str
    title: str
    title_index: int
    end_index: int
    table_no: str | None = None
    numbered_on_page: bool = False
    unit: str = "万元"
    unit_index: int | None = None
    phase: str = "final"


def _title_followed_by_table(lines: list[str], i: int) -> bool:
    seen = 0
    for j in range(i + 1, min(len(lines), i + 12)):
        text = lines[j].strip()
        if not text:
            continue
        if _UNIT.search(fold_width(text)) or printed_table_no(text) or is_table_row(lines[j]):
            return True
        if clean_title(text).endswith("表") or classify_title(clean_title(text)):
            return False  # another title: this one is a list or 目录 entry
        seen += 1
        if seen > 5:
            return False
    return False


def find_table_titles(lines: list[str]) -> list[tuple[int, str, str]]:
    """(line index, cleaned title, kind) of every table page title."""
    found = []
    for i, line in enumerate(lines):
        if "\t" in line or len(line.strip()) > 60 or not line.strip():
            continue
        title = clean_title(line)
        kind = classify_title(title)
        if kind and _title_followed_by_table(lines, i):
            found.append((i, title, kind))
    return found


def toc_numbers(lines: list[str], stop: int) -> dict[str, str]:
    """kind → number from the 目录 before line ``stop`` (ordinal of each entry)."""
    start = next((i for i, l in enumerate(lines[:stop]) if squash(l) in ("目录", "目次")), None)
    if start is None:
        return {}
    numbers: dict[str, str] = {}
    for line in lines[start + 1:stop]:
        text = strip_leaders(fold_width(line).strip())
        text = re.sub(r"^[-•·]\s*", "", text)
        m = re.match(r"^(?:([一二三四五六七八九十]{1,3})、|(\d{1,2})\s*[.．、])", text)
        if not m:
            continue
        kind = classify_title(clean_title(text))
        if kind and kind not in numbers:
            numbers[kind] = two_digits(cn_number(m.group(1) or m.group(2)))
    return numbers


def _section_end(lines: list[str], start: int, stop: int) -> int:
    for j in range(start + 1, stop):
        if re.match(r"^第[一二三四五六七八九十]+部分", squash(lines[j])):
            return j
    return stop


def _page_number(lines: list[str], title_index: int, first_row: int) -> str | None:
    if printed_table_no(lines[title_index]):
        return printed_table_no(lines[title_index])
    for j in list(range(title_index + 1, first_row)) + [title_index - 1, title_index - 2]:
        if 0 <= j < len(lines) and "\t" not in lines[j]:
            no = printed_table_no(lines[j])
            if no:
                return no
    return None


def locate_tables(lines: list[str]) -> list[Table]:
    titles = find_table_titles(lines)
    if not titles:
        return []
    toc = toc_numbers(lines, titles[0][0])
    tables = []
    for n, (i, title, kind) in enumerate(titles):
        stop = titles[n + 1][0] if n + 1 < len(titles) else len(lines)
        end = _section_end(lines, i, stop)
        first_row = next((j for j in range(i + 1, end) if is_table_row(lines[j])), end)
        table = Table(kind=kind, title=title, title_index=i, end_index=end)
        table.phase = "budget" if "预算" in title and "决算" not in title else "final"
        printed = _page_number(lines, i, first_row)
        if printed:
            table.table_no, table.numbered_on_page = printed, True
        else:
            standard = BUDGET_NUMBERS if table.phase == "budget" else FINAL_NUMBERS
            table.table_no = toc.get(kind) or standard[kind]
        for j in range(max(0, i - 1), min(end, first_row + 1)):
            m = _UNIT.search(fold_width(lines[j]))
            if m:
                table.unit, table.unit_index = m.group(1), j
                break
        tables.append(table)
    return tables


# --- header layout -----------------------------------------------------------

@dataclass
class Segment:
    code_cols: list[int]
    name_col: int
    amount_cols: list[tuple[int, str]] = field(default_factory=list)


_HEADER_WORDS = {"项目", "栏次", "类", "款", "项", "科目编码", "科目名称", "行次", "功能分类科目编码"}


def _cells(line: str) -> tuple[list[str], bool]:
    """Cells of a line and whether positions are meaningful (tabs or pipes)."""
    positional = "\t" in line or "|" in line
    return split_cells(line), positional


def is_lane_row(cells: list[str]) -> bool:
    """A 栏次 row (column numbers) or a bare 类/款/项 row."""
    nonempty = [squash(c) for c in cells if squash(c)]
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
    return bool(_CODE_PART.match(squash(fold_width(cell))))


def is_data_row(cells: list[str]) -> bool:
    if is_lane_row(cells):
        return False
    nonempty = [c for c in cells if squash(c)]
    if not nonempty:
        return False
    first = squash(fold_width(nonempty[0]))
    if re.match(r"^\d{3}(\d{2}){0,2}$", first) and len(nonempty) >= 2:
        return True
    return any(parse_amount(c) is not None for c in nonempty[1:])


def _is_group_fragment(header: list[list[str]], k: int, c: int) -> bool:
    """Upper fragment spanning the empty cell to its right over filled cells below."""
    row = header[k]
    right = c + 1
    if right >= len(row) or squash(row[right]):
        return False
    return any(right < len(lower) and squash(lower[right]) for lower in header[k + 1:])


def column_labels(header: list[list[str]]) -> list[str]:
    width = max((len(r) for r in header), default=0)
    labels = []
    for c in range(width):
        parts = []
        for k, row in enumerate(header):
            if c < len(row) and squash(row[c]) and not _is_group_fragment(header, k, c):
                parts.append(normalize_label(row[c]))
        labels.append("".join(parts))
    return labels


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
    name_col = next((i for i, c in enumerate(first_data) if squash(c) and not is_code_cell(c)
                     and parse_amount(c) is None), 0)
    amounts = [(c, labels[c] if c < len(labels) else "") for c in range(name_col + 1, len(labels))]
    return [Segment(code_cols=list(range(name_col)), name_col=name_col, amount_cols=amounts)]


# --- rows --------------------------------------------------------------------

@dataclass
class RawCell:
    segment: int
    code: str | None
    name: str
    label: str
    text: str
    line_index: int


def _code_of(parts: list[str]) -> str | None:
    digits = [squash(fold_width(p)) for p in parts if squash(p)]
    if not digits or not all(d.isdigit() for d in digits):
        return None
    code = "".join(digits)
    return code if len(code) in (3, 5, 7) and len(digits[0]) >= 3 else None


def _text_in_code_cols(cells: list[str], cols: list[int]) -> str:
    texts = [cells[c] for c in cols if c < len(cells) and squash(cells[c]) and not is_code_cell(cells[c])]
    texts = [t for t in texts if squash(t) not in ("类", "款", "项")]
    return texts[0] if texts else ""


def _cell(cells: list[str], c: int) -> str:
    return cells[c] if c < len(cells) else ""


def positional_cells(cells: list[str], segments: list[Segment], index: int) -> list[RawCell]:
    out: list[RawCell] = []
    used: set[int] = set()
    for s_no, seg in enumerate(segments):
        code = _code_of([_cell(cells, c) for c in seg.code_cols])
        name = _cell(cells, seg.name_col)
        if not squash(name):
            name = _text_in_code_cols(cells, seg.code_cols)
        m = _CODE_WITH_NAME.match(fold_width(name).strip())
        if code is None and m:
            code, name = m.group(1), m.group(2)
        if not squash(name) or parse_amount(name) is not None:
            if code is None:
                continue
        found = False
        for col, label in seg.amount_cols:
            text = _cell(cells, col).strip()
            if text and parse_amount(text) is not None and col not in used:
                out.append(RawCell(s_no, code, name, label, text, index))
                used.add(col)
                found = True
        if not found and code is None and "合计" in squash(name) and seg.amount_cols:
            start = seg.name_col + 1
            for col in range(start, len(cells)):
                if col in used:
                    continue
                text = cells[col].strip()
                if squash(text) and parse_amount(text) is None:
                    break
                if parse_amount(text) is not None:
                    out.append(RawCell(s_no, code, name, seg.amount_cols[0][1], text, index))
                    used.add(col)
                    break
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
    nonempty = [c.strip() for c in cells if squash(c)]
    if len(nonempty) != 1:
        return None
    text = nonempty[0]
    t = squash(fold_width(text))
    if (parse_amount(text) is not None or is_code_cell(text) or t in _HEADER_WORDS
            or len(t) > 20 or re.search(r"[。，:：]", t) or t.startswith(("注", "说明"))):
        return None
    return text


def _starts_header(body: list, n: int) -> bool:
    """Whether the single fragment at ``body[n]`` begins a block of header rows
    (the next row that is not a fragment has several cells and no figures)."""
    for _, cells, _ in body[n + 1:n + 6]:
        nonempty = [c for c in cells if squash(c)]
        if len(nonempty) <= 1:
            continue
        return not is_data_row(cells) and not is_lane_row(cells)
    return False


@dataclass
class ParsedTable:
    table: Table
    cells: list[RawCell]
    labels: list[str]


def parse_table(lines: list[str], table: Table) -> ParsedTable:
    body = [(j, *_cells(lines[j])) for j in range(table.title_index + 1, table.end_index)
            if lines[j].strip() and not _UNIT.search(fold_width(lines[j]))]
    header: list[list[str]] = []
    start = None
    for n, (j, cells, positional) in enumerate(body):
        if len([c for c in cells if squash(c)]) < 2 and not header:
            continue
        if is_data_row(cells):
            start = n
            break
        if len([c for c in cells if squash(c)]) >= 1 and not is_lane_row(cells):
            header.append(cells)
    if start is None:
        return ParsedTable(table, [], [])
    labels = column_labels(header)
    segments = build_segments(labels) or fallback_segments(labels, body[start][1])
    out: list[RawCell] = []
    header_keys = {squash("".join(h)) for h in header}
    last_row: list[RawCell] = []
    for n_row, (j, cells, positional) in enumerate(body[start:], start):
        nonempty = [c for c in cells if squash(c)]
        if not nonempty or squash("".join(cells)) in header_keys or is_lane_row(cells):
            continue
        if len(nonempty) == 1 and "\t" not in lines[j] and len(squash(lines[j])) > 20:
            break  # prose after the table
        fragment = _is_continuation(cells)
        if fragment and _starts_header(body, n_row):
            continue  # a header repeated on a continued page, not a wrapped name
        if fragment and last_row:
            for cell in last_row:
                cell.name = cell.name + fragment
            continue
        if not is_data_row(cells) and not any(is_code_cell(c) for c in nonempty):
            continue
        row = (positional_cells(cells, segments, j) if positional
               else sequential_cells(cells, segments, j))
        if row:
            out.extend(row)
            last_row = row
    return ParsedTable(table, out, labels)


# --- rows → line_items -------------------------------------------------------

_INCOME_MEASURES = measures("income")          # ingest/vocabularies/measures.csv
_EXPENDITURE_MEASURES = measures("expenditure")
_ECONOMIC_MEASURES = measures("economic")
_SUMMARY_MEASURES = measures("summary")


def measure_of(label: str, keyed: tuple[tuple[str, str], ...], default: str = "other") -> str:
    """The measure of the first key the printed header contains."""
    return next((measure for key, measure in keyed if key in label), default)


def functional_measure(kind: str, label: str) -> str:
    return measure_of(label, _INCOME_MEASURES if kind == "income" else _EXPENDITURE_MEASURES)


def economic_measure(label: str) -> str:
    return measure_of(label, _ECONOMIC_MEASURES)


def summary_measure(label: str) -> str:
    return measure_of(label, _SUMMARY_MEASURES, default="amount")


def _row(table: Table, cell: RawCell, classification: str, code: str, measure: str) -> dict:
    value = parse_amount(cell.text)
    return {
        "table_no": table.table_no,
        "table_title": table.title,
        "table_kind": table.kind,
        "classification": classification,
        "code": code,
        "line_name": normalize_label(cell.name),
        "measure_label": normalize_label(cell.label),
        "measure": measure,
        "amount_text": cell.text.strip(),
        "unit": table.unit,
        "amount_wan_yuan": to_wan_yuan(value, table.unit),
        "source_line": cell.line_index + 1,
    }


_SUMMARY_SKIP = ("总计", "结转", "结余", "结余分配")


def summary_items(parsed: ParsedTable) -> list[dict]:
    """Income half → ``INCOME:<name>``, expenditure half → ``CLASS:<name>`` /
    ``TOTAL``; rows below a half's 合计 row (carry-over detail) are left out."""
    out = []
    closed: set[int] = set()
    for cell in parsed.cells:
        name = strip_ordinal(normalize_label(cell.name))
        if cell.segment in closed and "合计" not in name:
            continue
        if "合计" in name:
            closed.add(cell.segment)
        if not name or any(k in name for k in _SUMMARY_SKIP):
            continue
        measure = summary_measure(normalize_label(cell.label))
        cell = RawCell(cell.segment, cell.code, name, cell.label, cell.text, cell.line_index)
        if cell.segment == 0:
            out.append(_row(parsed.table, cell, "income", f"INCOME:{name}", measure))
        elif "合计" in name:
            out.append(_row(parsed.table, cell, "total", "TOTAL", measure))
        else:
            out.append(_row(parsed.table, cell, "class", f"CLASS:{name}", measure))
    return out


def functional_items(parsed: ParsedTable) -> list[dict]:
    out = []
    for cell in parsed.cells:
        name = normalize_label(cell.name)
        measure = functional_measure(parsed.table.kind, normalize_label(cell.label))
        if cell.code:
            out.append(_row(parsed.table, cell, "functional", cell.code, measure))
        elif "合计" in name or name == "总计":
            out.append(_row(parsed.table, cell, "total", "TOTAL", measure))
    return out


def economic_items(parsed: ParsedTable) -> list[dict]:
    out = []
    for cell in parsed.cells:
        name = normalize_label(cell.name)
        measure = economic_measure(normalize_label(cell.label))
        if cell.code:
            out.append(_row(parsed.table, cell, "economic", cell.code, measure))
        elif "人员经费" in name and "合计" in name:
            out.append(_row(parsed.table, cell, "total", "TOTAL_PERSONNEL", measure))
        elif "公用经费" in name and "合计" in name:
            out.append(_row(parsed.table, cell, "total", "TOTAL_PUBLIC", measure))
        elif "合计" in name:
            out.append(_row(parsed.table, cell, "total", "TOTAL", measure))
    return out


# --- 三公 table ---------------------------------------------------------------

def three_public_figures(lines: list[str], table: Table) -> list[tuple[str, str, int]]:
    """(预算数|决算数, printed 合计 figure, line index) of a 三公 table.

    Two layouts: 预算数 and 决算数 groups each starting with 合计 (the first
    amount of each group), or one ``预算数 | 决算数`` pair per category whose
    first pair is the 合计; a budget-only table has one 合计.
    """
    header: list[list[str]] = []
    for j in range(table.title_index + 1, table.end_index):
        cells, _ = _cells(lines[j])
        nonempty = [c for c in cells if squash(c)]
        if not nonempty or _UNIT.search(fold_width(lines[j])):
            continue
        if is_lane_row(cells) or not any(parse_amount(c) is not None for c in nonempty):
            header.append([normalize_label(c) for c in cells])
            continue
        return _three_public_row(header, cells, j)
    return []


def _three_public_row(header: list[list[str]], cells: list[str], j: int) -> list[tuple[str, str, int]]:
    flat = [h for row in header for h in row if h]
    pair_row = next((row for row in header if row.count("预算数") >= 2), None)
    if pair_row:  # 预算数 | 决算数 per category, 合计 first
        out = []
        for c, label in enumerate(pair_row[:2]):
            if label in ("预算数", "决算数") and c < len(cells) and parse_amount(cells[c]) is not None:
                out.append((label, cells[c].strip(), j))
        return out
    group_row = next((row for row in header if "决算数" in "".join(row) and "预算数" in "".join(row)), None)
    if group_row:
        starts = [(c, "预算数" if "预算" in h else "决算数") for c, h in enumerate(group_row)
                  if "预算数" in h or "决算数" in h]
        return [(label, cells[c].strip(), j) for c, label in starts
                if c < len(cells) and parse_amount(cells[c]) is not None]
    if any("预算" in h for h in flat) and cells and parse_amount(cells[0]) is not None:
        return [("预算数", cells[0].strip(), j)]
    return []


def three_public_metrics(lines: list[str], table: Table) -> list[dict]:
    out = []
    for label, text, j in three_public_figures(lines, table):
        metric = "three_public_budget" if label == "预算数" else "three_public_actual"
        out.append({
            "metric": metric,
            "value": to_wan_yuan(parse_amount(text), table.unit),
            "unit": "万元",
            "evidence": f"三公经费 合计 {label} {squash(text)}",   # row, column, figure
            "sub_unit": None,
            "source_line": j + 1,
        })
    return out


# --- table metrics -----------------------------------------------------------

def _metric(metric: str, row: dict, lines: list[str]) -> dict:
    evidence = " ".join(x for x in (row["line_name"], row["measure_label"], row["amount_text"]) if x)
    return {"metric": metric, "value": row["amount_wan_yuan"], "unit": "万元",
            "evidence": evidence, "sub_unit": None, "source_line": row["source_line"]}


def table_metrics(items: list[dict], lines: list[str]) -> list[dict]:
    """基本/项目支出 of the expenditure table's 合计 row, 人员/公用经费 of the
    basic economic table's 合计 row (or its 人员经费合计/公用经费合计 rows)."""
    out = []
    for row in items:
        if row["table_kind"] == "expenditure" and row["code"] == "TOTAL":
            if row["measure"] == "basic":
                out.append(_metric("basic_expenditure", row, lines))
            elif row["measure"] == "project":
                out.append(_metric("project_expenditure", row, lines))
        if row["table_kind"] == "basic_economic":
            if (row["code"] == "TOTAL" and row["measure"] == "personnel") or row["code"] == "TOTAL_PERSONNEL":
                out.append(_metric("personnel_expenditure", row, lines))
            elif (row["code"] == "TOTAL" and row["measure"] == "public") or row["code"] == "TOTAL_PUBLIC":
                out.append(_metric("public_expenditure", row, lines))
    return out


# --- notes -------------------------------------------------------------------

def table_notes(lines: list[str], table: Table) -> list[dict]:
    notes = []
    if table.unit_index is not None:
        notes.append({"table_no": table.table_no, "table_title": table.title, "note_kind": "unit",
                      "note": table.unit, "source_line": table.unit_index + 1})
    for j in range(table.title_index + 1, table.end_index):
        text = squash(fold_width(lines[j]))
        if "本表无数据" in text or "本表为空表" in text or "无数据" in text and "本表" in text:
            notes.append({"table_no": table.table_no, "table_title": table.title,
                          "note_kind": "no_data", "note": text, "source_line": j + 1})
    return notes


# --- entry points ------------------------------------------------------------

def parse_all(lines: list[str]) -> list[tuple[Table, list[dict]]]:
    """Every recognised table with all its itemised rows (unfiltered)."""
    result = []
    for table in locate_tables(lines):
        if table.kind not in ITEMISED_KINDS:
            result.append((table, []))
            continue
        parsed = parse_table(lines, table)
        if table.kind in SUMMARY_KINDS:
            items = summary_items(parsed)
        elif table.kind == "basic_economic":
            items = economic_items(parsed)
        else:
            items = functional_items(parsed)
        result.append((table, items))
    return result


def is_published(table: Table) -> bool:
    """Whether a table's rows go to ``line_items`` (see module docstring)."""
    return table.kind not in SUMMARY_KINDS or table.numbered_on_page


@dataclass
class TablesResult:
    """What the tables stage hands on: every table with all its rows."""

    tables: list[tuple[Table, list[dict]]]
    metrics: list[dict]

    @property
    def all_items(self) -> list[dict]:
        return [row for _, items in self.tables for row in items]

    def subjects(self) -> dict[str, str]:
        """functional code → name as the tables print it (first seen)."""
        out: dict[str, str] = {}
        for row in self.all_items:
            if row["classification"] == "functional" and row["code"]:
                out.setdefault(row["code"], row["line_name"])
        return out


def extract(lines: list[str]) -> Parsed:
    tables = parse_all(lines)
    all_items = [row for _, items in tables for row in items]
    line_items = [row for table, items in tables if is_published(table) for row in items]
    notes = [n for table, _ in tables for n in table_notes(lines, table)]
    metrics = table_metrics(all_items, lines)
    for table, _ in tables:
        if table.kind == "three_public":
            metrics.extend(three_public_metrics(lines, table))
    return Parsed({"line_items": line_items, "table_notes": notes, "metrics": metrics},
                  value=TablesResult(tables, metrics))
