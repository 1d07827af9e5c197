"""Performance self-evaluations (绩效自评): indicator rows and project executions.

Three layouts are read, each found by its own header, never by its position:

1. **Standard self-evaluation tables** (财预〔2020〕10号 form: 部门整体支出绩效自评表,
   项目支出绩效自评表). A header row names 一级指标 / 二级指标 / 三级指标 /
   年度指标值 / 实际完成值 / 分值 / 得分; the cells of each indicator row are read
   by the header's column positions. Quirks:

   * level labels carry point annotations (``产出 指标 (50 分)``) and are broken
     by the converter into pieces with spaces; they are squashed and the
     annotation dropped. A level label printed once spans the following rows
     (merged cells): blank level cells inherit the label above, and a new
     level1 resets the level2 carried over.
   * the funding block above the indicators (``年度资金总额`` with 年初预算数 /
     全年预算数 / 全年执行数 / 分值 / 执行率 / 得分) gives a project its budget
     execution, and the ``总分`` row its total weight and score.
   * the project name is the cell after ``项目支出名称`` / ``项目名称``; the scope is
     ``department`` when the title says 部门/单位整体.
   * OCR noise is kept as printed (``》80%``); the parser reads ``》`` as ≥ and
     ``《`` as ≤ when it parses the operator.

2. **Scoring sheets** (部门整体支出绩效自评指标评分表 of some provinces): a header
   with 一级指标 / 分值 / 二级指标 / 分值 / 三级指标 / 分值 / 得分 and long
   explanation columns, no 指标值. Converted sheets are often shifted: rows lose
   their empty cells so that numbers and names slide left, names are missing,
   and level labels are displaced to the end of the table. Rows are therefore
   read by *kind of cell*: the short text cells before the first number are
   level labels, the first two numbers are weight and score, a short text right
   after the numbers is the indicator name; explanation cells (反映…, long
   sentences) are not names. A level2 label carried down from a row above is
   kept only while the rows still speak of it (its stem, e.g. 采购 of 采购管理,
   appears in the row's text) — when the next group's label was lost, its rows
   get no level2 rather than a wrong one. Label rows printed after the
   indicators (``运行成本 3``) are re-attached to the unlabelled rows just
   above whose weights add up to the label's weight. Identical consecutive rows
   are a converter duplicate and are read once.

3. **Assessment lists in prose** (绩效管理工作考核: ``一、基础工作（总分 16 分，
   总得分 16 分）`` followed by ``（一）、组织保障，……得 2 分；……该项得 3 分``).
   Each ``该项得 N 分`` closes one criterion; its name is the short phrase after
   the ``（一）`` marker; its weight is the single full mark the criterion states
   (``得 5 分`` / ``最高得 3 分`` / ``× 4 分``), none when the rule adds several
   partial marks. Lines broken in mid-sentence are joined first.

Projects are also read from the 部门整体支出绩效评价基础数据表 (``项目支出：``
followed by numbered project rows under 预算数 / 决算数 columns) and from prose
lists (``1、某项目经费预算51.96万元，执行完成51.96万元；`` or ``某资金 0.9 万元，
已全部支出``). A project stated by several sources is kept once: the
self-evaluation table wins over the basic data table and prose when their budget
and spending agree; prose lists stating the same project twice are merged.
"""
from __future__ import annotations

from ingest.parsers import Parsed as StageOutput
from ingest.parsers.evaluation.assessment import parse_assessment
from ingest.parsers.evaluation.model import EvalTable, Funding, Indicator, as_money, parse_value, squashed_index
from ingest.parsers.evaluation.projects import ProjectRow, combine_projects
from ingest.parsers.evaluation.sheets import parse_scoring_sheet
from ingest.parsers.evaluation.standard import (
    LEVEL1,
    is_placeholder,
    is_scoring_header,
    is_standard_header,
    is_total_label,
    parse_standard,
    table_scope,
)
from ingest.parsers.rules import selfeval_flat

__all__ = ["EvalTable", "Funding", "Indicator", "ProjectRow", "as_money", "extract", "is_placeholder",
           "is_total_label", "parse_tables", "parse_value"]
from ingest.text import fold_width

# ---------------------------------------------------------------------------
# driver

