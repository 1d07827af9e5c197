"""Headline figures stated in self-evaluation reports and work summaries.

Vocabulary (metric → unit; what the report says):

=============================  ======  ==========================================
total_income                   万元    本年收入合计 / 收入合计 / 总收入 / 当年收入 / 收入预算
fiscal_appropriation_income    万元    财政拨款收入 / 财政拨款决算收入
total_expenditure              万元    本年支出合计 / 支出合计 / 总支出 / 决算支出数 /
                                       支出预算 / “当年收入 X 万元、支出 Y 万元”
basic_expenditure              万元    基本支出
project_expenditure            万元    项目支出; 项目支出 row of a 基础数据表 (决算数);
                                       ``全年资金执行数/…预算…=A/B`` formula (A)
personnel_expenditure          万元    人员经费 / 工资福利支出
public_expenditure             万元    公用经费 / 商品和服务支出
three_public_budget            万元    “三公”经费 … 预算(数/总额)为
three_public_actual            万元    “三公”经费 … 支出决算为; 三公经费 row of a 基础数据表
staff_authorized               人      …编制N名/人; 编制数(小计): N; 编制数 column
staff_actual                   人      (年末)(实有)在职人员/人数 N 人; 现有在编在岗 N 人;
                                       实际在职人数 column
self_evaluation_score          分      自评得分 / 自评分数为 / 总体评分为 / 绩效评分为;
                                       总分 row of a department's self-evaluation table
insured_persons_total          人      参保(人数) N 人 without a group; 参保… 总计 N 人
insured_residents              人      居民 … 参保(人数) N 人
insured_employees              人      职工 … 参保(人数) N 人
coverage_rate                  %       参保率 N% (not of a sub-group: 困难/特殊/脱贫 …)
reimbursement_person_times     人次    共/累计报销 N 人次
fund_recovered_wan_yuan        万元    追回(医保)基金 N 万元 (each recovery a row)
designated_institutions        家      与 N 家…医药机构签订 / 全县(共有)定点医药机构 N 家
=============================  ======  ==========================================

Quirks of the converted text handled here:

* sentences are broken over lines, often with a blank line between the halves
  (``工资福利支出95.98`` / ``万元，占64.32%``); each line is read together with
  the next non-empty line when it does not end a sentence, and a figure counts
  for the line it starts on;
* figures carry spaces (``122.83 万元``) and full-width digits: text is squashed
  and folded before matching; money printed in 元 is converted to 万元 exactly;
* a sub-group's figure (困难人员综合参保率) is not the area's; the group a
  participant count belongs to is the last 职工/居民 named before it in the same
  sentence;
* table cells are matched one by one (a keyword and a number in different
  cells are never paired), except for two small table layouts read by their
  headers: the staff block (编制数 / 实际在职人数 over a value row) and the
  basic data table (三公经费 / 项目支出 / 公用经费 rows under 预算数 / 决算数).

Sub-units: where one sentence gives a staff figure for two or more parts of
the unit (``局机关编制8名，实有在职人员9人；某某中心编制20名，实有在职人员21人``),
each figure's ``sub_unit`` is the part its clause (or an earlier clause of the
sentence) opens with, until a clause speaks of the whole (``全局…``); a
sentence splitting 编制 by kind (``行政编制6名、事业编制17名``) records the kind.
A lone part (``某某中心核定编制24名``, the unit itself) stays NULL. The unit
total is kept wherever the report states it (sub_unit NULL).

Evidence read from a table names the row, the column and the cell
(``三公经费 2023年预算数 2``, ``编制数 16``, ``总分 得分 90``), never cells run
together.

A metric found with different values in one report gives every row; the
check ``ingest.checks.figures`` (MET_CONTRADICTORY) reports the contradiction,
comparing like scopes only: a part's figure never contradicts the unit's.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ingest.numbers import to_wan_yuan
from ingest.parsers import dedupe_metrics
from ingest.parsers.rules.metric_parts import assign_parts
from ingest.parsers.rules.metric_screen import END, ClauseScreen, anchor, candidate_lines, pieces_regex
from ingest.parsers.rules.metric_years import YEAR, old_sections, report_year
from ingest.prefilter import Finder, Screen, required
from ingest.text import normalize_label, split_cells
from ingest.vocabularies import metric_wordings

_NUM = r"(\d+(?:\.\d+)?)"
_END = END   # (metric_screen: the windows it screens are reading_text's)

# ingest/vocabularies/metric_wordings.csv: money (group 1 value, group 2 万元/元), then counts
MONEY_PATTERNS: list[tuple[str, re.Pattern]] = [(metric, pattern) for metric, unit, pattern
                                                 in metric_wordings("metrics") if unit == "万元"]
EXECUTION_FORMULA = re.compile(r"执行数/[^=]{0,20}预算[^=]{0,20}[)）]\*100%=" + _NUM + r"/" + _NUM)
COUNT_PATTERNS: list[tuple[str, str, re.Pattern]] = [w for w in metric_wordings("metrics") if w[1] != "万元"]
INSURED = re.compile(r"参保(?:人数|总人数)?(?:为|达|共)?(\d+(?:\.\d+)?)(万)?人(?!次)")
INSURED_TOTAL = re.compile(r"(?:总计|合计|共计)(\d+)人(?!次)")
# what each pattern's matches hold (metric_screen.clauses): a pattern missing one is not scanned
_SCREEN = ClauseScreen([p for _, p in MONEY_PATTERNS] + [p for _, _, p in COUNT_PATTERNS])
_MONEY = [(k, metric, Finder(pattern)) for k, (metric, pattern) in enumerate(MONEY_PATTERNS)]
_COUNTS = [(k, metric, unit, Finder(pattern))
           for k, (metric, unit, pattern) in enumerate(COUNT_PATTERNS, len(MONEY_PATTERNS))]


@lru_cache(maxsize=1 << 12)
def _scans(present: frozenset[str]) -> tuple[list, list]:
    """The money and count patterns, in file order, that can match where ``present``
    are the pieces (lines share few sets of pieces: the choice is made once per set)."""
    return ([(metric, finder) for k, metric, finder in _MONEY if _SCREEN.possible(k, present)],
            [(metric, unit, finder) for k, metric, unit, finder in _COUNTS if _SCREEN.possible(k, present)])
_CELL_COUNTS = [w for w in COUNT_PATTERNS if w[2].pattern.endswith("$")]   # a whole cell
SUBGROUP = re.compile(r"困难|特殊|脱贫|贫困|监测|低保|零缴费|退役|农民工|建档|低收入|特困|优抚|目标|力争")
CUMULATIVE = {"fund_recovered_wan_yuan", "reimbursement_person_times", "designated_institutions"}


def row(metric: str, value: Decimal, unit: str, evidence: str, line: int,
        sub_unit: str | None = None) -> dict:
    return {"metric": metric, "value": value, "unit": unit, "evidence": evidence,
            "sub_unit": sub_unit, "source_line": line}


def money(value: str, unit: str) -> Decimal:
    return to_wan_yuan(Decimal(value.replace(",", "")), unit)


def clause(text: str, start: int, end: int) -> str:
    """The snippet around a match: from the clause start to the match end."""
    cut = max(text.rfind(p, 0, start) for p in "，,。；;") + 1
    return text[cut:end]


def sentence_before(text: str, start: int) -> str:
    cut = max(text.rfind(p, 0, start) for p in "。；;") + 1
    return text[cut:start]


def clause_before(text: str, start: int) -> str:
    cut = max(text.rfind(p, 0, start) for p in "，,。；;、") + 1
    return text[cut:start]


def reading_text(lines: list[str], i: int) -> tuple[str, int]:
    """Line i squashed, with the next non-empty line appended when the sentence runs on."""
    own = normalize_label(lines[i])   # (folded already)
    if not own or own[-1] in _END:
        return own, len(own)
    for j in range(i + 1, min(i + 3, len(lines))):
        nxt = normalize_label(lines[j])
        if nxt:
            if "\t" in lines[j] or "\t" in lines[i]:
                break
            return own + nxt, len(own)
        continue
    return own, len(own)


def earlier_year(text: str, start: int, year: int | None) -> bool:
    """The sentence dates the figure to a year before the report's (an old summary)."""
    if year is None:
        return False
    years = YEAR.findall(sentence_before(text, start))
    return bool(years) and int(years[-1]) < year


