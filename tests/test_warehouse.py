"""The built warehouse on the sample corpus: the public contract, idempotence,
and the extraction's scores against the shared answer key."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.cli import main
from ingest.readers import supported

# The `marts` tables and required columns of CONTRACT.md.
CONTRACT = {
    "dim_departments": "department_id department_name province city county admin_level "
                       "division_code unit_kind",
    "dim_documents": "document_id file_name sha256 department_id fiscal_year phase",
    "dim_document_sections": "document_id report_type",
    "dim_functional_subjects": "functional_code functional_name level class_code class_name "
                               "section_code section_name",
    "dim_economic_subjects": "economic_code economic_name level parent_code",
    "fct_functional_lines": "document_id department_id fiscal_year phase table_no functional_code "
                            "is_total line_name measure measure_label amount_wan_yuan source_line",
    "fct_economic_lines": "document_id department_id fiscal_year phase table_no economic_code "
                          "is_total line_name measure amount_wan_yuan source_line",
    "fct_indicator_results": "document_id department_id fiscal_year scope project_name level1 level2 "
                             "indicator_name target_text actual_text weight score source_line "
                             "target_operator target_value target_unit actual_value actual_unit",
    "fct_project_executions": "document_id department_id fiscal_year project_name "
                              "initial_budget_wan_yuan annual_budget_wan_yuan executed_wan_yuan "
                              "execution_rate_pct score source_line",
    "fct_department_metrics": "document_id department_id fiscal_year metric value unit evidence "
                              "source_line",
    "rpt_department_years": "department_id fiscal_year phase province admin_level unit_kind "
                            "total_expenditure_wan_yuan admin_cost_wan_yuan admin_cost_share_pct "
                            "insured_persons admin_cost_per_insured_yuan budget_execution_pct "
                            "self_evaluation_score indicator_count data_quality_issue_count "
                            "figure_basis",
    "rpt_budget_vs_final": "department_id fiscal_year functional_code budget_wan_yuan "
                           "initial_budget_wan_yuan final_wan_yuan execution_pct "
                           "budget_document_id initial_budget_document_id final_document_id "
                           "budget_basis initial_budget_basis final_basis figure_basis",
    "fct_data_quality_issues": "document_id check_id severity kind location expected observed "
                               "description",
}


def _columns(warehouse: Path) -> dict[str, set[str]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("select table_name, column_name from information_schema.columns "
                           "where table_schema = 'marts'").fetchall()
    finally:
        con.close()
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


def _snapshot(warehouse: Path) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent content hash of every marts table."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema='marts'").fetchall()]
        return {t: con.execute(
            f"select count(*), coalesce(bit_xor(hash(x::varchar)), 0)::varchar "
            f"from marts.{t} as x").fetchone() for t in tables}
    finally:
        con.close()


def test_marts_hold_every_contract_table_and_column(built_warehouse):
    columns = _columns(built_warehouse)
    for table, required in CONTRACT.items():
        assert table in columns, f"marts.{table} missing"
        missing = set(required.split()) - columns[table]
        assert not missing, f"marts.{table} lacks {sorted(missing)}"


def test_every_sample_document_is_in_the_warehouse(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        n = con.execute("select count(*) from marts.dim_documents").fetchone()[0]
    finally:
        con.close()
    files = (Path(__file__).parent.parent / "corpus").rglob("*")
    assert n == len([f for f in files if f.is_file() and supported(f.name)])


def test_running_twice_gives_identical_tables(built_warehouse, tmp_path):
    copy = tmp_path / "again.duckdb"
    shutil.copy(built_warehouse, copy)
    before = _snapshot(copy)
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    assert main(["run", str(corpus), "--rebuild", "--warehouse", str(copy)]) == 0
    assert _snapshot(copy) == before


def test_evaluation_is_printed_and_scores_every_kind(evaluation):
    assert set(evaluation.kinds) == {"documents", "sections", "line_items", "indicators",
                                     "indicator_texts", "projects", "metrics", "issues"}
    assert not evaluation.missing_files


# --- the issues' targets on the shared answer key (tests may name samples) ---

def test_issues_recall_known_inconsistencies(evaluation):
    total = evaluation.kinds["issues"].total
    assert total.recall >= 0.7 and total.precision >= 0.7, total


def test_line_items_meet_their_targets(evaluation):
    total = evaluation.kinds["line_items"].total
    assert total.precision >= 0.995 and total.recall >= 0.98, total


@pytest.mark.parametrize("kind, minimum", [
    ("indicators", 0.95), ("indicator_texts", 0.95), ("projects", 0.95), ("metrics", 0.90),
    ("sections", 0.98), ("documents", 1.0)])
def test_fact_kinds_meet_their_targets(evaluation, kind, minimum):
    assert evaluation.kinds[kind].total.f1 >= minimum, evaluation.kinds[kind].total


def _rows(warehouse: Path, sql: str, params=()):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _issues(warehouse: Path, file_prefix: str):
    return _rows(warehouse, """
        select i.check_id, i.severity, i.kind, i.location, i.expected, i.observed
        from marts.fct_data_quality_issues i join marts.dim_documents d using (document_id)
        where d.file_name like ? || '%'""", (file_prefix,))


def test_misaligned_amounts_stay_as_printed_and_are_reported(built_warehouse):
    printed = _rows(built_warehouse, """
        select l.amount_wan_yuan from marts.fct_functional_lines l
        join marts.dim_documents d using (document_id)
        where d.file_name like '001_%' and l.table_no = '03' and l.functional_code = '2101501'
          and l.measure = 'total'""")
    assert [float(v) for (v,) in printed] == [105.6]
    issues = _issues(built_warehouse, "001_")
    misaligned = {loc: expected for _, _, kind, loc, expected, _ in issues if kind == "misaligned_columns"}
    assert set(misaligned) == {"table 03", "table 05"}
    for expected in misaligned.values():  # the alignment tables 02 and the narrative support
        assert "2101501=45.83" in expected and "2101301=105.6" in expected
    class_mismatches = {loc for _, _, kind, loc, _, _ in issues
                        if kind == "total_mismatch" and loc.startswith(("table 03", "table 05"))}
    assert {"table 03 class 210", "table 03 class 221",
            "table 05 class 210", "table 05 class 221"} <= class_mismatches


def test_rounding_mismatches_are_reported_at_info_severity(built_warehouse):
    issues = _issues(built_warehouse, "25_")
    rounding = {(loc, sev) for check, sev, kind, loc, _, _ in issues if check == "tables_total_row"}
    for table, column in [("02", "本年收入合计"), ("02", "财政拨款收入"), ("03", "本年支出合计"),
                          ("03", "基本支出"), ("05", "基本支出")]:
        assert (f"table {table} 合计 {column}", "info") in rounding
    assert ("table 06 302 决算数", "error") in {(loc, sev) for _, sev, _, loc, _, _ in issues}


def test_self_evaluation_checks_find_the_known_problems(built_warehouse):
    issues = _issues(built_warehouse, "001_")
    kinds = [(check, kind, loc, exp, obs) for check, _, kind, loc, exp, obs in issues]
    assert any(kind == "copy_paste_text" for _, kind, *_ in kinds)
    weight = [k for k in kinds if k[0] == "SE_WEIGHT_TOTAL"]
    total = [k for k in kinds if k[0] == "SE_TOTAL_SCORE"]
    assert any("95" in str(k[4]) for k in weight), weight
    assert any("87" in str(k[4]) and "82" in str(k[3]) or "82" in str(k[4]) and "87" in str(k[3])
               for k in total), total


def test_one_comparison_row_per_department_year_and_phase(built_warehouse):
    rows = _rows(built_warehouse, """
        select count(*), count(distinct (department_id, fiscal_year, phase)),
               count(total_expenditure_wan_yuan),
               count(total_expenditure_wan_yuan) filter (where province is not null),
               count(expenditure_rank_in_admin_level), count(expenditure_rank_in_province),
               count(*) filter (where total_expenditure_wan_yuan is not null
                                  and expenditure_median_in_admin_level is null)
        from marts.rpt_department_years""")
    n, distinct, totals, totals_with_province, ranks, province_ranks, without_median = rows[0]
    expected = _rows(built_warehouse, "select count(distinct (department_id, fiscal_year, phase)) "
                                      "from marts.dim_documents where fiscal_year is not null")[0][0]
    assert n == distinct == expected
    # only known values are ranked, each among its own phase
    assert ranks == totals and province_ranks == totals_with_province and without_median == 0
    assert totals >= n // 2


def test_budget_and_final_years_are_ranked_apart(built_warehouse):
    groups = _rows(built_warehouse, """
        select phase, fiscal_year, admin_level, max(expenditure_rank_in_admin_level),
               max(expenditure_peer_count_in_admin_level), count(total_expenditure_wan_yuan)
        from marts.rpt_department_years group by all""")
    assert {phase for phase, *_ in groups} == {"final", "budget"}
    for _, _, admin_level, top_rank, peers, known in groups:
        if admin_level is not None and known:
            assert top_rank <= peers == known


def test_issue_16_acceptance_figures_on_the_sample_warehouse(built_warehouse):
    # End-to-end check of issue 16's acceptance figures for sample 001 (a table 03
    # printed one row off, which the report's table 02 and class totals contradict).
    # The rule itself is tested on fixtures written for it (test_comparisons.py).
    share = _rows(built_warehouse, """
        select y.admin_cost_share_pct, y.figure_basis, y.figure_basis_source
        from marts.rpt_department_years y join marts.dim_documents d using (department_id, fiscal_year, phase)
        where d.file_name like '001_%'""")
    assert [(round(v, 2), basis, source) for v, basis, source in share] == [(19.61, "realigned", "table 02")]
    section = _rows(built_warehouse, """
        select s.amount_wan_yuan, s.figure_basis from marts.rpt_spending_structure s
        join marts.dim_documents d using (document_id)
        where d.file_name like '001_%' and s.section_code = '21015'""")
    assert [(float(v), basis) for v, basis in section] == [(195.21, "realigned")]
    printed = _rows(built_warehouse, """
        select l.amount_wan_yuan, l.analysis_amount_wan_yuan, l.figure_basis
        from marts.fct_functional_lines l join marts.dim_documents d using (document_id)
        where d.file_name like '001_%' and l.table_no = '03' and l.functional_code = '2101501'
          and l.measure = 'total'""")
    assert [(float(a), float(b), basis) for a, b, basis in printed] == [(105.6, 45.83, "realigned")]


def test_functional_spending_carries_each_code_row_with_its_rank(built_warehouse):
    # every code row of an expenditure table (total column) of a report that is no copy
    cells = _rows(built_warehouse, """
        select l.document_id, l.functional_code, l.fiscal_year, l.phase, l.department_id,
               l.analysis_amount_wan_yuan, l.figure_basis
        from marts.fct_functional_lines l join marts.dim_documents d using (document_id)
        where l.table_kind = 'expenditure' and l.measure = 'total'
          and l.functional_code is not null and d.fiscal_year is not null
          and d.copy_of_document_id is null""")
    mart = {(doc, code): rest for doc, code, *rest in _rows(built_warehouse, """
        select document_id, functional_code, amount_wan_yuan, amount_rank, peer_count,
               change_wan_yuan, province
        from marts.rpt_functional_spending""")}
    assert cells and len(mart) == len({(c[0], c[1]) for c in cells})
    peers: dict[tuple, list] = {}
    for doc, code, year, phase, _unit, amount, basis in cells:
        got, rank, count, _, _ = mart[(doc, code)]
        assert got == (None if basis == "excluded" else amount)
        if got is not None:
            peers.setdefault((year, phase, code), []).append((got, rank, count))
    for group in peers.values():
        for amount, rank, count in group:
            assert count == len(group)
            assert rank == 1 + sum(other > amount for other, _, _ in group)
    # the change is against the same unit's row for the code a year before
    years: dict[tuple, object] = {}
    for doc, code, year, phase, unit, _, _ in cells:
        amount = mart[(doc, code)][0]
        if amount is not None:
            key = (unit, phase, code, year)
            years[key] = max(years.get(key, amount), amount)
    for doc, code, year, phase, unit, _, _ in cells:
        amount, *_, change, _ = mart[(doc, code)]
        before = years.get((unit, phase, code, year - 1))
        expected = None if amount is None or before is None else amount - before
        assert change == expected, (doc, code)
