"""Identity patterns of other regions' layouts: each with a positive and a negative case.

The texts are written for these tests; they reproduce a layout, not a file.
"""
from __future__ import annotations

import pytest

from ingest.document import Document, Paragraph
from ingest.parsers import identity, sections
from ingest.parsers.rules import identity_area, page_chrome


def _run(text: str, **kw) -> tuple[dict, list[dict]]:
    lines = text.strip("\n").split("\n")
    out = identity.extract(lines, sections=sections.extract(lines).value, **kw)
    return out["document_identity"][0], out["quality_issues"]


def _ids(issues: list[dict]) -> set[str]:
    return {i["check_id"] for i in issues}


# --- scope suffixes ------------------------------------------------------------

def test_scope_suffix_consolidated_is_taken_off_the_name():
    row, issues = _run("""
平江县医疗保障局(汇总)
2023年度部门决算
一、部门职责
负责全县医疗保障工作。
""")
    assert row["department_name"] == "平江县医疗保障局"
    assert row["department_name_printed"] == "平江县医疗保障局(汇总)"
    assert row["consolidation"] == "汇总"
    assert (row["city"], row["county"], row["division_code"]) == ("岳阳市", "平江县", "430626")
    assert row["identified_by"] == "title"
    assert issues == []


def test_scope_suffix_after_the_report_name():
    row, _ = _run("嘉禾县医疗保障局2023年度部门决算（汇总）\n目录")
    assert (row["department_name"], row["consolidation"]) == ("嘉禾县医疗保障局", "汇总")


def test_prefecture_short_form_with_own_level_suffix():
    row, _ = _run("""
湘西州医疗保障局（本级）
2023年度部门决算
""")
    assert row["department_name"] == "湘西州医疗保障局"
    assert (row["province"], row["city"], row["county"], row["admin_level"]) == (
        "湖南省", "湘西土家族苗族自治州", None, "city")
    assert row["consolidation"] == "本级"


def test_bureau_organ_suffix_reads_as_own_level():
    row, _ = _run("""
泸溪县医疗保障局机关
2024年部门预算
""")
    assert row["department_name"] == "泸溪县医疗保障局"
    assert row["consolidation"] == "本级"
    assert (row["fiscal_year"], row["phase"]) == (2024, "budget")


def test_no_scope_suffix_leaves_consolidation_unstated():
    row, _ = _run("""
平江县医疗保障局
2023年度部门决算
""")
    assert row["department_name"] == "平江县医疗保障局"
    assert row["consolidation"] is None
    assert identity.split_scope("平江县医疗保障局") == ("平江县医疗保障局", None)
    # a bracket that is not a scope word stays part of the name
    assert identity.split_scope("某某县医疗保障局(筹)")[1] is None


def test_autonomous_county_printed_without_its_peoples():
    row, _ = _run("""
城步县医疗保障局
2022年度部门整体支出绩效自评报告
""")
    assert (row["county"], row["admin_level"]) == ("城步苗族自治县", "county")


def test_short_form_that_is_no_place_is_not_resolved():
    row, issues = _run("""
青云县医疗保障局
2022年度部门整体支出绩效自评报告
""")
    assert row["province"] is None and row["county"] is None
    assert "identity_area_unresolved" in _ids(issues)


# --- page chrome and metadata ------------------------------------------------------

WEB_PAGE = """
当前位置: 首页 / 政务公开 / 财政资金信息
• 发布日期: 2024-09-12
• 来源: 汝城县医疗保障局
【字体: 大 中 小】【打印】【关闭】
索引号\t431026-0204-2024-00031\t发布机构\t汝城县医疗保障局
汝城县医疗保障局2023年度部门决算公开
汝城县医疗保障局2023年度部门决算公开
目录
第一部分 部门概况
"""


def test_chrome_is_passed_over_and_the_title_after_it_names_unit_and_year():
    row, issues = _run(WEB_PAGE)
    assert row["department_name"] == "汝城县医疗保障局"
    assert row["identified_by"] == "title"
    assert row["source_line"] == 6
    assert row["fiscal_year"] == 2023          # not 2024 of 发布日期
    assert row["phase"] == "final"
    assert issues == []


