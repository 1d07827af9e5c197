"""Completeness, units, dates and text-defect checks: each on a layout written for
the test with the error put in (positive) and on the same layout without it
(negative: nothing is raised)."""
from pathlib import Path

from ingest.checks import completeness, dates, defects, units
from tests.checks_helpers import document, ids, run

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
BUDGET = (FIXTURES / "budget_yuan_tables.txt").read_text(encoding="utf-8")
BUDGET_WAN = BUDGET.replace("单位：元", "单位：万元").replace("3,502,000.00", "350.20")


# --- completeness --------------------------------------------------------------

def test_tables_numbered_by_the_contents_page_are_noted():
    found = [i for i in run(completeness, BUDGET) if i["check_id"] == "COMPLETE_TABLE_NUMBERS"]
    assert len(found) == 1
    assert found[0]["kind"] == "table_numbering" and found[0]["severity"] == "info"
    assert found[0]["location"].startswith("三、部门预算表")
    assert "01=2025年部门收入预算总表" in found[0]["description"]


def test_printed_table_numbers_raise_no_numbering_note():
    printed = BUDGET.replace("2025年部门收入预算总表\n编制部门", "2025年部门收入预算总表\n公开01表\n编制部门")
    assert "COMPLETE_TABLE_NUMBERS" not in ids(run(completeness, printed))


def test_missing_public_tables_are_named():
    found = [i for i in run(completeness, BUDGET) if i["check_id"] == "COMPLETE_REQUIRED_TABLES"]
    assert found and found[0]["location"] == "tables 04, 05, 06, 07, 08, 09"


def test_a_complete_set_of_nine_tables_raises_nothing():
    doc, facts = document(BUDGET)
    facts["table_notes"] = [{"table_no": f"{n:02d}", "table_title": f"表{n}", "note_kind": "unit",
                             "note": "万元", "source_line": 1} for n in range(1, 10)]
    assert "COMPLETE_REQUIRED_TABLES" not in ids(completeness.run(doc, facts))


def test_a_listed_section_the_body_never_prints_is_reported():
    without = BUDGET.replace("某某市某某区医疗保障局主要职能\n", "")
    found = [i for i in run(completeness, without) if i["check_id"] == "COMPLETE_TOC_SECTIONS"]
    assert [i["location"] for i in found] == ["一、部门主要职能"]
    assert "COMPLETE_TOC_SECTIONS" not in ids(run(completeness, BUDGET))  # 部门 ↔ the unit's name


# --- units ---------------------------------------------------------------------

def test_tables_printed_in_yuan_beside_wan_yuan_text_are_noted():
    found = [i for i in run(units, BUDGET) if i["check_id"] == "UNIT_TABLE_IN_YUAN"]
    assert sorted(i["location"] for i in found) == [
        "table 01 2025年部门收入预算总表", "table 02 2025年部门支出预算总表",
        "table 03 2025年部门一般公共预算支出功能分类预算表"]
    assert all(i["kind"] == "unit_note" and i["severity"] == "info" for i in found)


def test_tables_in_wan_yuan_raise_no_unit_note():
    assert run(units, BUDGET_WAN) == []


def test_a_figure_written_in_yuan_as_wan_yuan_is_a_slip():
    slipped = BUDGET_WAN.replace("收入预算350.20万元", "收入预算3502000万元")
    found = [i for i in run(units, slipped) if i["check_id"] == "UNIT_WAN_YUAN_SLIP"]
    assert found and found[0]["expected"] == "350.2万元" and found[0]["severity"] == "warning"


# --- dates ---------------------------------------------------------------------

FINAL = """某某县医疗保障局2023年度部门决算
一、收入支出决算总体情况说明
2023年度收入总计420.50万元，与2022年度相比，收入总计增加20.10万元。
二、其他重要事项的情况说明
（一）国有资产占有使用情况
截至2023年12月31日，某某县医疗保障局共有车辆1辆。
2023年“三公”经费预算收入0.50万元。
"""


def test_consistent_years_raise_nothing():
    assert run(dates, FINAL) == []


def test_a_three_digit_year_is_a_lost_digit():
    found = run(dates, FINAL.replace("2023年“三公”", "202年“三公”"))
    assert ids(found) == ["DATE_TRUNCATED_YEAR"]
    assert "(一)国有资产占有使用情况" in found[0]["location"]


