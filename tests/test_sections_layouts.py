"""Report kinds of other regions' layouts: titles, contents pages, partial bodies.

Each pattern has a positive and a negative case; texts are written for the tests.
"""
from __future__ import annotations

from ingest.parsers import sections


def _kinds(text: str) -> dict[str, dict]:
    rows = sections.extract(text.strip("\n").split("\n"))["document_sections"]
    return {r["report_type"]: r for r in rows}


def test_title_with_disclosure_words_and_site_suffix():
    assert sections.classify(sections.heading_text("蓝山县医疗保障局2023年度部门决算公开说明")) == "final_accounts"
    assert sections.classify(sections.heading_text("2023年度部门决算（公开）_蓝山县人民政府")) == "final_accounts"
    assert sections.classify(sections.heading_text("蓝山县医疗保障局2025年部门预算信息公开")) == "budget"


def test_a_breadcrumb_naming_a_kind_is_not_a_heading():
    assert sections.heading_text("首页 > 政务公开 > 部门预算") is None
    assert _kinds("""
当前位置：首页 > 信息公开 > 部门决算
蓝山县医疗保障局工作动态
""") == {}


def test_partial_final_accounts_only_contents_and_duties():
    found = _kinds("""
蓝山县医疗保障局2023年度部门决算
目录
第一部分 部门概况
第二部分 2023年度部门决算表
第三部分 2023年度部门决算情况说明
第一部分 部门概况
一、部门职责
贯彻落实国家和省市关于医疗保障工作的方针政策。
二、机构设置
内设办公室、待遇保障股、基金监管股。
""")
    assert set(found) == {"final_accounts"}
    assert found["final_accounts"]["start_line"] == 1


def test_contents_page_names_self_evaluation_sections_whose_bodies_follow():
    found = _kinds("""
蓝山县医疗保障局2023年度部门决算
目录
一、部门概况
二、部门决算表
三、附件：部门整体支出绩效自评表、项目支出绩效自评表
一、部门概况
负责全县医疗保障工作。
二、部门决算表
收入支出决算总表
附表一\t部门整体支出绩效自评表
一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分
产出指标\t数量指标\t参保人数\t≥30000人\t31250人\t10\t10
附表二\t项目支出绩效自评表
项目名称\t医保信息系统运行维护经费
""")
    assert set(found) == {"final_accounts", "overall_self_evaluation", "project_self_evaluation"}
    assert found["overall_self_evaluation"]["start_line"] == 10
    assert found["project_self_evaluation"]["start_line"] == 13


def test_contents_entry_without_a_body_names_no_section():
    found = _kinds("""
蓝山县医疗保障局2023年度部门决算
目录
一、部门概况
二、附件：部门整体支出绩效自评表
一、部门概况
负责全县医疗保障工作。部门整体支出绩效自评表详见县财政局网站。
""")
    assert set(found) == {"final_accounts"}


def test_prose_citing_the_table_is_not_its_body():
    assert not sections._names_entry("详见附件2：项目支出绩效自评表。", "项目支出绩效自评表")
    assert sections._names_entry("附表2\t项目支出绩效自评表", "项目支出绩效自评表")


def test_flattened_sheet_names_its_kind():
    from tests.test_selfeval_layouts import FLAT

    found = _kinds(FLAT)
    assert set(found) == {"project_self_evaluation"}
    assert found["project_self_evaluation"]["title"] == "项目支出绩效自评表"


def test_a_long_prose_line_is_not_a_flattened_sheet_heading():
    line = "根据要求，本单位填报了项目支出绩效自评表。" * 3
    assert sections.flattened_title(line) is None
