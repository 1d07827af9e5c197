"""Headline metrics of self-evaluation prose and tables."""
from decimal import Decimal
from pathlib import Path

from ingest.parsers import metrics, selfeval
from ingest.schema import METRICS
from ingest.text import decode, lines_of

FIX = Path(__file__).parent / "fixtures" / "selfeval"


def load(name: str) -> list[str]:
    return lines_of(decode((FIX / name).read_bytes()).text)


def values(out, metric):
    return {r["value"] for r in out["metrics"] if r["metric"] == metric}


def test_rows_have_exactly_the_schema_keys():
    out = metrics.extract(load("metrics_000.txt"))
    assert out["metrics"]
    assert all(r.keys() == METRICS.keys() for r in out["metrics"])
    assert set(out) == {"metrics"}  # contradictions are a check now: ingest.checks.figures


def test_prose_figures_of_a_department_self_evaluation():
    out = metrics.extract(load("metrics_000.txt"))
    assert values(out, "fiscal_appropriation_income") == {Decimal("145.5")}
    assert values(out, "total_expenditure") == {Decimal("149.22")}
    assert values(out, "personnel_expenditure") == {Decimal("95.98")}  # 95.98 / 万元 on the next line
    assert values(out, "staff_authorized") == {Decimal(6), Decimal(17)}
    assert values(out, "staff_actual") == {Decimal(7), Decimal(17), Decimal(26)}  # 人 / 员17人 split
    assert values(out, "self_evaluation_score") == {Decimal(96)}
    assert values(out, "insured_residents") == {Decimal(135843)}
    assert values(out, "insured_employees") == {Decimal(12738)}
    assert values(out, "coverage_rate") == {Decimal("98.3")}
    row = next(r for r in out["metrics"] if r["metric"] == "coverage_rate")
    assert row["unit"] == "%" and row["source_line"] == 50 and "参保率98.3%" in row["evidence"]


def _contradictions(lines):
    from ingest.checks import figures
    from ingest.document import Document, Paragraph

    return figures.run(Document([Paragraph(line) for line in lines], "text"), metrics.extract(lines))


def test_sub_unit_staff_counts_are_compared_by_their_sum():
    # 局机关 7 and 经办中心 17 are parts: not two values of the unit's count, but
    # their sum 24 is not the 26 the report states for the whole unit
    lines = load("metrics_000.txt")
    out = metrics.extract(lines)
    staff = [i for i in _contradictions(lines) if i["location"].startswith("staff_")]
    assert [(i["location"].split(":")[0], i["expected"], i["observed"]) for i in staff] == [
        ("staff_actual", "24", "26")]
    actual = {(r["sub_unit"], r["value"]) for r in out["metrics"] if r["metric"] == "staff_actual"}
    assert (None, Decimal(26)) in actual
    assert {v for p, v in actual if p and p.endswith("机关")} == {Decimal(7)}
    assert {v for p, v in actual if p and p.endswith("中心")} == {Decimal(17)}


def test_contradictory_staff_counts_of_one_scope_are_reported():
    out = _contradictions(["本局年末实有在职人员12人。", "截至年底，全局在职人员为14人。"])
    kinds = {(i["kind"], i["location"].split(":")[0]) for i in out}
    assert ("contradictory_figures", "staff_actual") in kinds


def test_old_summary_is_skipped_and_groups_are_read():
    out = metrics.extract(load("metrics_003.txt"))
    assert values(out, "insured_persons_total") == {Decimal(209682)}
    assert values(out, "insured_employees") == {Decimal(25012)}
    assert values(out, "insured_residents") == {Decimal(184670)}
    assert values(out, "project_expenditure") == {Decimal("166.96")}


def test_table_cells_and_staff_block():
    lines = load("basic_data_table_001.txt") + load("selfeval_tables_001.txt")
    out = metrics.extract(lines, selfeval=selfeval.extract(lines).value)
    assert values(out, "staff_authorized") == {Decimal(16)}
    assert values(out, "staff_actual") == {Decimal(11)}
    assert values(out, "project_expenditure") == {Decimal("119.34"), Decimal("239.79")}
    assert values(out, "three_public_actual") == {Decimal("0.89")}
    assert values(out, "self_evaluation_score") == {Decimal(90)}  # the department table's 总分


def test_subgroup_rates_and_money_in_yuan():
    lines = ["全区特殊及困难人员综合参保率达100%。",
             "2023年全区居民参保人数67603人，职工参保人数7032人，总计75646人，综合参保率达到102.02%。",
             "本年收入合计29,462,500.00元。"]
    out = metrics.extract(lines)
    assert values(out, "coverage_rate") == {Decimal("102.02")}
    assert values(out, "insured_persons_total") == {Decimal(75646)}
    assert values(out, "total_income") == {Decimal("2946.25")}


def test_comparisons_and_item_budgets_are_not_headline_figures():
    lines = ["与上年相比，财政拨款收入减少399.09万元。",
             "因公出国（境）费支出预算为0万元，支出决算为0万元。",
             "通报处理定点医药机构4家。"]
    out = metrics.extract(lines)
    assert out["metrics"] == []
