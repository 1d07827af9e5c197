"""Tables of 部门决算/预算 → line_items (fixtures cut from real layouts)."""
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.extract import stage_rows
from ingest.parsers import tables
from ingest.schema import LINE_ITEMS, METRICS, TABLE_NOTES, fact_schema

FIX = Path(__file__).parent / "fixtures" / "tables"


def load(name: str) -> list[str]:
    return (FIX / name).read_text(encoding="utf-8").split("\n")


def items_of(lines):
    return tables.extract(lines)["line_items"]


def find(rows, table_no, code, label):
    return [r for r in rows if r["table_no"] == table_no and r["code"] == code and r["measure_label"] == label]


@pytest.fixture(scope="module")
def numbered():
    return tables.extract(load("final_numbered.txt"))


@pytest.fixture(scope="module")
def split_codes():
    return tables.extract(load("final_split_codes.txt"))


@pytest.fixture(scope="module")
def budget():
    return tables.extract(load("budget_toc_numbered.txt"))


def test_rows_have_exact_schema_keys(numbered):
    for table, schema in (("line_items", LINE_ITEMS), ("table_notes", TABLE_NOTES),
                          ("metrics", METRICS)):
        assert numbered[table], table
        for row in numbered[table]:
            assert row.keys() == schema.keys()
    issues = stage_rows(load("final_numbered.txt"), "tables", "narrative")["quality_issues"]
    assert issues and all(row.keys() == fact_schema("quality_issues").keys() for row in issues)


def test_printed_figures_are_kept_even_when_misaligned(numbered):
    row = find(numbered["line_items"], "03", "2101501", "本年支出合计")
    assert [r["amount_text"] for r in row] == ["105.6"]
    assert find(numbered["line_items"], "02", "2101501", "本年收入合计")[0]["amount_wan_yuan"] == Decimal("45.83")


def test_table_numbers_printed_on_pages(numbered):
    assert {r["table_no"] for r in numbered["line_items"]} == {"01", "02", "03", "04", "05", "06"}


def test_toc_lines_are_not_tables(numbered):
    assert min(r["source_line"] for r in numbered["line_items"]) > 60


def test_summary_table_codes_and_measures(numbered):
    rows = [r for r in numbered["line_items"] if r["table_no"] == "01"]
    codes = {(r["code"], r["line_name"], r["measure_label"]) for r in rows}
    assert ("INCOME:一般公共预算财政拨款收入", "一般公共预算财政拨款收入", "决算数") in codes
    assert ("CLASS:卫生健康支出", "卫生健康支出", "决算数") in codes
    assert ("TOTAL", "本年支出合计", "决算数") in codes
    assert ("INCOME:本年收入合计", "本年收入合计", "决算数") in codes
    assert not any("总计" in r["line_name"] for r in rows)
    labels04 = {r["measure_label"] for r in numbered["line_items"] if r["table_no"] == "04"}
    assert labels04 == {"金额", "合计", "一般公共预算财政拨款"}


def test_cell_broken_inside_line_and_headers_joined(numbered):
    names = {r["line_name"] for r in numbered["line_items"] if r["table_no"] == "02"}
    assert "机关事业单位基本养老保险缴费支出" in names
    labels = {r["measure_label"] for r in numbered["line_items"] if r["table_no"] == "03"}
    assert labels == {"本年支出合计", "基本支出", "项目支出"}
    assert {r["measure_label"] for r in numbered["line_items"] if r["table_no"] == "05"} == {"小计", "基本支出", "项目支出"}


def test_economic_table_three_halves_and_drifted_total(numbered):
    rows = [r for r in numbered["line_items"] if r["table_no"] == "06"]
    by_code = {r["code"]: r for r in rows}
    assert by_code["TOTAL_PUBLIC"]["amount_wan_yuan"] == Decimal("18.74")
    assert by_code["TOTAL_PERSONNEL"]["amount_wan_yuan"] == Decimal("104.09")
    assert by_code["30106"]["amount_text"] == "0"  # a printed 0 is a row
    assert "30301" not in by_code  # a blank cell is not
    assert "30701" not in by_code
    assert by_code["30212"]["line_name"] == "因公出国(境)费用"