def prose_metrics(text: str, own: int, line: int, year: int | None = None) -> list[dict]:
    """Figures of one prose line (matches starting on the line itself)."""
    return [r for r, start in _prose_metrics(text, own, line) if not earlier_year(text, start, year)]


_DIGIT = re.compile(r"\d")   # every figure pattern reads its value (group 1, a Decimal) as digits
# a piece every match holds (the formula's, the participants'): a window without it is not scanned
_EXECUTION_NEEDS = max(required(EXECUTION_FORMULA), key=len)
_INSURED_NEEDS = max(required(INSURED), key=len)


def _prose_metrics(text: str, own: int, line: int) -> list[tuple[dict, int]]:
    if not _DIGIT.search(text):
        return []
    out = []
    # a pattern missing a piece every match holds: no scan
    money_scans, count_scans = _scans(_SCREEN.present(text))
    for metric, finder in money_scans:
        for m in finder.finditer(text):
            if m.start() >= own:
                break          # matches come left to right: the rest start on the next line
            out.append((row(metric, money(m.group(1), m.group(2)), "万元",
                            clause(text, m.start(), m.end()), line), m.start()))
    for metric, unit, finder in count_scans:
        for m in finder.finditer(text):
            if m.start() >= own:
                break
            if metric == "coverage_rate" and SUBGROUP.search(clause_before(text, m.start())):
                continue
            out.append((row(metric, Decimal(m.group(1)), unit, clause(text, m.start(), m.end()), line),
                        m.start()))
    for m in (EXECUTION_FORMULA.finditer(text) if _EXECUTION_NEEDS in text else ()):
        if m.start() < own:
            out.append((row("project_expenditure", Decimal(m.group(1)), "万元", m.group(0), line), m.start()))
    if _INSURED_NEEDS in text:
        out += insured_metrics(text, own, line)
    if out:
        assign_parts(text, out)
    return out