def parse_tables(lines: list[str], index=None) -> list[EvalTable]:
    """Every self-evaluation table, scoring sheet and assessment list of a report
    (``index``: ``squashed_index(lines)``, where the caller has it)."""
    tables: list[EvalTable] = []
    index = index or squashed_index(lines)
    floor, i = 0, 0
    # only a line printing a level-1 word can be a header or a flattened sheet
    for k in index.holding_any({LEVEL1, selfeval_flat.HEADER_WORDS[1]}):
        if k < i:
            continue   # inside the table read last
        i = k
        if selfeval_flat.is_flattened_sheet(lines[i]):
            tables.append(parse_flattened(lines[i], i + 1))
            floor, i = i + 1, i + 1
        elif is_standard_header(lines[i]):
            table, end = parse_standard(lines, i, floor)
            tables.append(table)
            floor, i = end, end
        elif is_scoring_header(lines[i]):
            table, end = parse_scoring_sheet(lines, i, floor)
            tables.append(table)
            floor, i = end, end
        else:
            i += 1
    tables.extend(parse_assessment(lines, index))
    return tables


def parse_flattened(line: str, number: int) -> EvalTable:
    """A sheet flattened onto one line: what it states unambiguously, flagged."""
    got = selfeval_flat.read_flattened(line)
    scope = table_scope(got["title"] or "")
    name = got["project_name"] if scope == "project" else None
    table = EvalTable("flattened", scope, name, number, flags=[selfeval_flat.FLAG])
    money = got["money"]
    if money and money.get("annual") is not None:
        table.funding = Funding(money.get("initial"), money.get("annual"), money.get("executed"),
                                money.get("weight"), money.get("rate"), money.get("score"), number)
    for ind in got["indicators"]:
        table.indicators.append(Indicator(scope, name, ind["level1"], ind["level2"], ind["name"],
                                          None, None, ind["weight"], ind["score"], number,
                                          level2_printed=ind["level2"] is not None,
                                          flags=[selfeval_flat.FLAG]))
    if got["total"]:
        table.total_weight, table.total_score = got["total"]
        table.total_line = number
    return table


def flattened_issues(tables: list[EvalTable]) -> list[dict]:
    """One low-confidence notice per sheet read from a flattened line."""
    return [{"check_id": "selfeval_flattened_table", "severity": "warning",
             "kind": "low_confidence_table", "location": t.project_name or "自评表",
             "expected": None, "observed": f"{len(t.indicators)} indicators",
             "description": "自评表被压平为一行(单元格以空格分隔)：只读取了项目、资金和指标名称及分值、得分，"
                            "指标值与实际完成值未读取",
             "source_line": t.title_line}
            for t in tables if selfeval_flat.FLAG in t.flags]


def indicator_row(ind: Indicator) -> dict:
    target, actual = parse_value(ind.target), parse_value(ind.actual)
    return {
        "scope": ind.scope,
        "project_name": fold_width(ind.project_name) if ind.project_name else None,
        "level1": ind.level1,
        "level2": ind.level2,
        "indicator_name": ind.name,
        "target_text": ind.target,
        "actual_text": ind.actual,
        "weight": ind.weight,
        "score": ind.score,
        "target_operator": target.operator, "target_value": target.value, "target_unit": target.unit,
        "actual_operator": actual.operator, "actual_value": actual.value, "actual_unit": actual.unit,
        "is_qualitative": bool(ind.target) and target.value is None,
        "flags": ",".join(ind.flags),
        "source_line": ind.line,
    }


def project_row(p: ProjectRow) -> dict:
    return {
        "project_name": p.name,
        "initial_budget_wan_yuan": p.initial,
        "annual_budget_wan_yuan": p.annual,
        "executed_wan_yuan": p.executed,
        "execution_rate_pct": p.rate,
        "score": p.score,
        "origin": p.origin,
        "source_line": p.line,
    }


def extract(lines: list[str]) -> StageOutput:
    """Indicators and projects; the typed tables go to the metrics stage and to
    :mod:`ingest.checks.selfeval_checks`, whose flags ``refresh`` picks up."""
    index = squashed_index(lines)   # (one for the tables and the projects)
    tables = parse_tables(lines, index)
    projects = [project_row(p) for p in combine_projects(tables, lines, index)]

    def rows() -> dict[str, list[dict]]:
        return {"indicators": [indicator_row(ind) for t in tables for ind in t.indicators],
                "projects": projects, "quality_issues": flattened_issues(tables)}

    return StageOutput(rows(), value=tables, refresh=rows)
