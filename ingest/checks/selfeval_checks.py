"""Consistency checks on performance self-evaluations (domain ``self_evaluation``).

Every check compares figures the report prints about itself; none changes a
printed figure. Each failed check is one QUALITY_ISSUES row; checks about one
indicator also add a flag to that indicator's ``flags`` column.

=============================  ==============================================
check_id                       what it compares
=============================  ==============================================
SE_ACTUAL_REPEATS_TARGET       actual value printed as the target's comparator
                               (target ≥90%, actual ≥90%): no real figure given
SE_WEIGHT_TOTAL                Σ weights (funding row + indicators) vs the
                               table's printed total weight (总分 分值)
SE_LEVEL_POINTS                a level's printed points (产出指标 (50分), 总分16分)
                               vs Σ weights / Σ scores of its rows
SE_SCORE_ABOVE_WEIGHT          an indicator scored above its weight
SE_TOTAL_SCORE                 printed total score vs Σ scores
SE_LEVEL_FIT                   level2 category outside its level1 (产出→数量/质量/
                               时效/成本, 效益→经济/社会/生态/可持续影响,
                               满意度→服务对象满意度)
SE_COPIED_GOAL                 a project's goal text copied from another table
SE_RUBRIC_SCORE                score recomputed from the completion rate
                               (actual/target) under the report's printed
                               rubric bands, else proportional scoring
SE_EXECUTION_SCORE             funding-row score vs execution rate × weight
SE_EXECUTION_VS_TOTAL          total self-score far above the budget execution
                               rate (spent 41.76 % but scores 90)
SE_EXECUTION_RATE              printed execution rate vs executed / budget
SE_DUPLICATE_INDICATOR         the same indicator name printed twice in a table
=============================  ==============================================
"""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.parsers.selfeval import EvalTable, Indicator, parse_value
from ingest.text import normalize_label
from ingest.vocabularies import indicator_levels

STANDARD_LEVELS = indicator_levels()  # ingest/vocabularies/indicator_levels.csv
_COMPARATORS = {"≥", "≤", ">", "<"}


def issue(check_id: str, severity: str, kind: str, location: str, expected, observed,
          description: str, line: int | None) -> dict:
    return {"check_id": check_id, "severity": severity, "kind": kind, "location": location,
            "expected": None if expected is None else str(expected),
            "observed": None if observed is None else str(observed),
            "description": description, "source_line": line}


def location(table: EvalTable) -> str:
    if table.kind == "assessment":
        return "绩效管理工作考核"
    if table.scope == "department":
        return "部门整体支出绩效自评表" if table.kind == "standard" else "部门整体支出绩效自评指标评分表"
    return f"项目支出绩效自评表:{table.project_name or ''}"


def plain(d: Decimal | None) -> str:
    if d is None:
        return ""
    d = d.normalize()
    return format(d, "f")


def flag(ind: Indicator, name: str) -> None:
    if name not in ind.flags:
        ind.flags.append(name)


# --- per indicator -----------------------------------------------------------

def repeats_target(ind: Indicator) -> bool:
    """Actual printed identical to a target that carries a comparator."""
    if not ind.target or ind.target != ind.actual:
        return False
    return parse_value(ind.target).operator in _COMPARATORS


def check_repeats(table: EvalTable) -> list[dict]:
    hits = [ind for ind in table.indicators if repeats_target(ind)]
    for ind in hits:
        flag(ind, "actual_repeats_target")
    if not hits:
        return []
    names = "、".join(ind.name or "" for ind in hits)
    return [issue("SE_ACTUAL_REPEATS_TARGET", "info", "actual_repeats_target", location(table),
                  "an actual figure", f"{len(hits)} rows", f"实际完成值只重复了年度指标值的比较式: {names}",
                  hits[0].line)]


