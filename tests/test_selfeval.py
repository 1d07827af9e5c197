"""Self-evaluation indicators and project executions, on layouts cut from real reports."""
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.extract import stage_rows
from ingest.parsers import selfeval
from ingest.schema import fact_schema
from ingest.text import decode, lines_of

FIX = Path(__file__).parent / "fixtures" / "selfeval"


def load(name: str) -> list[str]:
    return lines_of(decode((FIX / name).read_bytes()).text)


@pytest.fixture(scope="module")
def tables_001():
    return stage_rows(load("selfeval_tables_001.txt"), "selfeval")


def test_rows_have_exactly_the_schema_keys(tables_001):
    assert tables_001["indicators"] and tables_001["projects"]
    for r in tables_001["indicators"]:
        assert r.keys() == fact_schema("indicators").keys()
    for r in tables_001["projects"]:
        assert r.keys() == fact_schema("projects").keys()
    for r in tables_001["quality_issues"]:
        assert r.keys() == fact_schema("quality_issues").keys()


def test_department_table_rows_levels_and_ocr_noise(tables_001):
    dept = [r for r in tables_001["indicators"] if r["scope"] == "department"]
    assert len(dept) == 9
    assert all(r["project_name"] is None for r in dept)
    quality = next(r for r in dept if r["level2"] == "质量指标")
    assert quality["level1"] == "产出指标"  # carried down from the merged cell, (50 分) dropped
    assert quality["indicator_name"] == "特殊人群“一站式”结算综合报销比例"
    assert quality["target_text"] == "≥80%" and quality["actual_text"] == "》80%"
    assert quality["actual_operator"] == "≥" and quality["actual_value"] == 80.0
    assert quality["weight"] == Decimal(15) and quality["score"] == Decimal(15)
    sustain = next(r for r in dept if r["level2"] == "可持续影响指标")
    assert sustain["target_unit"] == "年" and sustain["target_value"] == 15.0


def test_project_table_rows_and_qualitative_targets(tables_001):
    rows = [r for r in tables_001["indicators"] if r["project_name"] == "区级扶贫捐款专项资金"]
    assert len(rows) == 9
    assert [r["weight"] for r in rows] == [Decimal(x) for x in (5, 20, 10, 5, 5, 10, 10, 10, 10)]
    cost = [r for r in rows if r["level2"] == "成本指标"]
    assert len(cost) == 2  # a level2 label spanning two rows
    other = [r for r in tables_001["indicators"] if r["indicator_name"] == "医疗救助对象覆盖范围"]
    assert other and all(r["is_qualitative"] and r["target_value"] is None for r in other)
    dates = [r for r in tables_001["indicators"] if r["target_text"] == "2023年12月31日前"]
    assert dates and dates[0]["target_operator"] == "≤" and dates[0]["target_unit"] == "date"


def test_projects_from_self_evaluation_tables(tables_001):
    by_name = {p["project_name"]: p for p in tables_001["projects"]}
    p = by_name["离休人员医药费"]
    assert (p["initial_budget_wan_yuan"], p["annual_budget_wan_yuan"], p["executed_wan_yuan"]) == \
        (Decimal(25), Decimal(25), Decimal("10.44"))
    assert p["execution_rate_pct"] == Decimal("41.76") and p["score"] == Decimal(90)
    assert p["origin"] == "self_evaluation_table"
    assert len(by_name) == 5


def test_basic_data_table_projects_defer_to_self_evaluation_tables():
    lines = load("basic_data_table_001.txt") + load("selfeval_tables_001.txt")
    projects = selfeval.extract(lines)["projects"]
    assert len(projects) == 5  # 医保工作经费 40/39.41 is the table's 医保工作专项经费
    alone = selfeval.extract(load("basic_data_table_001.txt"))["projects"]
    assert {p["origin"] for p in alone} == {"basic_data_table"}
    assert any(p["annual_budget_wan_yuan"] == Decimal("6.98") and p["executed_wan_yuan"] == Decimal("1.4")
               for p in alone)


def test_scoring_sheet_with_shifted_cells():
    rows = selfeval.extract(load("scoring_sheet_002.txt"))["indicators"]
    assert all(r["scope"] == "department" for r in rows)
    first = rows[0]
    assert (first["level1"], first["level2"], first["weight"], first["score"]) == \
        ("履职效能", "整体效能", Decimal(20), Decimal(20))
    tens = [r for r in rows if r["weight"] == Decimal(10)]
    assert len(tens) == 1  # the converter printed the row twice
    procurement = [r for r in rows if r["level2"] == "采购管理"]
    assert len(procurement) == 3
    assert procurement[0]["indicator_name"] == "合同备案及时性"
    displaced = {r["indicator_name"]: r["level2"] for r in rows if r["level2"] in ("运行成本", "加减分项")}
    assert displaced == {"经济成本控制情况": "运行成本", "“三公”经费控制情况": "运行成本",
                         "工作表现加减分指标": "加减分项"}
    assert len(rows) == 17


def test_assessment_list_in_prose():
    rows = selfeval.extract(load("assessment_004.txt"))["indicators"]
    got = {(r["level1"], r["indicator_name"]): (r["weight"], r["score"]) for r in rows}
    assert got[("基础工作", "组织保障")] == (None, Decimal(3))      # two partial marks
    assert got[("基础工作", "制度建设")] == (Decimal(3), Decimal(3))  # 最高得 3 分
    assert got[("事前绩效评估", "评估范围")] == (Decimal(4), Decimal(4))  # name without comma
    assert got[("绩效监控管理", "结果反馈")] == (Decimal(5), Decimal(5))  # score on the next line
    assert len(rows) == 18


def test_prose_project_lists_are_merged():
    projects = {p["project_name"]: p for p in selfeval.extract(load("prose_projects_003.txt"))["projects"]}
    assert len(projects) == 8
    added = projects["中央转移医疗服务与保障能力提升补助资金(年中追加项目)"]
    assert added["annual_budget_wan_yuan"] == Decimal(10) and added["executed_wan_yuan"] == Decimal(10)
    assert projects["城镇居民医疗保险经费"]["origin"] == "prose"


def test_prose_projects_spent_all_or_not_paid():
    projects = {p["project_name"]: p for p in selfeval.extract(load("prose_projects_004.txt"))["projects"]}
    assert projects["公费医疗县级财政补助资金"]["executed_wan_yuan"] == Decimal(40)
    assert projects["城乡居民基本医疗保险(县级配套)"]["executed_wan_yuan"] == Decimal("4313.83")
    assert projects["专项业务经费"]["executed_wan_yuan"] == Decimal("2.97")
    unpaid = [p for n, p in projects.items() if "172" in n]
    assert unpaid and unpaid[0]["executed_wan_yuan"] is None
    assert len(projects) == 11


@pytest.mark.parametrize("text,expected", [
    ("≥80%", ("≥", 80.0, "%")),
    ("》80%", ("≥", 80.0, "%")),
    ("≥4000万", ("≥", 4000.0, "万")),
    ("24家", (None, 24.0, "家")),
    ("2023年12月底前", ("≤", 20231231.0, "date")),
    ("逐步扩大", (None, None, None)),
])
def test_parse_value(text, expected):
    p = selfeval.parse_value(text)
    assert (p.operator, p.value, p.unit) == expected


def test_no_rows_from_a_budget_report_without_self_evaluation():
    lines = ["收入预算9,101.68万元，其中：财政拨款收入9,101.68万元。", "1、办公经费支出增加。"]
    out = stage_rows(lines, "selfeval")
    assert (out["indicators"], out["projects"], out["quality_issues"]) == ([], [], [])