def test_three_public_and_table_metrics(numbered):
    metrics = {(m["metric"], m["value"]) for m in numbered["metrics"]}
    assert ("three_public_budget", Decimal("2")) in metrics
    assert ("three_public_actual", Decimal("0.89")) in metrics
    assert ("personnel_expenditure", Decimal("104.09")) in metrics


def test_no_data_notes(numbered):
    notes = [n for n in numbered["table_notes"] if n["note_kind"] == "no_data"]
    assert {n["table_no"] for n in notes} == {"07", "08"}


def test_split_codes_and_subtotals(split_codes):
    rows = split_codes["line_items"]
    assert find(rows, "02", "201", "本年收入合计")[0]["amount_text"] == "2,112.86"
    assert find(rows, "02", "20106", "其他收入")[0]["amount_wan_yuan"] == Decimal("6.20")
    assert find(rows, "02", "2010601", "其他收入")[0]["amount_wan_yuan"] == Decimal("0.01")
    assert find(rows, "02", "TOTAL", "本年收入合计")[0]["amount_wan_yuan"] == Decimal("2946.25")
    assert find(rows, "03", "2010602", "基本支出") == []  # blank cell


def test_table_numbers_from_toc_and_unnumbered_summaries(split_codes):
    numbers = {r["table_no"] for r in split_codes["line_items"]}
    assert numbers == {"02", "03", "05", "06"}
    econ = [r for r in split_codes["line_items"] if r["table_no"] == "06"]
    assert {r["table_kind"] for r in econ} == {"basic_economic"}
    assert find(econ, "06", "30101", "决算数")[0]["amount_wan_yuan"] == Decimal("262.33")
    assert find(econ, "06", "31002", "决算数")[0]["amount_wan_yuan"] == Decimal("13.58")


def test_budget_toc_numbers_units_and_page_break(budget):
    rows = budget["line_items"]
    assert {r["table_no"] for r in rows} == {"02", "03", "05", "08"}
    assert find(rows, "02", "201", "合计")[0]["amount_wan_yuan"] == Decimal("8209.679742")
    assert find(rows, "02", "201", "合计")[0]["unit"] == "元"
    # table 05 breaks over two pages with its header repeated
    assert find(rows, "05", "2101101", "合计")[0]["amount_text"] == "782,855.28"
    assert len(find(rows, "05", "TOTAL", "合计")) == 1
    assert {r["measure_label"] for r in rows if r["table_no"] == "08"} == {"合计", "人员经费", "公用经费"}
    assert {n["table_no"] for n in budget["table_notes"] if n["note_kind"] == "no_data"} == {"06", "07"}


SYNTHETIC = """目录
一、收入支出决算总表
二、收入决算表

{title}
{number}
单位：万元
项目{sep}{sep}本年收入合计{sep}财政拨款收入{sep}其他收入
科目编码{sep}科目名称{sep}{sep}{sep}
合计{sep}{sep}１，２３４．５０{sep}1,240.00{sep}-5.50
2080505{sep}机关事业单位基本{sep}1,234.50{sep}0{sep}
{sep}养老保险缴费支出{sep}{sep}{sep}

2101101{sep}行政单位医疗{sep}(3.20){sep}{sep}
"""


def synthetic(title="收入决算表", number="公开02表", sep="\t"):
    return SYNTHETIC.format(title=title, number=number, sep=sep).split("\n")