def check_score_above_weight(table: EvalTable) -> list[dict]:
    out = []
    for ind in table.indicators:
        if ind.weight is not None and ind.score is not None and ind.score > ind.weight:
            flag(ind, "score_above_weight")
            out.append(issue("SE_SCORE_ABOVE_WEIGHT", "error", "score_above_weight", location(table),
                             f"<= {plain(ind.weight)}", plain(ind.score),
                             f"指标“{ind.name}”得分高于分值", ind.line))
    return out


def check_level_fit(table: EvalTable) -> list[dict]:
    out = []
    for ind in table.indicators:
        allowed = STANDARD_LEVELS.get(ind.level1 or "")
        if allowed and ind.level2 and ind.level2 not in allowed:
            flag(ind, "level2_outside_level1")
            out.append(issue("SE_LEVEL_FIT", "warning", "level_mismatch", location(table),
                             "/".join(sorted(allowed)), ind.level2,
                             f"二级指标“{ind.level2}”不属于一级指标“{ind.level1}”", ind.line))
    return out


def check_duplicates(table: EvalTable) -> list[dict]:
    seen: dict[tuple, Indicator] = {}
    out = []
    for ind in table.indicators:
        if not ind.name:
            continue
        key = (ind.level1, ind.level2, ind.name)
        if key in seen:
            flag(ind, "duplicate_indicator")
            out.append(issue("SE_DUPLICATE_INDICATOR", "warning", "duplicate_indicator", location(table),
                             "each indicator once", ind.name, f"指标“{ind.name}”在同一表中重复出现",
                             ind.line))
        seen[key] = ind
    return out


# --- rubric ------------------------------------------------------------------

# A number's digits start where no digit precedes them ((?<!\d)): without
# that, searching a long run of digits retries every position — quadratic.
_BANDS = {
    "fail": re.compile(r"完成率(\d+(?:\.\d+)?)%以下[^;；。]*?不得分"),
    "proportional": re.compile(r"完成率为?(\d+(?:\.\d+)?)%[-—~至](\d+(?:\.\d+)?)%的?[,，]?得分=完成率×"),
    "full": re.compile(r"(?<!\d)(\d+(?:\.\d+)?)%[-—~至](\d+(?:\.\d+)?)%的?[,，]?得满分"),
    "half": re.compile(r"高于(\d+(?:\.\d+)?)%的?[,，]?得一半分"),
}

# a literal each band's pattern contains: a text without it has no such band
_BAND_WORDS = {"fail": "不得分", "proportional": "得分=完成率×", "full": "得满分", "half": "得一半分"}


def parse_rubric(text: str) -> dict | None:
    """Completion-rate bands printed by a scoring sheet, as fractions."""
    if "得分=完成率×" not in text or not (proportional := _BANDS["proportional"].search(text)):
        return None
    found = {k: p.search(text) if k != "proportional" and _BAND_WORDS[k] in text else None
             for k, p in _BANDS.items()}
    found["proportional"] = proportional
    rubric = {"fail_below": Decimal(found["fail"].group(1)) / 100 if found["fail"] else Decimal(0),
              "full_above": Decimal(found["proportional"].group(2)) / 100}
    if found["half"]:
        rubric["half_above"] = Decimal(found["half"].group(1)) / 100
    return rubric


def rubric_score(rate: Decimal, weight: Decimal, rubric: dict | None) -> Decimal:
    """Score of a completion rate: printed bands, else proportional capped at full."""
    if rubric:
        if rate < rubric["fail_below"]:
            return Decimal(0)
        if "half_above" in rubric and rate > rubric["half_above"]:
            return weight / 2
        if rate >= rubric["full_above"]:
            return weight
        return rate * weight
    return min(rate, Decimal(1)) * weight


def completion_rate(ind: Indicator) -> Decimal | None:
    """actual / target for comparable numeric figures (same unit, no dates)."""
    t, a = parse_value(ind.target), parse_value(ind.actual)
    if t.value is None or a.value is None or t.unit == "date" or a.unit == "date":
        return None
    if t.unit != a.unit or t.value <= 0 or a.value < 0:
        return None
    if (ind.level2 or "").startswith("成本"):
        return None
    tv, av = Decimal(str(t.value)), Decimal(str(a.value))
    if t.operator in ("≤", "<"):
        return Decimal(1) if av <= tv else (tv / av if av else None)
    return av / tv


