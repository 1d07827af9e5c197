"""Consistency checks of a report's 公开 tables and 情况说明 → ``quality_issues``.

A 部门决算/预算 states the same money several times: every table has a 合计
row and subtotal rows, the income and expenditure tables list the same
subjects, the 一般公共预算 table repeats the expenditure table, the summary
tables repeat the class totals, the economic table's 人员经费 + 公用经费 is
the basic expenditure, and the narrative restates totals and per-subject
figures. Every check compares two statements of one figure and records a
difference; printed figures are never changed.

Tolerance: amounts are compared in 万元. A difference of at most 0.01 万元 is
a rounding issue (severity ``info``), anything larger an ``error``; both have
kind ``total_mismatch``.

Misalignment: :mod:`ingest.checks.misalignment`. Sums within one table:
:mod:`ingest.checks.table_sums`; reading the tables' rows and writing the issue
rows: :mod:`ingest.checks.table_rows`.

Check catalogue (``check_id`` → what is compared; listed in
``seeds/data_quality_checks.csv``):

* ``tables_total_row``: 合计 row = Σ top-level rows, per column (rows with no
  ancestor code in the table, so class/款 subtotals are never double
  counted); summary tables: 本年支出合计 = Σ class rows, 本年收入合计 = Σ income rows.
* ``tables_subtotals``: each 类/款 row = Σ its direct children, per column.
* ``tables_row_components``: per row, 本年收入合计 = Σ income columns,
  本年支出合计 = 基本 + 项目 (+ other columns), 合计 = 人员经费 + 公用经费.
* ``tables_income_vs_expenditure``: income vs expenditure table, total
  column, per code.
* ``tables_summary_class_totals``: class rows of the summary tables vs the
  class's codes in the income / expenditure / 一般公共预算 tables.
* ``tables_gpb_vs_expenditure``: 一般公共预算 table vs expenditure table, per
  code and column (total / basic / project).
* ``tables_economic_totals``: 人员经费合计 = Σ 301/303 classes, 公用经费合计 =
  Σ other classes, 人员经费合计 + 公用经费合计 (or the 合计 row) = basic
  expenditure total of the 一般公共预算 table.
* ``tables_three_public_narrative``: 三公 table 合计 vs the narrative.
* ``tables_narrative_vs_tables``: narrative per-code final / budget figure vs
  the 一般公共预算 (else expenditure) table.
* ``tables_misaligned_columns``: amounts shifted against their codes.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from ingest.checks.misalignment import find_misalignments
from ingest.checks.table_rows import (
    cn_source,
    cn_table,
    coded,
    first_of_kind,
    fmt,
    group_tables,
    issue,
    same,
    top_level,
    totals_by_code,
    where,
)
from ingest.checks.table_sums import check_row_components, check_subtotals, check_summary_totals, check_total_row
from ingest.vocabularies import functional_classes

FUNCTIONAL = ("income", "expenditure", "gpb_expenditure", "gov_fund", "state_capital")
PERSONNEL_CLASSES = ("301", "303")


def at_precision(value: Decimal, like: Decimal) -> Decimal:
    """``value`` rounded to the decimals ``like`` was printed with."""
    exponent = like.as_tuple().exponent
    return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP) if exponent <= 0 else value


def compare_codes(check_id: str, name_a: str, a: dict[str, Decimal], no_b: str, b: dict[str, dict],
                  label: str, skip: set[str], rounded: bool = False) -> list[dict]:
    """Per code: ``a`` (another table or the narrative) vs table ``no_b``'s cells.

    ``rounded``: ``a`` states figures rounded (narrative 万元 of a table in 元),
    so the table's figure is rounded to the printed decimals first."""
    out = []
    for code, value in a.items():
        if code in skip or code not in b:
            continue
        other = b[code]
        theirs = at_precision(other["amount_wan_yuan"], value) if rounded else other["amount_wan_yuan"]
        if value == theirs:
            continue   # (no issue: passed over before its texts are formatted)
        found = issue(check_id, value - theirs, f"{where(no_b)} {code} {label}",
                      value, other["amount_wan_yuan"],
                      f"{code} {other['line_name']}:{cn_source(name_a)}为{fmt(value)},"
                      f"{cn_table(no_b)}印为{other['amount_text']}(“{label}”)", other["source_line"])
        if found:
            out.append(found)
    return out


def rows_by_code(rows: list[dict], measure: str) -> dict[str, dict]:
    return {r["code"]: r for r in rows if r["measure"] == measure and r["code"] and r["code"].isdigit()}


