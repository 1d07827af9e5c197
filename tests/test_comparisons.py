"""The comparison marts on fixtures written for them: a unit's 部门预算 and
部门决算 of the same year (tests/fixtures/comparisons), whose 支出决算表 prints
three rows' amounts one row down while its 收入决算表 and narrative state the
aligned amounts. Checks the realignment rule end to end, the pairing of
budget and final, and phases kept apart."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "comparisons"

pytestmark = pytest.mark.slow  # builds its own warehouse


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("comparisons") / "yibao.duckdb"
    assert main(["run", str(FIXTURES), "--warehouse", str(path)]) == 0
    return path


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_shifted_rows_keep_printed_figures_and_gain_realigned_ones(warehouse):
    rows = _rows(warehouse, """
        select functional_code, measure, amount_wan_yuan, analysis_amount_wan_yuan,
               figure_basis, figure_basis_source
        from marts.fct_functional_lines
        where table_kind = 'expenditure' and phase = 'final' and functional_code is not null
        order by functional_code, measure""")
    got = {(code, measure): (printed, analysis, basis, source)
           for code, measure, printed, analysis, basis, source in rows}
    d = Decimal
    # outside the shifted block: as printed
    assert got[("2101501", "total")] == (d("120.5"), d("120.5"), "as_printed", None)
    # the block: printed kept, analysis figure from the row the other tables support
    assert got[("2101502", "total")] == (d("44.3"), d("36.2"), "realigned", "table 02")
    assert got[("2101506", "total")] == (d("36.2"), d("58"), "realigned", "table 02")
    assert got[("2101506", "project")] == (d("36.2"), d("50"), "realigned", "table 02")
    # the row 2101502's figures were printed on leaves its 基本支出 blank
    assert got[("2101502", "basic")] == (d("44.3"), None, "realigned", "table 02")
    assert got[("2101550", "total")] == (d("58"), d("44.3"), "realigned", "table 02")
    assert got[("2101550", "basic")][1] == d("44.3")


def test_budget_and_final_of_one_year_are_paired_by_code(warehouse):
    rows = _rows(warehouse, """
        select r.line_key, r.budget_wan_yuan, r.initial_budget_wan_yuan, r.final_wan_yuan,
               r.execution_pct, r.execution_basis, r.figure_basis,
               b.phase, f.phase, r.fiscal_year
        from marts.rpt_budget_vs_final r
        join marts.dim_documents b on b.document_id = r.budget_document_id
        join marts.dim_documents f on f.document_id = r.final_document_id
        order by r.line_key""")
    got = {key: rest for key, *rest in rows}
    assert set(got) == {"2101501", "2101502", "2101506", "2101550", "2210201", "three_public"}
    for *_, budget_phase, final_phase, year in got.values():
        assert (budget_phase, final_phase, year) == ("budget", "final", 2024)
    d = Decimal
    assert got["2101501"][:6] == [d("116"), d("118"), d("120.5"), 103.8793, "final_vs_budget", "as_printed"]
    # the final of a shifted row is its realigned figure
    assert got["2101502"][:6] == [d("38"), d("40"), d("36.2"), 95.2632, "final_vs_budget", "realigned"]
    assert got["2101506"][2] == d("58") and got["2101506"][3] == 116.0
    assert got["three_public"][:4] == [d("2.5"), d("2"), d("1.5"), 60.0]


def test_each_phase_is_its_own_comparison_row(warehouse):
    rows = _rows(warehouse, """
        select phase, total_expenditure_wan_yuan, admin_cost_wan_yuan, round(admin_cost_share_pct, 2),
               figure_basis, expenditure_rank_in_admin_level, expenditure_peer_count_in_admin_level
        from marts.rpt_department_years order by phase""")
    d = Decimal
    # 行政运行 + 一般行政管理事务 + 事业运行: 120.5 + 36.2 (realigned) + 44.3 (realigned) of 277
    assert rows == [("budget", d("260"), d("194"), 74.62, "as_printed", 1, 1),
                    ("final", d("277"), d("201"), 72.56, "realigned", 1, 1)]


def test_staff_of_a_unit_stated_by_its_parts_is_their_sum(warehouse):
    # the 决算 states 局机关 9 and 经办中心 21 and no count for the whole unit:
    # the unit's count is 30, never the larger part's 21
    parts = _rows(warehouse, """
        select sub_unit, value from marts.fct_department_metrics
        where metric = 'staff_actual' order by value""")
    assert [(p, int(v)) for p, v in parts] == [("局机关", 9), ("医疗保障经办中心", 21)]
    rows = _rows(warehouse, """
        select staff_actual, staff_actual_basis, expenditure_per_staff_yuan
        from marts.rpt_department_years where phase = 'final'""")
    assert rows == [(30, "sum_of_sub_units", round(10000 * 277 / 30, 2))]