def test_chrome_lines_recognised_and_prose_is_not_chrome():
    assert page_chrome.is_chrome("当前位置：首页 > 信息公开 > 部门预决算")
    assert page_chrome.is_chrome("【打印本页】 【关闭窗口】")
    assert page_chrome.is_chrome("所属机构：汝城县医疗保障局  责任部门：汝城县医疗保障局")
    assert not page_chrome.is_chrome("汝城县医疗保障局2023年度部门决算公开")
    assert not page_chrome.is_chrome("来源于财政拨款的收入为120万元，主要用于日常运转。")


def test_unit_only_in_a_metadata_table():
    row, issues = _run("""
所属机构\t宜章县医疗保障局\t责任部门\t宜章县医疗保障局
2023年度部门决算
一、收入支出决算总体情况说明
2023年度收入总计356.21万元。
""")
    assert row["department_name"] == "宜章县医疗保障局"
    assert row["identified_by"] == "metadata"
    assert row["county"] == "宜章县"
    assert row["fiscal_year"] == 2023


def test_publication_date_alone_is_not_the_fiscal_year():
    row, issues = _run("""
• 发布日期: 2024-03-18
发布时间：2024年3月18日
宜章县医疗保障局工作动态
近期召开了全体干部会议。
""")
    assert row["fiscal_year"] is None
    assert "identity_year_unknown" in _ids(issues)


def test_document_metadata_from_the_html_reader():
    doc = Document([Paragraph("2023年度部门整体支出绩效自评报告"), Paragraph("一、基本情况")],
                   "html", metadata={"发布机构": "桂东县医疗保障局", "发布日期": "2024-06-01"})
    out = identity.extract(doc, sections=sections.extract(doc.text_lines).value)
    row = out["document_identity"][0]
    assert row["department_name"] == "桂东县医疗保障局"
    assert row["identified_by"] == "metadata"
    assert row["fiscal_year"] == 2023
    assert row["source_line"] == 1   # the year's line; the metadata has no line


def test_site_host_in_metadata_is_not_the_publisher():
    assert identity.metadata_units([("主办单位", "桂东县人民政府办公室"), ("发布日期", "2024-06-01")]) == []


# --- a unit in a table cell or in the 职责 text ---------------------------------------

def test_unit_first_inside_a_table_cell():
    row, _ = _run("""
2023年度转移支付绩效目标自评表
项目名称\t医疗服务与保障能力提升补助资金
中央主管部门\t国家医疗保障局
地方主管部门\t湖南省医疗保障局
资金使用单位\t安仁县医疗保障局
""")
    assert row["department_name"] == "安仁县医疗保障局"
    assert row["identified_by"] == "text"
    assert row["county"] == "安仁县"


def test_funder_cells_are_not_the_unit():
    assert identity.cell_unit("中央主管部门\t国家医疗保障局") is None
    assert identity.label_unit("中央主管部门：国家医疗保障局") is None
    assert identity.label_unit("地方主管部门：湖南省医疗保障局") is None


def test_unit_only_in_the_duty_text():
    row, _ = _run("""
2023年度部门整体支出绩效自评报告
一、部门基本情况
（一）部门职责
临武县医疗保障局是县人民政府工作部门，为正科级，负责全县医疗保障工作。
""")
    assert row["department_name"] == "临武县医疗保障局"
    assert row["identified_by"] == "text"


def test_another_unit_opening_a_duty_sentence_outside_a_duty_block_is_not_read():
    row, issues = _run("""
2023年度部门整体支出绩效自评报告
县财政局下达预算资金120万元。
""")
    assert row["department_name"] is None and row["identified_by"] is None
    assert identity.duty_unit("根据县财政局的要求，我局开展了自评。") is None
    assert "identity_unit_unknown" in _ids(issues)


# --- a unit named without its place ------------------------------------------------------

def test_unplaced_unit_takes_the_county_named_in_a_fund_title():
    row, issues = _run("""
医疗保障局
2023年度项目支出绩效自评报告
一、项目基本情况
嘉禾县城乡居民基本医疗保险补助资金预算350万元，全年执行350万元。
""")
    assert row["department_name"] == "嘉禾县医疗保障局"
    assert (row["county"], row["division_code"]) == ("嘉禾县", "431024")
    assert issues == []


def test_centre_published_under_its_bureaus_name_gets_the_bureaus_place():
    row, _ = _run("""
发布机构：桂阳县医疗保障局
医疗保障事务中心2023年度部门决算
""")
    assert row["department_name"] == "桂阳县医疗保障事务中心"
    assert row["unit_kind"] == "agency"
    assert row["county"] == "桂阳县"


