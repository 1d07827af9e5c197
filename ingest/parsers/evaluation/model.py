"""Values and structures of the self-evaluation stage: cell helpers, target /
actual values (operator, number, unit, date), and the typed tables handed to
the metrics stage and :mod:`ingest.checks.selfeval_checks`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ingest.numbers import parse_amount, to_wan_yuan
from ingest.prefilter import JoinedLines
from ingest.text import normalize_label, split_cells

# ---------------------------------------------------------------------------
# small text helpers

POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_SENTENCE_END = "。；;：:！!？?"


@lru_cache(maxsize=1 << 12)
def clean_label(cell: str | None) -> str:
    """A level label as compared: squashed, folded, point annotation dropped.
    Memoised (a pure function of a cell's text; labels repeat down a table)."""
    return POINTS.sub("", normalize_label(cell))


@lru_cache(maxsize=1 << 14)
def as_number(cell: str | None) -> Decimal | None:
    """A score/weight/amount cell as a Decimal (``41.76%`` → 41.76), else None.

    Memoised (a pure function of the cell, a Decimal is immutable): weights and
    scores repeat down a table and across tables."""
    s = normalize_label(cell).rstrip("%")
    if s.endswith("分") and s[:-1][-1:].isdigit():
        s = s[:-1]
    return parse_amount(s) if s else None


def is_number(cell: str | None) -> bool:
    return as_number(cell) is not None


_MONEY_SUFFIX = re.compile(r"^(.*?\d)\s*(万元|万|元)$")


def as_money(cell: str | None) -> Decimal | None:
    """An amount cell in 万元; a unit printed in the cell is read (``1234.56万``,
    ``12345.6元`` → 1.23456)."""
    s = normalize_label(cell)
    m = _MONEY_SUFFIX.match(s)
    if not m:
        return as_number(s)
    value = parse_amount(m.group(1))
    if value is None:
        return None
    return to_wan_yuan(value, "元") if m.group(2) == "元" else value


def squashed_index(lines: list[str]) -> JoinedLines:
    """The document's lines squashed (``normalize_label``) and joined once: the
    readers find the few lines holding their key words with ``holding`` instead
    of squashing and testing every line (``.flat``: the squashed lines)."""
    flat = list(map(normalize_label, lines))
    index = JoinedLines(flat)
    index.flat = flat
    return index


def cells_of(line: str) -> list[str]:
    return split_cells(line) if line.strip() else []


def column_cell(cells: list[str], cols: dict[str, int], key: str) -> str:
    """The cell under the column named ``key``, or "" where the header had no such
    column or the row is shorter than the header."""
    j = cols.get(key)
    return cells[j] if j is not None and j < len(cells) else ""


def joined_text(lines: list[str], start: int, end: int) -> tuple[str, list[int]]:
    """Squashed text of lines[start:end] and, per character, its 1-based line."""
    chars, where = [], []
    for i in range(start, min(end, len(lines))):
        s = normalize_label(lines[i])
        chars.append(s)
        where.extend([i + 1] * len(s))
    return "".join(chars), where


# ---------------------------------------------------------------------------
# target / actual values

_OPERATORS = (
    ("大于等于", "≥"), ("小于等于", "≤"), ("不低于", "≥"), ("不少于", "≥"),
    ("不高于", "≤"), ("不超过", "≤"), ("≥", "≥"), ("≤", "≤"), (">=", "≥"),
    ("<=", "≤"), ("》", "≥"), ("《", "≤"), ("＞", ">"), ("＜", "<"), (">", ">"),
    ("<", "<"), ("=", "="), ("大于", ">"), ("小于", "<"), ("达到", "≥"),
)
_UNITS = ("人次", "万元", "亿元", "元", "万人", "万", "%", "人", "家", "个", "年",
          "次", "件", "天", "户", "项", "分", "月", "条", "份", "场", "所", "批")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日|底|末)?(前|之前|以前)?")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MONTH_END = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}


@dataclass(frozen=True)
class Parsed:
    operator: str | None
    value: float | None
    unit: str | None


def split_operator(text: str) -> tuple[str | None, str]:
    for word, op in _OPERATORS:
        if text.startswith(word):
            return op, text[len(word):]
    return None, text


def parse_date(text: str) -> Parsed | None:
    """``2023年12月底前`` → (≤, 20231231, date)."""
    m = _DATE.match(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    day = int(m.group(3)) if m.group(3) else _MONTH_END.get(month, 31)
    return Parsed("≤" if m.group(4) else None, float(year * 10000 + month * 100 + day), "date")


@lru_cache(maxsize=1 << 14)
def parse_value(text: str | None) -> Parsed:
    """Operator, number and unit of a printed target/actual; text stays unparsed.

    Memoised (a pure function of the text, its result frozen): each indicator's
    values are parsed for its row, again when the rows are rebuilt after the
    checks, and by the checks."""
    s = normalize_label(text)
    op, rest = split_operator(s)
    date = parse_date(rest)
    if date:
        return Parsed(op or date.operator, date.value, date.unit)
    m = NUMBER.match(rest)
    if not m:
        return Parsed(op, None, None)
    tail = rest[m.end():]
    unit = next((u for u in _UNITS if tail.startswith(u)), None)
    return Parsed(op, float(m.group()), unit)


# ---------------------------------------------------------------------------
# structures shared with ingest.checks.selfeval_checks


@dataclass
class Indicator:
    scope: str
    project_name: str | None
    level1: str | None
    level2: str | None
    name: str | None
    target: str | None
    actual: str | None
    weight: Decimal | None
    score: Decimal | None
    line: int
    level2_printed: bool = False
    flags: list[str] = field(default_factory=list)


@dataclass
class Funding:
    initial: Decimal | None
    annual: Decimal | None
    executed: Decimal | None
    weight: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    line: int


@dataclass
class EvalTable:
    """One self-evaluation table or scoring list with what it prints about itself."""
    kind: str                    # standard / scoring_sheet / assessment
    scope: str                   # department / project
    project_name: str | None
    title_line: int
    indicators: list[Indicator] = field(default_factory=list)
    funding: Funding | None = None
    goal_target: str | None = None
    goal_actual: str | None = None
    goal_line: int | None = None
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    total_line: int | None = None
    level_points: dict = field(default_factory=dict)   # label → (weight, score, line)
    rubric: str | None = None                          # printed scoring rule text
    flags: list[str] = field(default_factory=list)     # e.g. flattened_low_confidence