def insured_group(text: str, start: int) -> str | None:
    """insured_employees / insured_residents / insured_persons_total, None for a sub-group."""
    if SUBGROUP.search(clause_before(text, start)):
        return None
    before = sentence_before(text, start)
    groups = [(before.rfind(w), name) for w, name in (("职工", "insured_employees"), ("居民", "insured_residents"))]
    pos, name = max(groups)
    return name if pos >= 0 else "insured_persons_total"


def insured_metrics(text: str, own: int, line: int) -> list[tuple[dict, int]]:
    out = []
    for m in INSURED.finditer(text):
        if m.start() >= own:
            continue
        metric = insured_group(text, m.start())
        if metric:
            value = Decimal(m.group(1)) * (10000 if m.group(2) else 1)
            out.append((row(metric, value, "人", clause(text, m.start(), m.end()), line), m.start()))
    if out:
        for m in INSURED_TOTAL.finditer(text):
            if m.start() < own and "参保" in sentence_before(text, m.start()):
                out.append((row("insured_persons_total", Decimal(m.group(1)), "人",
                                clause(text, m.start(), m.end()), line), m.start()))
    return out


# --- cells and small tables ----------------------------------------------------

_CELL_MONEY = re.compile(r"^(?:其中[:：])?(基本支出|项目支出|人员经费|公用经费)[:：]" + _NUM + "$")
_CELL_METRIC = {"基本支出": "basic_expenditure", "项目支出": "project_expenditure",
                "人员经费": "personnel_expenditure", "公用经费": "public_expenditure"}


_CELL_WORDS = re.compile("|".join(_CELL_METRIC))           # a money cell names one of them
_CELL_SCREEN = Screen([pattern for _, _, pattern in _CELL_COUNTS])


def in_wan_yuan_block(lines: list[str], i: int) -> bool:
    return any("万元" in lines[j] for j in range(max(0, i - 6), i + 1))


def cell_metrics(lines: list[str], i: int) -> list[dict]:
    """``项目支出: 239.79`` inside one cell of a table in 万元; ``编制数小计: 13``."""
    if not _DIGIT.search(lines[i]):
        return []
    # each cell, normalised, is a piece of the line normalised: what no cell can match is not tried
    flat = normalize_label(lines[i])
    present = _CELL_SCREEN.present(flat)
    counts = [w for w, needs in zip(_CELL_COUNTS, _CELL_SCREEN.needs) if needs <= present]
    money = bool(_CELL_WORDS.search(flat))
    if not money and not counts:
        return []
    out = []
    for cell in split_cells(lines[i]):
        c = normalize_label(cell)   # (folded already)
        m = _CELL_MONEY.match(c) if money else None
        if m and in_wan_yuan_block(lines, i):
            out.append(row(_CELL_METRIC[m.group(1)], Decimal(m.group(2)), "万元", c, i + 1))
        for metric, unit, pattern in counts:
            m = pattern.search(c)
            if m:
                out.append(row(metric, Decimal(m.group(1)), unit, c, i + 1))
    return out


def next_row(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, min(i + 3, len(lines))):
        if lines[j].strip():
            return j
    return None


_STAFF_HEADER = "编制数"
_BASIC_HEADER = "预算数"


