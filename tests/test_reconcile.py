"""Consistency checks over the tables and narrative of one report."""
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.checks import misalignment, table_rows
from ingest.extract import stage_rows
from ingest.schema import fact_schema

FIX = Path(__file__).parent / "fixtures" / "tables"


def issues_of(lines):
    """The reconciliation check over the tables and narrative stages."""
    return stage_rows(lines, "tables", "narrative", checks=("ingest.checks.reconcile",))["quality_issues"]


def load(name: str) -> list[str]:
    return (FIX / name).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def misaligned():
    return issues_of(load("final_numbered.txt"))


@pytest.mark.parametrize("diff,expected", [
    (Decimal("0"), None), (Decimal("0.01"), "info"), (Decimal("-0.01"), "info"), (Decimal("0.02"), "error"),
])
def test_tolerance(diff, expected):
    assert table_rows.severity(diff) == expected


def test_one_misaligned_issue_per_table_with_supported_alignment(misaligned):
    for row in misaligned:
        assert row.keys() == fact_schema("quality_issues").keys()
    found = [i for i in misaligned if i["kind"] == "misaligned_columns"]
    assert sorted(i["location"] for i in found) == ["table 03", "table 05"]
    for i in found:
        assert "2101301=105.6" in i["expected"] and "2101501=45.83" in i["expected"]
        assert "2101501=105.6" in i["observed"]
        assert "表02" in i["description"]


def test_no_per_row_flood_for_misaligned_rows(misaligned):
    per_code = [i for i in misaligned if i["check_id"] in
                ("tables_income_vs_expenditure", "tables_narrative_vs_tables", "tables_gpb_vs_expenditure")]
    assert per_code == []


def test_class_totals_against_summary(misaligned):
    found = {(i["location"], i["severity"]) for i in misaligned if i["check_id"] == "tables_summary_class_totals"}
    assert ("table 03 class 210", "error") in found
    assert ("table 05 class 221", "error") in found


def test_rounding_differences_are_info_and_bigger_are_errors():
    issues = issues_of(load("final_split_codes.txt"))
    by_loc = {i["location"]: i for i in issues}
    assert by_loc["table 02 合计 本年收入合计"]["severity"] == "info"
    assert by_loc["table 03 合计 基本支出"]["severity"] == "info"
    assert by_loc["table 06 301 决算数"]["severity"] == "info"
    assert by_loc["table 06 302 决算数"]["severity"] == "error"
    assert by_loc["table 06 302 决算数"]["observed"] == "171.07"
    assert not [i for i in issues if i["kind"] == "misaligned_columns"]


def test_consistent_budget_has_no_issues():
    assert issues_of(load("budget_toc_numbered.txt")) == []


SHIFTED = """收入决算表
公开02表
单位：万元
科目编码\t科目名称\t本年收入合计
合计\t\t6
2010101\t一\t1
2010102\t二\t2
2010103\t三\t3

支出决算表
公开03表
单位：万元
科目编码\t科目名称\t本年支出合计
合计\t\t6
2010101\t一\t{a}
2010102\t二\t{b}
2010103\t三\t{c}
"""


def test_shift_without_support_is_not_called_misalignment():
    # two tables disagree and nothing else decides: only per-code mismatches
    lines = SHIFTED.format(a=3, b=1, c=2).split("\n")
    issues = issues_of(lines)
    assert not [i for i in issues if i["kind"] == "misaligned_columns"]
    assert {i["check_id"] for i in issues} == {"tables_income_vs_expenditure"}


def test_mismatch_block_is_a_permutation():
    printed = [("1", Decimal(3)), ("2", Decimal(1)), ("3", Decimal(2))]
    ref = {"1": Decimal(1), "2": Decimal(2), "3": Decimal(3)}
    assert misalignment.mismatch_block(printed, ref) == [0, 1, 2]
    assert misalignment.mismatch_block([("1", Decimal(9)), ("2", Decimal(1))], ref) == []
