"""The 情况说明 narrative of a 部门决算 / 部门预算 → ``line_items`` and ``metrics``.

Report format quirks handled here
---------------------------------
* The narrative is prose converted from PDF: sentences wrap anywhere, even
  inside a number or a unit (``年初预算为1560.05 万元``, ``…年初预算为`` / ``161.62万元``).
  All lines that are not table rows are folded (full width → ASCII),
  stripped of whitespace and joined into one text; every character keeps the
  source line it came from.
* **Per-subject statements** name a functional subject by its names
  ``卫生健康支出（类）医疗保障管理事务（款）行政运行（项）``, sometimes with codes
  ``公共安全支出（204类）司法（06款）行政运行（01项）``, or as a quoted path
  ``“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目``. The figures
  follow: ``年初预算为45.83万元，支出决算为45.83万元`` (决算 → measures
  ``initial_budget`` and ``final``) or directly ``…（项）1672.67万元`` /
  ``…”科目1,202.95万元`` (预算 → measure ``budget``, label ``预算数``).
  Rows: ``table_kind='narrative'``, ``table_no=None``,
  ``classification='functional'``.
* **Codes.** A code printed in the statement is used as printed. Otherwise
  the code comes from the tables of the same document: the 项 whose name is
  the statement's 项 name (narratives add or drop a trailing ``支出``:
  ``城乡医疗救助支出`` ↔ ``城乡医疗救助``), narrowed by the 类 (national class
  names, shortened forms such as ``住房保障``) and the 款 where the tables print
  款 rows. An unresolvable subject keeps ``code=None``.
* **Headline totals** become ``metrics`` (unit 万元 unless stated; ``evidence``
  is the snippet, whitespace removed). The first statement of each metric
  wins. Vocabulary (gold/SCHEMA.md plus extensions):

  ==============================  =============================================
  total_income                    本年收入合计 / 总收入 / 收入合计 / 收入预算
  fiscal_appropriation_income     财政拨款收入
  total_expenditure               本年支出合计 / 总支出 / 支出合计 / 支出预算
  basic_expenditure               基本支出
  project_expenditure             项目支出
  personnel_expenditure           人员经费
  public_expenditure              公用经费
  three_public_budget             “三公”经费 (年初)预算(数)
  three_public_actual             “三公”经费 … 支出决算
  admin_operating_expenses        机关运行经费 (支出 / 预算)  — extension
  government_procurement_total    政府采购 支出总额 / 金额 / 预算 — extension
  vehicles_total                  共有车辆 N 辆 (unit 辆) — extension
  ==============================  =============================================
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ingest.lead_literals import LiteralFinder, leading_literals
from ingest.numbers import parse_amount, to_wan_yuan
from ingest.parsers import Parsed
from ingest.prefilter import Finder, possible
from ingest.text import normalize_label
from ingest.vocabularies import functional_classes, metric_wordings

NUM = r"(\d[\d,]*(?:\.\d+)?)"


@dataclass
class Prose:
    text: str
    starts: list[int]   # where each line's text starts in ``text`` (lines with text only)
    rows: list[int]     # … and its 0-based line index

    def line(self, pos: int) -> int:
        """The line of the character at ``pos`` (the last character's past the end)."""
        if not self.text:
            return 0
        return self.rows[bisect_right(self.starts, min(pos, len(self.text) - 1)) - 1]

    def line_start(self, pos: int) -> int:
        """Where the line of the character at ``pos`` starts in ``text``: the
        first position back from ``pos`` whose ``line`` is the same (each line
        holds one run of ``text``; a ``pos`` past the end is on the last line)."""
        if pos <= 0:
            return pos
        if not self.text:
            return 0
        return self.starts[bisect_right(self.starts, min(pos, len(self.text) - 1)) - 1]


def build_prose(lines: list[str]) -> Prose:
    """All non-table lines, folded and whitespace-free, joined."""
    parts, starts, rows = [], [], []
    size = 0
    for i, line in enumerate(lines):
        if "\t" in line:
            continue
        text = normalize_label(line)
        if text:
            parts.append(text)
            starts.append(size)
            rows.append(i)
            size += len(text)
    return Prose("".join(parts), starts, rows)


# --- per-subject statements ----------------------------------------------------

_PAREN_SUBJECT = re.compile(
    r"(?P<cls>[\u4e00-\u9fff]{2,20}?)\((?P<cc>\d{3})?类\)"
    r"(?P<kuan>[^。；;,，“”]{1,40}?)\((?P<kc>\d{2})?款\)"
    r"(?P<item>[^。；;,，“”]{1,40}?)\((?P<ic>\d{2})?项\)"
)
_PATH_SUBJECT = re.compile(
    r"“(?P<cls>[^“”\-]{2,30})-(?P<kuan>[^“”]{1,40}?)-(?P<item>[^“”\-]{1,40})”科目"
)
_INITIAL = re.compile(r"(年初预算(?:数)?)为?" + NUM + r"万元")
_FINAL = re.compile(r"(支出决算(?:数)?)为?" + NUM + r"万元")
_DIRECT = re.compile(r"^" + NUM + r"万元")


@dataclass
class Statement:
    cls: str
    kuan: str
    item: str
    code: str | None
    values: list[tuple[str, str, str, int]]  # (measure, label, printed, line index)
    start: int


# Where a _PAREN_SUBJECT match can be: its 类 name is a run of ideographs right before the
# first "(" after the match's start, and that "(" opens ``(类)`` / ``(204类)``.
_PAREN_ANCHOR = re.compile(r"\((?:\d{3})?类\)")
_CLASS_NAME_BEFORE = re.compile(r"[\u4e00-\u9fff]{2,20}\(\Z")   # searched with endpos after the "("


def paren_subjects(text: str) -> list[re.Match]:
    """``_PAREN_SUBJECT.finditer(text)``, tried only where a match can start.

    The 类 name (2–20 ideographs, lazily) can't run past a "(", so a match's
    first "(" is its ``(类)``: for each such anchor, the leftmost start (at or
    after the previous match's end) whose text up to the anchor is 2–20
    ideographs is the only place to try — any start before the anchor gives
    the same outcome from the anchor on, so if the leftmost fails they all
    do. ``re`` alone tries the lazy name at every ideograph of the text.
    """
    out: list[re.Match] = []
    pos = 0
    for anchor in _PAREN_ANCHOR.finditer(text):
        p = anchor.start()
        if p - 2 < pos:
            continue
        head = _CLASS_NAME_BEFORE.search(text, max(pos, p - 20), p + 1)
        m = _PAREN_SUBJECT.match(text, head.start()) if head else None
        if m:
            out.append(m)
            pos = m.end()
    return out


def _subjects(text: str) -> list[re.Match]:
    found = paren_subjects(text) if possible(_PAREN_SUBJECT, text) else []
    if possible(_PATH_SUBJECT, text):   # (a text without a piece it needs: no slow scan)
        found += _PATH_SUBJECT.finditer(text)
    return sorted(found, key=lambda m: m.start())


def _printed_code(m: re.Match) -> str | None:
    groups = m.groupdict()
    if groups.get("cc") and groups.get("kc") and groups.get("ic"):
        return groups["cc"] + groups["kc"] + groups["ic"]
    return None


def _statement_values(prose: Prose, m: re.Match, stop: int) -> list[tuple[str, str, str, int]]:
    window = prose.text[m.end():stop]
    direct = _DIRECT.match(window)
    if direct:
        pos = m.end() + direct.start(1)
        return [("budget", "预算数", direct.group(1), prose.line(pos))]
    out = []
    for pattern, measure in ((_INITIAL, "initial_budget"), (_FINAL, "final")):
        hit = pattern.search(window)
        if hit:
            pos = m.end() + hit.start(2)
            out.append((measure, hit.group(1), hit.group(2), prose.line(pos)))
    return out


def statements(prose: Prose) -> list[Statement]:
    subjects = _subjects(prose.text)
    out = []
    for n, m in enumerate(subjects):
        stop = subjects[n + 1].start() if n + 1 < len(subjects) else min(len(prose.text), m.end() + 300)
        stop = min(stop, m.end() + 300)
        values = _statement_values(prose, m, stop)
        if values:
            out.append(Statement(m.group("cls"), m.group("kuan"), m.group("item"),
                                 _printed_code(m), values, m.start()))
    return out


# --- code resolution -------------------------------------------------------------

def class_code(name: str, classes: dict[str, str]) -> str | None:
    """3-digit code of a 类 name as the narrative prints it (maybe shortened)."""
    n = normalize_label(name)
    for code, full in classes.items():
        if n.endswith(full) or n.endswith(full.removesuffix("支出")) and len(full) > 3:
            return code
    return None


def same_subject_name(a: str, b: str) -> bool:
    a, b = normalize_label(a), normalize_label(b)
    return a == b or a + "支出" == b or a == b + "支出"


def resolve_code(st: Statement, subjects: dict[str, str], classes: dict[str, str]) -> str | None:
    """The 7-digit code of a statement, from its printed code or the tables' subjects."""
    if st.code:
        return st.code
    candidates = [c for c, name in subjects.items() if len(c) == 7 and same_subject_name(name, st.item)]
    cls = class_code(st.cls, classes)
    if cls and len(candidates) > 1:
        candidates = [c for c in candidates if c.startswith(cls)] or candidates
    kuans = [c for c, name in subjects.items() if len(c) == 5 and same_subject_name(name, st.kuan)]
    if kuans and len(candidates) > 1:
        candidates = [c for c in candidates if any(c.startswith(k) for k in kuans)] or candidates
    if len(candidates) == 1:
        return candidates[0]
    if cls and not candidates:
        return None
    return None


UNRESOLVED_CHECK = "narrative_subject_unresolved"


def unresolved_issue(st: Statement) -> dict:
    """A statement whose subject matches no code of the tables: recorded, not a fact."""
    line = st.values[0][3] + 1
    name = normalize_label(st.item)
    return {
        "check_id": UNRESOLVED_CHECK,
        "severity": "info",
        "kind": "unresolved_subject",
        "location": f"正文 第{line}行",
        "expected": "表中的功能分类科目编码",
        "observed": name,
        "description": f"正文所述科目“{name}”在本报告的表中找不到对应的功能分类编码，"
                       "其金额未计入科目事实。",
        "source_line": line,
    }


def statement_rows(prose: Prose, subjects: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """Per-subject statements with codes resolved against the tables' ``subjects``.

    Returns the line_items rows and, for statements whose subject matches no
    code (a name the tables don't print, a conversion typo), one
    ``quality_issues`` row each: a fact needs its code, and one report's
    wording must never leave a NULL-coded fact that fails the build.
    """
    rows, unresolved = [], []
    classes = functional_classes()
    for st in statements(prose):
        code = resolve_code(st, subjects, classes)
        if code is None:
            if st.values:
                unresolved.append(unresolved_issue(st))
            continue
        for measure, label, printed, line_index in st.values:
            rows.append({
                "table_no": None,
                "table_title": None,
                "table_kind": "narrative",
                "classification": "functional",
                "code": code,
                "line_name": normalize_label(st.item),
                "measure_label": label,
                "measure": measure,
                "amount_text": printed,
                "unit": "万元",
                "amount_wan_yuan": parse_amount(printed),
                "source_line": line_index + 1,
            })
    return rows, unresolved


# --- metrics -------------------------------------------------------------------

_METRICS = metric_wordings("narrative")   # ingest/vocabularies/metric_wordings.csv, shared with metrics


def _finder(pattern: re.Pattern) -> Finder | LiteralFinder:
    """The same search, started where a match can start: at its leading words when
    it opens with an alternation of them (``re`` has no literal of its own to scan
    for there), else where ``prefilter.Finder`` starts it."""
    words = leading_literals(pattern)
    return LiteralFinder(pattern) if words and len(words) > 1 else Finder(pattern)


_FINDERS = tuple(_finder(pattern) for _, _, pattern in _METRICS)


_CLAUSE_MARKS = "。；;,，:："


def _evidence(prose: Prose, start: int, end: int) -> str:
    """The clause of the match: back to the previous punctuation or line start,
    at most 40 characters. (A mark further back than that can't be the start,
    so the marks are looked for only within the window.)"""
    text = prose.text
    low = max(0, start - 41)
    head = max(text.rfind(d, low, start) for d in _CLAUSE_MARKS)
    return text[max(head + 1, prose.line_start(start), start - 40):end]


def narrative_metrics(prose: Prose) -> list[dict]:
    out, seen = [], set()
    for (metric, unit, pattern), finder in zip(_METRICS, _FINDERS):
        m = None if metric in seen or not possible(pattern, prose.text) else finder.search(prose.text)
        if not m:
            continue
        value = parse_amount(m.group(1))
        if value is None:
            continue
        if unit == "万元":
            value = to_wan_yuan(value, m.group(2))
        seen.add(metric)
        out.append({
            "metric": metric,
            "value": value,
            "unit": unit,
            "evidence": _evidence(prose, m.start(), m.end()),
            "sub_unit": None,
            "source_line": prose.line(m.start(1)) + 1,
        })
    return out


@dataclass
class NarrativeResult:
    statements: list[dict]   # the per-subject line_items rows
    metrics: list[dict]      # the headline totals as stated


def extract(lines: list[str], tables=None) -> Parsed:
    """``tables``: the tables stage's result (its subjects resolve codes)."""
    prose = build_prose(lines)
    subjects = tables.subjects() if tables is not None else {}
    (rows, unresolved), metrics = statement_rows(prose, subjects), narrative_metrics(prose)
    return Parsed({"line_items": rows, "metrics": metrics, "quality_issues": unresolved},
                  value=NarrativeResult(rows, metrics))