def class_sums(rows: list[dict]) -> dict[str, Decimal]:
    totals = totals_by_code(rows)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for code in top_level(list(totals)):
        sums[code[:3]] += totals[code]
    return dict(sums)


def summary_classes(rows: list[dict], class_names: dict[str, str]) -> dict[str, dict]:
    """class code → first amount row of a summary table's CLASS row."""
    by_name = {name: code for code, name in class_names.items()}
    out: dict[str, dict] = {}
    for row in rows:
        if row["code"].startswith("CLASS:"):
            code = by_name.get(row["code"][6:])
            if code:
                out.setdefault(code, row)
    return out


def check_class_totals(detail_no: str, detail: list[dict], summary_no: str, summary: list[dict],
                       class_names: dict[str, str]) -> list[dict]:
    sums = class_sums(detail)
    out = []
    for cls, row in summary_classes(summary, class_names).items():
        if cls not in sums or sums[cls] == row["amount_wan_yuan"]:
            continue
        found = issue("tables_summary_class_totals", sums[cls] - row["amount_wan_yuan"],
                      f"{where(detail_no)} class {cls}", row["amount_wan_yuan"], sums[cls],
                      f"{cn_table(detail_no)}{cls}类{class_names[cls]}各科目合计为{fmt(sums[cls])}万元,"
                      f"{cn_table(summary_no)}印为{row['amount_text']}",
                      row["source_line"])
        if found:
            out.append(found)
    return out


def check_economic(no: str, rows: list[dict], basic_total: dict | None) -> list[dict]:
    cells = {r["code"]: r for r in rows}
    out = []
    classes = [c for c in coded(rows) if len(c) == 3]
    for code, picks in (("TOTAL_PERSONNEL", [c for c in classes if c in PERSONNEL_CLASSES]),
                        ("TOTAL_PUBLIC", [c for c in classes if c not in PERSONNEL_CLASSES])):
        if code in cells and picks:
            expected = sum((cells[c]["amount_wan_yuan"] for c in picks), Decimal(0))
            row = cells[code]
            found = issue("tables_economic_totals", expected - row["amount_wan_yuan"], f"{where(no)} {code}",
                          expected, row["amount_wan_yuan"],
                          f"{cn_table(no)}{row['line_name']}印为{row['amount_text']},"
                          f"{'+'.join(picks)}类合计为{fmt(expected)}万元", row["source_line"])
            if found:
                out.append(found)
    if basic_total is None:
        return out
    if "TOTAL_PERSONNEL" in cells and "TOTAL_PUBLIC" in cells:
        observed = cells["TOTAL_PERSONNEL"]["amount_wan_yuan"] + cells["TOTAL_PUBLIC"]["amount_wan_yuan"]
        line = cells["TOTAL_PERSONNEL"]["source_line"]
    else:
        total = next((r for r in rows if r["code"] == "TOTAL" and r["measure"] in ("total", "actual", "budget")), None)
        if total is None:
            return out
        observed, line = total["amount_wan_yuan"], total["source_line"]
    found = issue("tables_economic_totals", observed - basic_total["amount_wan_yuan"], f"{where(no)} 人员经费+公用经费",
                  basic_total["amount_wan_yuan"], observed,
                  f"{cn_table(no)}人员经费+公用经费={fmt(observed)}万元,"
                  f"{cn_table(basic_total['table_no'])}基本支出合计为{basic_total['amount_text']}", line)
    if found:
        out.append(found)
    return out


# --- narrative -----------------------------------------------------------------------