def check_rubric(table: EvalTable, rubric: dict | None) -> list[dict]:
    out = []
    for ind in table.indicators:
        if ind.weight is None or ind.score is None:
            continue
        rate = completion_rate(ind)
        if rate is None:
            continue
        expected = rubric_score(rate, ind.weight, rubric)
        if abs(expected - ind.score) >= 1:
            flag(ind, "score_off_rubric")
            out.append(issue("SE_RUBRIC_SCORE", "warning", "score_inconsistent", location(table),
                             plain(expected.quantize(Decimal("0.01"))), plain(ind.score),
                             f"指标“{ind.name}”完成率{plain((rate * 100).quantize(Decimal('0.01')))}%,"
                             f"按{'报告所列评分标准' if rubric else '完成率比例计分'}应得"
                             f"{plain(expected.quantize(Decimal('0.01')))}分,印为{plain(ind.score)}分",
                             ind.line))
    return out


# --- per table totals -----------------------------------------------------------

def sum_of(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


def check_totals(table: EvalTable) -> list[dict]:
    out = []
    extra_w = table.funding.weight if table.funding else None
    extra_s = table.funding.score if table.funding else None
    weights = sum_of([extra_w] + [i.weight for i in table.indicators])
    scores = sum_of([extra_s] + [i.score for i in table.indicators])
    line = table.total_line or table.title_line
    if table.total_weight is not None and weights is not None and weights != table.total_weight:
        out.append(issue("SE_WEIGHT_TOTAL", "error", "total_mismatch", location(table),
                         plain(table.total_weight), plain(weights),
                         f"各项分值合计{plain(weights)},与印出的总分值{plain(table.total_weight)}不符", line))
    if table.total_score is not None and scores is not None and scores != table.total_score:
        out.append(issue("SE_TOTAL_SCORE", "error", "total_mismatch", location(table),
                         plain(scores), plain(table.total_score),
                         f"各项得分合计{plain(scores)},而总分印为{plain(table.total_score)}", line))
    return out


def rows_under(table: EvalTable) -> dict:
    """Each level label's indicators (level1 or level2 is it), in table order:
    one pass instead of a scan of the indicators per label."""
    under: dict = {}
    for i in table.indicators:
        under.setdefault(i.level1, []).append(i)
        if i.level2 != i.level1:
            under.setdefault(i.level2, []).append(i)
    return under


def check_level_points(table: EvalTable) -> list[dict]:
    out = []
    under = rows_under(table)
    for label, notes in table.level_points.items():
        rows = under.get(label)
        if not rows:
            continue
        w_sum = sum_of(i.weight for i in rows)   # (the same for every note of the label)
        s_sum = sum_of(i.score for i in rows)
        all_weighted = all(i.weight is not None for i in rows)
        for weight, score, line in notes:
            if weight is not None and w_sum is not None and all_weighted \
                    and w_sum != weight and table.kind != "assessment":
                out.append(issue("SE_LEVEL_POINTS", "warning", "total_mismatch", f"{location(table)}/{label}",
                                 plain(weight), plain(w_sum),
                                 f"“{label}”标注{plain(weight)}分,其下各行分值合计{plain(w_sum)}", line))
            if score is not None and s_sum is not None and s_sum != score:
                out.append(issue("SE_LEVEL_POINTS", "error", "total_mismatch", f"{location(table)}/{label}",
                                 plain(s_sum), plain(score),
                                 f"“{label}”印总得分{plain(score)}分,其下各项得分合计{plain(s_sum)}", line))
    return out


def check_execution(table: EvalTable) -> list[dict]:
    f = table.funding
    if table.scope != "project" or f is None:
        return []
    out, loc = [], location(table)
    if f.annual and f.executed is not None and f.rate is not None:
        computed = f.executed / f.annual * 100
        if abs(computed - f.rate) > Decimal("0.05"):
            out.append(issue("SE_EXECUTION_RATE", "info", "contradictory_figures", loc,
                             plain(computed.quantize(Decimal("0.01"))), plain(f.rate),
                             f"执行率印为{plain(f.rate)}%,按全年执行数/全年预算数计为"
                             f"{plain(computed.quantize(Decimal('0.01')))}%", f.line))
    if f.rate is not None and f.weight is not None and f.score is not None:
        expected = min(f.rate / 100, Decimal(1)) * f.weight
        if abs(expected - f.score) > Decimal("0.5"):
            out.append(issue("SE_EXECUTION_SCORE", "info", "score_inconsistent", loc,
                             plain(expected.quantize(Decimal("0.01"))), plain(f.score),
                             f"预算执行率{plain(f.rate)}%×分值{plain(f.weight)}应得"
                             f"{plain(expected.quantize(Decimal('0.01')))}分,印为{plain(f.score)}分", f.line))
    if f.rate is not None and table.total_score is not None and table.total_weight:
        gap = table.total_score / table.total_weight - f.rate / 100
        if gap > Decimal("0.3"):
            out.append(issue("SE_EXECUTION_VS_TOTAL", "warning", "score_vs_execution", loc,
                             f"score near execution rate {plain(f.rate)}%", plain(table.total_score),
                             f"预算执行率仅{plain(f.rate)}%,自评总分却为{plain(table.total_score)}分", f.line))
    return out


# --- across tables ---------------------------------------------------------------

def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def affinity(goal: str, table: EvalTable) -> float:
    """How much a goal text speaks of a table's project (shared character pairs)."""
    name = table.project_name or "部门整体"
    g, n = bigrams(goal), bigrams(name)
    return len(g & n) / len(n) if n else 0.0


def check_copied_goals(tables: list[EvalTable]) -> list[dict]:
    """Goal text shared by tables of different projects: all but the source are copies.

    The source is the department's table when it is one of them (a project
    restating the department's goal copied it), else the project whose name
    the goal speaks of, else the first printed."""
    by_goal: dict[str, list[EvalTable]] = {}
    for t in tables:
        if t.goal_target and len(t.goal_target) >= 8:
            by_goal.setdefault(t.goal_target, []).append(t)
    out = []
    for goal, group in by_goal.items():
        names = {t.project_name for t in group}
        if len(group) < 2 or len(names) < 2:
            continue
        _, source = max(enumerate(group), key=lambda kt: (kt[1].scope == "department",
                                                           affinity(goal, kt[1]), -kt[0]))
        for t in group:
            if t is source:
                continue
            out.append(issue("SE_COPIED_GOAL", "warning", "copy_paste_text", location(t),
                             "a goal of its own", goal,
                             f"年度总体目标与“{location(source)}”逐字相同,疑为复制", t.goal_line))
    return out


def run(doc, facts) -> list[dict]:
    """The check protocol (``ingest.checks``): the self-evaluation stage's tables
    from ``facts.stages``; the rubric is read from the whole text."""
    tables = getattr(facts, "stages", {}).get("selfeval")
    if not tables:
        return []
    # only a standard table is scored against the rubric: no other needs the text
    standard = any(t.kind == "standard" for t in tables)
    return check_tables(tables, "".join(map(normalize_label, doc.text_lines)) if standard else "")


def check_tables(tables: list[EvalTable], rubric_text: str = "") -> list[dict]:
    """All self-evaluation checks of one report; flags are set on the indicators."""
    rubric = parse_rubric(rubric_text) if rubric_text else None
    out: list[dict] = []
    for t in tables:
        out += check_repeats(t)
        out += check_score_above_weight(t)
        out += check_level_fit(t)
        out += check_duplicates(t)
        out += check_totals(t)
        out += check_level_points(t)
        out += check_execution(t)
        if t.kind == "standard":
            out += check_rubric(t, rubric)
    out += check_copied_goals(tables)
    return out