def staff_block(lines: list[str], i: int) -> list[dict]:
    """编制数 / 实际在职人数 headers over a row of counts."""
    if "\t" not in lines[i] or _STAFF_HEADER not in normalize_label(lines[i]):
        return []   # (each cell, normalised, is a piece of the line normalised)
    cells = [normalize_label(c) for c in split_cells(lines[i])]
    wanted = {"staff_authorized": lambda c: c == "编制数" or c.endswith("编制数"),
              "staff_actual": lambda c: "在职人数" in c}
    cols = {m: next((k for k, c in enumerate(cells) if test(c)), None) for m, test in wanted.items()}
    if cols["staff_authorized"] is None or "\t" not in lines[i]:
        return []
    j = next_row(lines, i)
    if j is None:
        return []
    values = [normalize_label(c) for c in split_cells(lines[j])]
    out = []
    for metric, k in cols.items():
        if k is not None and k < len(values) and values[k].isdigit():
            out.append(row(metric, Decimal(values[k]), "人", f"{cells[k]} {values[k]}", j + 1))
    return out


_BASIC_ROWS = {"三公经费": ("three_public_budget", "three_public_actual"),
               "项目支出": (None, "project_expenditure"),
               "公用经费": (None, "public_expenditure")}


def basic_data_block(lines: list[str], i: int) -> list[dict]:
    """三公经费 / 项目支出 / 公用经费 rows under 预算数 / 决算数 headers (万元)."""
    flat = normalize_label(lines[i])   # each cell, normalised, is a piece of it
    if "\t" not in lines[i] or _BASIC_HEADER not in flat or "决算数" not in flat or "万元" not in flat:
        return []
    cells = [normalize_label(c) for c in split_cells(lines[i])]
    budget = [k for k, c in enumerate(cells) if c.endswith("预算数")]
    final = [k for k, c in enumerate(cells) if c.endswith("决算数")]
    if "\t" not in lines[i] or not budget or not final or "万元" not in "".join(cells):
        return []
    out = []
    for j in range(i + 1, min(i + 30, len(lines))):
        row_cells = [normalize_label(c) for c in split_cells(lines[j])]
        if not row_cells or "\t" not in lines[j]:
            break
        label = row_cells[0].rstrip(":：")
        if label not in _BASIC_ROWS:
            continue
        for metric, k in zip(_BASIC_ROWS[label], (budget[-1], final[-1])):
            if metric and k < len(row_cells) and re.fullmatch(_NUM, row_cells[k]):
                evidence = f"{label} {cells[k]} {row_cells[k]}"
                out.append(row(metric, Decimal(row_cells[k]), "万元", evidence, j + 1))
    return out


# what a line's window must hold for any of the readers above to find a figure in it
_PIECES = pieces_regex([anchor(p) for p in [p for _, p in MONEY_PATTERNS] + [p for _, _, p in COUNT_PATTERNS]
                        + [EXECUTION_FORMULA, INSURED]]
                       + [frozenset(_CELL_METRIC)] + [anchor(p) for _, _, p in _CELL_COUNTS]
                       + [frozenset([_STAFF_HEADER]), frozenset([_BASIC_HEADER])])


def table_score_metrics(lines: list[str], tables) -> list[dict]:
    """The printed total score of a department's own self-evaluation table
    (``tables``: the self-evaluation stage's typed result); a report that is
    one project's sheet scores with that sheet's total."""
    tables = [t for t in tables if t.kind != "assessment"]
    scored = [t for t in tables if t.scope == "department"]
    if not scored:
        projects = [t for t in tables if t.scope == "project"]
        scored = projects if len(projects) == 1 else []
    out = []
    for t in scored:
        if t.total_score is not None and t.total_line:
            label = next((c for c in (normalize_label(x) for x in split_cells(lines[t.total_line - 1])) if c),
                         "总分")
            label = label if len(label) <= 8 else "总分"
            out.append(row("self_evaluation_score", t.total_score, "分",
                           f"{label} 得分 {format(t.total_score.normalize(), 'f')}", t.total_line))
    return out


def extract(lines: list[str], selfeval=()) -> dict[str, list[dict]]:
    """``selfeval``: the self-evaluation tables (from the selfeval stage)."""
    rows: list[dict] = []
    year = report_year(lines)
    old = old_sections(lines, year)
    for i in candidate_lines(lines, _PIECES):   # (non-empty lines that can hold a figure)
        if i in old:
            continue
        line = lines[i]
        if "\t" in line or "|" in line:
            rows += cell_metrics(lines, i) + staff_block(lines, i) + basic_data_block(lines, i)
            continue
        text, own = reading_text(lines, i)
        rows += prose_metrics(text, own, i + 1, year)
    rows += table_score_metrics(lines, selfeval or ())
    rows = dedupe_metrics(rows)
    # a metric stated with different values: ingest.checks.figures (MET_CONTRADICTORY)
    return {"metrics": rows}