def test_an_as_of_date_of_another_year_is_reported():
    found = run(dates, FINAL.replace("截至2023年12月31日", "截至2022年12月31日"))
    assert ids(found) == ["DATE_AS_OF"] and found[0]["kind"] == "copy_paste_text"


def test_a_comparison_with_the_budget_year_itself_is_reported():
    text = BUDGET_WAN.replace("比2024年预算增加", "比2025年预算增加")
    found = run(dates, text)
    assert ids(found) == ["DATE_COMPARISON_YEAR"] and found[0]["expected"] == "比2024年"
    assert run(dates, BUDGET_WAN) == []


def test_a_project_period_before_the_budget_year_is_reported():
    text = BUDGET_WAN + "\n医保信息化项目经费情况说明\n 一、实施周期\n     2024年1月1日-2024年12月31日\n"
    assert ids(run(dates, text)) == ["DATE_PERIOD_BEFORE_YEAR"]
    assert run(dates, text.replace("2024年1月1日-2024年12月31日", "2025年1月1日-2025年12月31日")) == []


def test_the_report_named_with_another_year_is_reported_outside_an_attachment():
    text = ("某某区医疗保障局2021年度项目支出绩效自评报告\n一、评价工作过程\n"
            "6月底前撰写2020年某某区医疗保障局项目绩效评价报告并报送区财政局。\n")
    assert ids(run(dates, text)) == ["DATE_REPORT_YEAR"]
    attached = ("某某区医疗保障局2021年度项目支出绩效自评报告\n附件：\n2020年工作总结及2021年工作计划\n"
                "一、主要工作\n2020年是全区医保改革的关键一年，我局扎实推进各项工作。\n")
    assert run(dates, attached) == []


# --- text defects --------------------------------------------------------------

CLEAN = """一、基本情况
（一）预算执行。本年财政拨款收入145.50万元，其他收入4.30万元，共计149.80万元。
（二）工作成效。我局层层压实责任，逐一核查定点医药机构，财务人员常常深入一线。
"""


def test_clean_text_raises_no_defect():
    assert run(defects, CLEAN) == []


def test_doubled_punctuation_and_repeated_words_are_marked():
    text = CLEAN.replace("共计149.80万元。", "共计149.80万元，，").replace("核查定点", "核查定点定点")
    assert ids(run(defects, text)) == ["TEXT_DOUBLED_PUNCTUATION", "TEXT_REPEATED_WORD"]


def test_markup_residue_and_misread_comparator_are_marked():
    text = CLEAN + "（三）评分。设置绩效目标的项目数量/项目总数 \\times 4 分。\n"
    text += "满意度指标\t服务对象满意度\t≥90%\t》90%\t10\t10\n"
    assert ids(run(defects, text)) == ["TEXT_MARKUP_RESIDUE", "TEXT_MISREAD_COMPARATOR"]


def test_a_sentence_cut_off_before_its_figure_is_marked():
    text = CLEAN.replace("其他收入4.30万元", "其他收入为万元")
    assert ids(run(defects, text)) == ["TEXT_MISSING_FIGURE"]


EMPTY = BUDGET + """
2025年部门政府性基金预算支出功能分类预算表
编制部门：某某市某某区医疗保障局
单位：元
功能分类科目编码\t功能分类科目名称\t合计\t基本支出\t项目支出
\t\t\t\t
\t合计\t\t\t
注：本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。
""".replace("\\t", "\t")


def test_an_empty_table_with_its_explanation_raises_nothing():
    assert "COMPLETE_EMPTY_TABLE" not in ids(run(completeness, EMPTY))


def test_an_empty_table_without_explanation_is_reported():
    text = EMPTY.replace("注：本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。\n", "")
    found = [i for i in run(completeness, text) if i["check_id"] == "COMPLETE_EMPTY_TABLE"]
    assert len(found) == 1 and "政府性基金" in found[0]["location"]


def test_a_table_title_of_another_year():
    assert "DATE_TABLE_YEAR" not in ids(run(dates, BUDGET))
    text = BUDGET.replace("2025年部门支出预算总表\n编制部门", "2024年部门支出预算总表\n编制部门")
    found = [i for i in run(dates, text) if i["check_id"] == "DATE_TABLE_YEAR"]
    assert len(found) == 1 and found[0]["observed"] == "2024年"


