"""情况说明 narrative → per-subject line_items and headline metrics."""
from decimal import Decimal
from pathlib import Path

from ingest.parsers import narrative, tables
from ingest.schema import LINE_ITEMS, METRICS

FIX = Path(__file__).parent / "fixtures" / "tables"


def load(name: str) -> list[str]:
    return (FIX / name).read_text(encoding="utf-8").split("\n")


def narrate(lines):
    """The narrative stage fed with the tables stage, as the stage runner does."""
    return narrative.extract(lines, tables=tables.extract(lines).value)


def by_code(rows, measure):
    return {r["code"]: r for r in rows if r["measure"] == measure}


def test_statements_resolve_codes_from_the_tables():
    out = narrate(load("final_numbered.txt"))
    for row in out["line_items"]:
        assert row.keys() == LINE_ITEMS.keys()
        assert row["table_kind"] == "narrative" and row["table_no"] is None
        assert row["classification"] == "functional"
    final = by_code(out["line_items"], "final")
    assert final["2101501"]["amount_wan_yuan"] == Decimal("45.83")
    assert final["2101501"]["measure_label"] == "支出决算"
    # the narrative adds 支出 to the table's name 城乡医疗救助
    assert final["2101301"]["line_name"] == "城乡医疗救助支出"
    assert final["2101301"]["amount_wan_yuan"] == Decimal("105.6")
    assert by_code(out["line_items"], "initial_budget")["2210201"]["measure_label"] == "年初预算"
    assert len(final) == 13


def test_wrapped_lines_and_numbers():
    out = narrate(load("final_split_codes.txt"))
    initial = by_code(out["line_items"], "initial_budget")
    assert initial["2010601"]["amount_text"] == "1560.05"  # printed "1560.05 万元"
    assert initial["2080505"]["amount_wan_yuan"] == Decimal("161.62")  # number on the next line
    assert initial["2080505"]["source_line"] > by_code(out["line_items"], "initial_budget")["2080501"]["source_line"]


def test_printed_codes_in_budget_statements():
    out = narrate(load("budget_narrative_codes.txt"))
    budget = by_code(out["line_items"], "budget")
    assert budget["2040601"]["amount_wan_yuan"] == Decimal("1672.67")
    assert budget["2210201"]["amount_text"] == "208.8"
    assert budget["2101101"]["measure_label"] == "预算数"


def test_ambiguous_names_are_narrowed_by_class():
    subjects = {"2010301": "行政运行", "2101501": "行政运行", "20103": "政府办公厅(室)及相关机构事务"}
    from ingest.parsers.tables import FUNCTIONAL_CLASSES
    st = narrative.Statement("卫生健康支出", "医疗保障管理事务", "行政运行", None, [], 0)
    assert narrative.resolve_code(st, subjects, FUNCTIONAL_CLASSES) == "2101501"
    st = narrative.Statement("教育支出", "某款", "行政运行", None, [], 0)
    assert narrative.resolve_code(st, subjects, FUNCTIONAL_CLASSES) is None


def test_metrics():
    out = narrate(load("final_numbered.txt"))
    for row in out["metrics"]:
        assert row.keys() == METRICS.keys()
    got = {m["metric"]: m for m in out["metrics"]}
    assert got["total_income"]["value"] == Decimal("362.62")
    assert got["total_income"]["evidence"] == "2023年度总收入362.62万元"
    assert got["three_public_budget"]["value"] == Decimal("2")
    assert got["three_public_actual"]["value"] == Decimal("0.89")
    assert got["personnel_expenditure"]["value"] == Decimal("104.09")
    assert got["admin_operating_expenses"]["value"] == Decimal("18.74")
    assert got["government_procurement_total"]["value"] == Decimal("4.6")
    assert got["vehicles_total"]["unit"] == "辆"


def test_budget_metrics_with_thousands_separators():
    got = {m["metric"]: m for m in narrate(load("budget_toc_numbered.txt"))["metrics"]}
    assert got["three_public_budget"]["value"] == Decimal("867.50")
    assert got["admin_operating_expenses"]["value"] == Decimal("213.28")
    lines = ["收入预算9,101.68万元，其中：财政拨款收入9,101.68万元。"]
    got = {m["metric"]: m for m in narrate(lines)["metrics"]}
    assert got["total_income"]["value"] == Decimal("9101.68")
    assert got["total_income"]["evidence"] == "收入预算9,101.68万元"


def test_a_subject_the_tables_never_print_is_an_issue_not_a_null_coded_fact():
    lines = load("final_numbered.txt")
    at = next(i for i, line in enumerate(lines) if "（款）行政运行（项）" in line)
    lines[at] = lines[at].replace("行政运行（项）", "数据平台运维（项）")
    out = narrate(lines)
    assert all(row["code"] is not None for row in out["line_items"])
    issues = [i for i in out["quality_issues"] if i["check_id"] == narrative.UNRESOLVED_CHECK]
    assert len(issues) == 1
    issue = issues[0]
    assert issue["observed"] == "数据平台运维" and issue["severity"] == "info"
    assert issue["source_line"] > at + 1  # the figures' line, after the heading
    # the report's other statements are unchanged
    assert len(by_code(out["line_items"], "final")) == 12
    assert "2101501" not in by_code(out["line_items"], "final")


def test_every_statement_of_a_consistent_report_resolves():
    out = narrate(load("final_numbered.txt"))
    assert not [i for i in out["quality_issues"] if i["check_id"] == narrative.UNRESOLVED_CHECK]