def test_synthetic_fullwidth_thousands_negative_blank_and_broken_cell():
    rows = items_of(synthetic())
    total = {r["measure_label"]: r for r in rows if r["code"] == "TOTAL"}
    assert total["本年收入合计"]["amount_wan_yuan"] == Decimal("1234.50")
    assert total["本年收入合计"]["amount_text"] == "１，２３４．５０"
    assert total["其他收入"]["amount_wan_yuan"] == Decimal("-5.50")
    pension = [r for r in rows if r["code"] == "2080505"]
    assert {r["line_name"] for r in pension} == {"机关事业单位基本养老保险缴费支出"}
    assert {r["measure_label"] for r in pension} == {"本年收入合计", "财政拨款收入"}  # 0 yes, blank no
    assert [r["amount_wan_yuan"] for r in rows if r["code"] == "2101101"] == [Decimal("-3.20")]


@pytest.mark.parametrize("sep", [" | ", "\t"])
def test_pipes_keep_positions(sep):
    rows = items_of(synthetic(sep=sep))
    assert {(r["code"], r["measure_label"]) for r in rows if r["code"] == "2080505"} == {
        ("2080505", "本年收入合计"), ("2080505", "财政拨款收入")}


def test_runs_of_spaces():
    lines = ["收入决算表", "公开02表", "单位：万元",
             "科目编码  科目名称  本年收入合计  财政拨款收入",
             "合计    10.00  10.00",
             "2101101  行政单位医疗  10.00  10.00"]
    rows = items_of(lines)
    assert {(r["code"], r["measure_label"], r["amount_text"]) for r in rows} == {
        ("TOTAL", "本年收入合计", "10.00"), ("TOTAL", "财政拨款收入", "10.00"),
        ("2101101", "本年收入合计", "10.00"), ("2101101", "财政拨款收入", "10.00")}


@pytest.mark.parametrize("title,number,expected", [
    ("收入决算表", "公开02表", "02"),
    ("表二 收入决算表", "", "02"),
    ("附表2：收入决算表", "", "02"),
    ("收入决算表", "", "02"),  # from the 目录
])
def test_table_number_forms(title, number, expected):
    assert {r["table_no"] for r in items_of(synthetic(title, number))} == {expected}


def test_toc_number_differs_from_standard():
    lines = synthetic("收入决算表", "")
    lines[2] = "五、收入决算表"  # the 目录 numbers it 5
    assert {r["table_no"] for r in items_of(lines)} == {"05"}


def test_multiline_header_joined_and_group_header_dropped():
    lines = ["支出决算表", "公开03表", "单位：万元",
             "项目\t\t本年支出\t基本支出\t项目支出",
             "科目编码\t科目名称\t合计\t\t",
             "2101101\t行政单位医疗\t3\t1\t2"]
    assert {r["measure_label"] for r in items_of(lines)} == {"本年支出合计", "基本支出", "项目支出"}
    lines[3:5] = ["项目\t\t本年支出\t\t", "科目编码\t科目名称\t小计\t基本支出\t项目支出"]
    assert {r["measure_label"] for r in items_of(lines)} == {"小计", "基本支出", "项目支出"}


@pytest.mark.parametrize("title,kind", [
    ("收入支出决算总表", "summary"),
    ("2025年部门财务收支预算总表", "summary"),
    ("部门收支总表（分单位）", "summary"),
    ("财政拨款收入支出决算总表", "fiscal_summary"),
    ("一般公共预算财政拨款支出决算表（分科目）", "gpb_expenditure"),
    ("2025年部门一般公共预算基本支出部门预算经济分类预算表", "basic_economic"),
    ("财政拨款“三公”经费支出决算表", "three_public"),
    ("2025年部门收入预算总表", "income"),
    ("支出决算表", "expenditure"),
    ("项目支出绩效自评表", None),
    ("八、政府性基金预算财政拨款收入支出决算情况说明", None),
    ("上海市某区某局2024年度部门决算表", None),
])
def test_title_keywords(title, kind):
    assert tables.classify_title(tables.clean_title(title)) == kind
