"""Finding the 公开 tables of a budget report: their titles, kinds, numbers and units.

See :mod:`ingest.parsers.tables` for the report format's quirks (how a title
is told from a 目录 entry, where table numbers come from).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.prefilter import lines_holding, lines_opening
from ingest.text import fold_width, normalize_label, split_cells, squash
from ingest.vocabularies import functional_classes, table_kinds, table_title_rules

# --- table kinds and numbering ---------------------------------------------

# ingest/vocabularies/table_kinds.csv: kind → family and standard numbers
_TABLE_NO = re.compile(r"^(?:公开\s*\d{1,2}\s*表|附表\s*\d{1,2}|表\s*[一二三四五六七八九十\d]{1,3})\s*[:：]?\s*")
_SCOPE_SUFFIX = re.compile(r"\((?:分单位|分科目|分项目|汇总)\)$")
_BULLET = re.compile(r"^[-•·]\s*")
_TOC_NO = re.compile(r"^(?:([一二三四五六七八九十]{1,3})、|(\d{1,2})\s*[.．、])")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
# What a line _TOC_NO matches after folding, stripping and its bullet starts with, as
# read (cutting leaders only shortens its end; ０-９ are \d, － folds to -); \A: used with
# match, keeps a search linear
_TOC_LEAD = re.compile(r"\A\s*(?:[-－•·]\s*)?[一二三四五六七八九十\d]")
_KINDS = table_kinds()
FINAL_NUMBERS = {kind: row["final_no"] for kind, row in _KINDS.items()}
BUDGET_NUMBERS = {kind: row["budget_no"] for kind, row in _KINDS.items()}
FUNCTIONAL_KINDS = {kind for kind, row in _KINDS.items() if row["family"] == "functional"}
SUMMARY_KINDS = {kind for kind, row in _KINDS.items() if row["family"] == "summary"}
ITEMISED_KINDS = {kind for kind, row in _KINDS.items() if row["family"] != "other"}

# The 类 of the national 支出功能分类 (ingest/vocabularies/functional_classes.csv)
FUNCTIONAL_CLASSES = functional_classes()

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
UNIT_LINE = re.compile(r"单位\s*[:：]\s*(万元|亿元|千元|元)")
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
    text = _TABLE_NO.sub("", text)
    text = strip_ordinal(text)
    return squash(text)


def classify_title(title: str) -> str | None:
    """The kind of table a (cleaned) title names, or None."""
    t = normalize_label(title)
    t = _SCOPE_SUFFIX.sub("", t)
    if not t.endswith("表") or "说明" in t or len(t) > 45:
        return None
    rule = next((r for r in table_title_rules() if r.fits(t)), None)  # table_titles.csv
    return rule.kind if rule else None


def printed_table_no(text: str) -> str | None:
    """The table number a line prints (``公开 02 表``, ``表一``, ``附表1``)."""
    t = fold_width(text).strip()
    for pattern in _NUMBER_PATTERNS:
        m = pattern.search(t)
        if m:
            return two_digits(cn_number(m.group(1)))
    return None


def is_unit_line(line: str) -> bool:
    """Whether ``UNIT_LINE`` is in the folded line (it opens with 单位, which folding
    leaves as it is: a line without it is not folded to be searched)."""
    return "单位" in line and UNIT_LINE.search(fold_width(line)) is not None


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
    sequence_lines: tuple[int, ...] = ()   # rows whose amounts were assigned to columns in sequence


def _title_followed_by_table(lines: list[str], i: int) -> bool:
    seen = 0
    for j in range(i + 1, min(len(lines), i + 12)):
        text = lines[j].strip()
        if not text:
            continue
        if is_unit_line(text) or printed_table_no(text) or is_table_row(lines[j]):
            return True
        title = clean_title(text)
        if title.endswith("表") or classify_title(title):
            return False  # another title: this one is a list or 目录 entry
        seen += 1
        if seen > 5:
            return False
    return False


def find_table_titles(lines: list[str]) -> list[tuple[int, str, str]]:
    """(line index, cleaned title, kind) of every table page title."""
    found = []
    for i in lines_holding(lines, "表"):   # a title ends with 表 (cleaning only drops text around it)
        line = lines[i]
        if "\t" in line or len(line.strip()) > 60:
            continue
        title = clean_title(line)
        kind = classify_title(title)
        if kind and _title_followed_by_table(lines, i):
            found.append((i, title, kind))
    return found


def toc_numbers(lines: list[str], stop: int) -> dict[str, str]:
    """kind → number from the 目录 before line ``stop`` (ordinal of each entry)."""
    # a 目录 / 目次 line holds 目 as read (squashing removes only whitespace)
    start = next((i for i in lines_holding(lines[:stop], "目") if squash(lines[i]) in ("目录", "目次")), None)
    if start is None:
        return {}
    numbers: dict[str, str] = {}
    entries = lines[start + 1:stop]
    for line in map(entries.__getitem__, lines_opening(entries, _TOC_LEAD)):
        text = strip_leaders(fold_width(line).strip())
        text = _BULLET.sub("", text)
        m = _TOC_NO.match(text)
        if not m:
            continue
        kind = classify_title(clean_title(text))
        if kind and kind not in numbers:
            numbers[kind] = two_digits(cn_number(m.group(1) or m.group(2)))
    return numbers


def _section_end(lines: list[str], start: int, stop: int) -> int:
    for j in range(start + 1, stop):
        line = lines[j]   # (a 第X部分 heading holds 第 and 分 whatever whitespace squash removes)
        if "分" in line and "第" in line and _PART_HEADING.match(squash(line)):
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
            m = UNIT_LINE.search(fold_width(lines[j]))
            if m:
                table.unit, table.unit_index = m.group(1), j
                break
        tables.append(table)
    return tables