PARTS = FINAL + """目录
第一部分某某县医疗保障局概况
第二部分某某县医疗保障局2023年度部门决算表
第一部分某某县医疗保障局概况
第二部分某某县医疗保障局2023年度部门决算表
"""


def test_part_headings_of_the_fiscal_year_raise_nothing():
    assert "DATE_HEADING_YEAR" not in ids(run(dates, PARTS))


def test_a_part_heading_of_another_year():
    head, heading, tail = PARTS.rpartition("第二部分某某县医疗保障局2023年度")  # the body's heading
    found = run(dates, head + heading.replace("2023", "2022") + tail)
    assert [i["observed"] for i in found if i["check_id"] == "DATE_HEADING_YEAR"] == ["2022年"]


def test_a_listed_table_the_body_never_prints():
    assert "COMPLETE_TOC_TABLES" not in ids(run(completeness, BUDGET))
    listed = BUDGET.replace("3. 2025年部门一般公共预算支出功能分类预算表 ……",
                            "3. 2025年部门一般公共预算支出功能分类预算表 ……\n4. 2025年部门“三公”经费和机关运行经费预算表 ……")
    found = [i for i in run(completeness, listed) if i["check_id"] == "COMPLETE_TOC_TABLES"]
    assert [i["location"] for i in found] == ["4.2025年部门“三公”经费和机关运行经费预算表"]


# a contents page printed without page numbers or leaders runs straight into the body
UNNUMBERED_CONTENTS = """某某县医疗保障局
2024年度部门决算
目录
第一部分 某某县医疗保障局概况
一、主要职能
二、机构设置
第二部分 情况说明
第一部分 某某县医疗保障局概况
一、主要职能
负责全县医疗保障政策的贯彻执行，组织实施医疗保障基金监督管理。
二、机构设置
本局内设三个股室，下属一个经办中心。
第二部分 情况说明
本年度收入支出总计与上年持平。
"""


def test_an_unnumbered_contents_page_ends_where_its_first_entry_recurs():
    assert "COMPLETE_TOC_SECTIONS" not in ids(run(completeness, UNNUMBERED_CONTENTS))


def test_an_unnumbered_contents_entry_the_body_lacks_is_still_named():
    lacking = UNNUMBERED_CONTENTS.replace("二、机构设置\n本局内设", "本局内设")
    found = [i for i in run(completeness, lacking) if i["check_id"] == "COMPLETE_TOC_SECTIONS"]
    assert [i["location"] for i in found] == ["二、机构设置"]


def test_a_contents_entry_wrapped_over_two_body_lines_is_found_across_a_blank_line():
    # a text conversion may put a blank line between a long heading's two halves
    listed = UNNUMBERED_CONTENTS.replace("二、机构设置\n", "二、机构设置及人员情况\n", 1)
    wrapped = listed.replace("二、机构设置\n本局内设", "二、机构设置\n\n及人员情况\n本局内设")
    assert "COMPLETE_TOC_SECTIONS" not in ids(run(completeness, wrapped))
    assert "COMPLETE_TOC_SECTIONS" not in ids(run(completeness, wrapped.replace("\n\n及", "\n及")))
    found = [i for i in run(completeness, listed) if i["check_id"] == "COMPLETE_TOC_SECTIONS"]
    assert [i["location"] for i in found] == ["二、机构设置及人员情况"]


FIGURES_LAST = BUDGET + """
2025年部门财政拨款“三公”经费预算表
单位：元
合计\t因公出国（境）费\t公务接待费
预算数\t预算数\t预算数
9,500.00\t\t9,500.00
2025年部门政府性基金预算支出功能分类预算表
单位：元
功能分类科目编码\t功能分类科目名称\t合计\t基本支出\t项目支出
\t合计\t\t\t
"""


def test_a_table_whose_only_figures_stand_right_above_the_next_title_is_not_empty():
    found = [i for i in run(completeness, FIGURES_LAST) if i["check_id"] == "COMPLETE_EMPTY_TABLE"]
    # the 三公 table prints 9,500.00; only the unexplained 政府性基金 table is empty
    assert len(found) == 1 and found[0]["location"].endswith("2025年部门政府性基金预算支出功能分类预算表")