def narrative_figures(statements: list[dict]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for row in statements:
        if row["code"] and row["measure"] in ("final", "budget"):
            out.setdefault(row["code"], row["amount_wan_yuan"])
    return out


def check_narrative(figures: dict[str, Decimal], table_no: str, rows: list[dict], skip: set[str]) -> list[dict]:
    return compare_codes("tables_narrative_vs_tables", "the narrative", figures, table_no,
                         rows_by_code(rows, "total"), "total", skip, rounded=True)


def check_three_public(metrics: list[dict], narrative_metrics: list[dict]) -> list[dict]:
    stated = {m["metric"]: m for m in narrative_metrics}
    out = []
    for m in metrics:
        said = stated.get(m["metric"])
        if not m["metric"].startswith("three_public") or said is None:
            continue
        found = issue("tables_three_public_narrative", m["value"] - said["value"], f"三公 table {m['metric']}",
                      m["value"], said["value"],
                      f"“三公”经费表印为{fmt(m['value'])}万元,说明文字为{fmt(said['value'])}万元",
                      said["source_line"])
        if found:
            out.append(found)
    return out


# --- entry point -----------------------------------------------------------------------

def run(doc, facts) -> list[dict]:
    """The check protocol (``ingest.checks``): the tables' and the narrative's
    typed results from ``facts.stages``; nothing to check without the tables."""
    stages = getattr(facts, "stages", {})
    tables = stages.get("tables")
    if tables is None:
        return []
    narrative = stages.get("narrative")
    return check(tables.all_items, tables.metrics,
                 narrative.statements if narrative else [], narrative.metrics if narrative else [])


def check(line_items: list[dict], metrics: list[dict], statements: list[dict],
          stated_metrics: list[dict]) -> list[dict]:
    """All table checks: ``line_items`` and ``metrics`` of every table (published
    or not), the narrative's per-subject ``statements`` and ``stated_metrics``."""
    FUNCTIONAL_CLASSES = functional_classes()
    groups = group_tables(line_items)
    out: list[dict] = []
    functional = {key[0]: rows for key, rows in groups.items()
                  if rows[0]["table_kind"] in ("income", "expenditure", "gpb_expenditure")}
    summaries = [(key[0], rows) for key, rows in groups.items()
                 if rows[0]["table_kind"] in ("summary", "fiscal_summary")]
    narrative = narrative_figures(statements)
    class_totals = {}
    for _, rows in summaries:
        for cls, row in summary_classes(rows, FUNCTIONAL_CLASSES).items():
            class_totals.setdefault(cls, row["amount_wan_yuan"])
    misaligned, skip = find_misalignments(functional, narrative, class_totals)
    out.extend(misaligned)

    for (no, _), rows in groups.items():
        kind = rows[0]["table_kind"]
        if kind in SUMMARY_LIKE:
            out.extend(check_summary_totals(no, rows))
            continue
        out.extend(check_total_row(no, rows))
        out.extend(check_subtotals(no, rows))
        if kind != "basic_economic" or any(r["measure"] == "personnel" for r in rows):
            out.extend(check_row_components(no, rows))

    (inc_key, income), (exp_key, expenditure) = first_of_kind(groups, "income"), first_of_kind(groups, "expenditure")
    gpb_key, gpb = first_of_kind(groups, "gpb_expenditure")
    both = skip.get(inc_key[0] if inc_key else "", set()) | skip.get(exp_key[0] if exp_key else "", set())
    balanced = income and expenditure and totals_agree(income, expenditure)
    if balanced:  # otherwise carry-overs / non-spent income explain differences
        out.extend(compare_codes("tables_income_vs_expenditure", where(inc_key[0]),
                                 {c: r["amount_wan_yuan"] for c, r in rows_by_code(income, "total").items()},
                                 exp_key[0], rows_by_code(expenditure, "total"), "total", both))
    if gpb and expenditure:
        gpb_skip = skip.get(gpb_key[0], set()) | skip.get(exp_key[0], set())
        for measure in ("total", "basic", "project"):
            out.extend(compare_codes("tables_gpb_vs_expenditure", where(exp_key[0]),
                                     {c: r["amount_wan_yuan"] for c, r in rows_by_code(expenditure, measure).items()},
                                     gpb_key[0], rows_by_code(gpb, measure), measure, gpb_skip))
    for summary_no, summary in summaries[:1]:
        details = ((inc_key, income if balanced else []), (exp_key, expenditure), (gpb_key, gpb))
        for key, detail in details:
            if detail:
                out.extend(check_class_totals(key[0], detail, summary_no, summary, FUNCTIONAL_CLASSES))

    econ_key, economic = first_of_kind(groups, "basic_economic")
    if economic:
        basic_total = next((r for r in gpb if r["code"] == "TOTAL" and r["measure"] == "basic"), None)
        out.extend(check_economic(econ_key[0], economic, basic_total))

    target_key, target = (gpb_key, gpb) if gpb else (exp_key, expenditure)
    if narrative and target:
        out.extend(check_narrative(narrative, target_key[0], target, skip.get(target_key[0], set())))
    out.extend(check_three_public(metrics, stated_metrics))
    return out


SUMMARY_LIKE = ("summary", "fiscal_summary")


def totals_agree(a: list[dict], b: list[dict]) -> bool:
    """The 合计 rows' total columns of two tables print the same amount."""
    ta = [r["amount_wan_yuan"] for r in a if r["code"] == "TOTAL" and r["measure"] == "total"]
    tb = [r["amount_wan_yuan"] for r in b if r["code"] == "TOTAL" and r["measure"] == "total"]
    return bool(ta and tb) and same(ta[0], tb[0])
