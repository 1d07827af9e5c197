"""The built warehouse on the sample corpus: the public contract, idempotence,
and the extraction's scores against the shared answer key."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.cli import main

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
    "rpt_department_years": "department_id fiscal_year province admin_level unit_kind "
                            "total_expenditure_wan_yuan admin_cost_wan_yuan admin_cost_share_pct "
                            "insured_persons admin_cost_per_insured_yuan budget_execution_pct "
                            "self_evaluation_score indicator_count data_quality_issue_count",
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
    assert n == len(list((Path(__file__).parent.parent / "corpus").rglob("*.txt")))


def test_running_twice_gives_identical_tables(built_warehouse, tmp_path):
    copy = tmp_path / "again.duckdb"
    shutil.copy(built_warehouse, copy)
    before = _snapshot(copy)
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    assert main(["run", str(corpus), "--warehouse", str(copy)]) == 0
    assert _snapshot(copy) == before


def test_evaluation_is_printed_and_scores_every_kind(evaluation):
    assert set(evaluation.kinds) == {"documents", "sections", "line_items", "indicators",
                                     "indicator_texts", "projects", "metrics"}
    assert not evaluation.missing_files