def test_a_centre_printing_its_own_place_keeps_it_whatever_the_publisher():
    row, _ = _run("""
发布机构：郴州市医疗保障局
永兴县医疗保障事务中心2023年度部门决算
""")
    assert row["department_name"] == "永兴县医疗保障事务中心"
    assert row["identified_by"] == "title"
    assert row["county"] == "永兴县"


def test_place_of_a_cited_notice_is_not_the_publisher():
    row, issues = _run("""
医疗保障局
2023年度项目支出绩效自评报告
根据《郴州市医疗保障局关于开展2023年度绩效自评工作的通知》（郴医保发〔2024〕3号）要求，我局开展了自评。
""")
    assert row["department_name"] == "医疗保障局"
    assert row["province"] is None and row["city"] is None
    issue = next(i for i in issues if i["check_id"] == "identity_area_unresolved")
    assert "未写明地区" in issue["description"] and "所引文件" in issue["description"]


def test_several_counties_named_leave_the_area_unknown():
    clue = identity_area.from_text(["嘉禾县和临武县的参保人员可异地结算。"])
    assert clue.division is None and "多个县级地区" in clue.reason


# --- the fiscal year ------------------------------------------------------------------------

def test_year_line_under_a_sheet_title():
    row, _ = _run("""
项目支出绩效自评表
（2024年度）
项目名称\t医保信息化建设经费
实施单位\t资兴市医疗保障局
""")
    assert row["fiscal_year"] == 2024


def test_year_of_a_cited_notice_is_not_the_fiscal_year():
    lines = ["资兴市医疗保障局工作情况",
             "根据《关于开展2022年度绩效自评工作的通知》《关于做好2022年度决算的通知》要求，开展工作。",
             "一、主要成效"]
    assert identity.fiscal_year(lines, len(lines))[0] is None


# --- the file name --------------------------------------------------------------------------

def test_unit_from_the_file_name_when_the_text_names_none():
    row, _ = _run("2023年度部门决算\n一、收入支出决算总体情况说明",
                  file_name="uploads/汝城县医保局_2023年部门决算.pdf")
    assert row["department_name"] == "汝城县医疗保障局"
    assert row["identified_by"] == "file_name"


def test_file_name_without_a_unit_gives_nothing():
    assert identity.file_unit("attachment_20240312_01.pdf") is None
    assert identity.file_unit(None) is None


@pytest.mark.parametrize("line", ["2023年度部门决算", "目录"])
def test_lines_without_unit_names(line):
    assert identity.title_unit(line) is None


def test_warehouse_says_which_clue_identified_each_unit(built_warehouse):
    import duckdb

    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        rows = dict(con.execute("select file_name, identified_by from marts.dim_documents").fetchall())
        parts = con.execute("select sub_unit, value from marts.fct_department_metrics m "
                            "join marts.dim_documents d using (document_id) "
                            "where d.file_name like '000_%' and m.metric = 'staff_actual'").fetchall()
    finally:
        con.close()
    assert rows and set(rows.values()) <= {"title", "metadata", "text", "file_name"}
    assert rows["000_b8f65cc0883515f5.txt"] == "title"
    assert rows["002_d380f57f1d21b7c5.txt"] == "text"          # 评价单位：…
    assert (None, 26) in {(p, int(v)) for p, v in parts}
    assert any(p for p, _ in parts)


def test_the_runner_hands_identity_the_page_metadata():
    from ingest.extract import extract_document

    doc = Document([Paragraph("2023年度部门整体支出绩效自评报告"), Paragraph("一、基本情况")],
                   "html", metadata={"发布机构": "桂东县医疗保障局"})
    row = extract_document(doc).rows["document_identity"][0]
    assert (row["department_name"], row["identified_by"]) == ("桂东县医疗保障局", "metadata")


def test_the_pipeline_hands_identity_the_file_name():
    from ingest.pipeline import parse_file

    data = "2023年度部门决算\n一、收入支出决算总体情况说明\n".encode()
    item = parse_file(("in/汝城县医保局_2023年部门决算.txt", data, "0" * 64))
    row = item["rows"]["document_identity"][0]
    assert (row["department_name"], row["identified_by"]) == ("汝城县医疗保障局", "file_name")
    named = parse_file(("in/report_01.txt", data, "1" * 64))["rows"]["document_identity"][0]
    assert named["department_name"] is None and named["identified_by"] is None
