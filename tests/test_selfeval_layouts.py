"""Self-evaluation sheets laid out differently from the samples: each layout
with a positive and a negative case. The sheets are written for these tests."""
from __future__ import annotations

from decimal import Decimal

from ingest.parsers import metrics, selfeval
from ingest.parsers.rules import selfeval_flat


def _lines(text: str) -> list[str]:
    return text.strip("\n").split("\n")


def _by_name(rows: list[dict]) -> dict[str, dict]:
    return {r["indicator_name"]: r for r in rows}


PROJECT_SHEET = """
项目支出绩效自评表
（2023年度）
项目名称\t医保经办服务能力提升经费
主管部门\t江永县医疗保障局\t实施单位\t江永县医疗保障事务中心
项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分
\t年度资金总额\t60\t72.5\t70.1\t10\t96.69%\t9.7
\t其中：当年财政拨款\t60\t72.5\t70.1\t—\t—\t—
\t上年结转资金\t0\t0\t0\t—\t—\t—
\t其他资金\t0\t0\t0\t—\t—\t—
年度总体目标\t预期目标\t实际完成情况
\t提升经办服务效率\t已完成
绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施
\t产出指标\t数量指标\t经办业务量\t≥30000人次\t32110人次\t20\t20\t
\t\t\t业务培训\t=6场\t6场\t10\t10\t
\t\t成本指标\t单笔经办成本\t≤85000元\t81000元\t10\t9\t采购价格波动
\t效益指标\t社会效益指标\t窗口服务评价\t优良中低差\t优\t20\t18\t
\t\t\t指标2：\t\t\t\t\t
\t满意度指标\t服务对象满意度指标\t办事群众满意度\t≥90%\t94%\t20\t20\t
总分\t\t\t\t\t\t100\t96.7\t
"""


def test_project_sheet_money_block_rows_and_targets():
    out = selfeval.extract(_lines(PROJECT_SHEET))
    (project,) = out["projects"]
    assert (project["project_name"], project["initial_budget_wan_yuan"], project["annual_budget_wan_yuan"],
            project["executed_wan_yuan"], project["execution_rate_pct"], project["score"]) == (
        "医保经办服务能力提升经费", Decimal("60"), Decimal("72.5"), Decimal("70.1"), Decimal("96.69"),
        Decimal("96.7"))
    rows = _by_name(out["indicators"])
    assert set(rows) == {"经办业务量", "业务培训", "单笔经办成本", "窗口服务评价", "办事群众满意度"}
    assert (rows["业务培训"]["level1"], rows["业务培训"]["level2"]) == ("产出指标", "数量指标")
    assert (rows["业务培训"]["target_operator"], rows["业务培训"]["target_value"]) == ("=", 6.0)
    assert (rows["单笔经办成本"]["target_operator"], rows["单笔经办成本"]["target_value"],
            rows["单笔经办成本"]["target_unit"]) == ("≤", 85000.0, "元")
    assert (rows["经办业务量"]["target_value"], rows["经办业务量"]["target_unit"]) == (30000.0, "人次")
    assert rows["窗口服务评价"]["is_qualitative"] and rows["窗口服务评价"]["target_value"] is None
    assert (rows["单笔经办成本"]["weight"], rows["单笔经办成本"]["score"]) == (Decimal("10"), Decimal("9"))


def test_unfilled_template_rows_are_not_indicators():
    assert selfeval.is_placeholder("指标2：") and selfeval.is_placeholder("……")
    assert not selfeval.is_placeholder("参保人数")
    names = [r["indicator_name"] for r in selfeval.extract(_lines(PROJECT_SHEET))["indicators"]]
    assert "指标2：" not in names


def test_a_template_name_with_figures_is_kept_and_flagged():
    text = PROJECT_SHEET.replace("\t\t\t指标2：\t\t\t\t\t", "\t\t\t指标2：\t≥1项\t1项\t5\t5\t")
    rows = _by_name(selfeval.extract(_lines(text))["indicators"])
    assert rows["指标2:"]["flags"] == "template_text"


def test_one_project_sheet_total_is_the_documents_score():
    lines = _lines(PROJECT_SHEET)
    rows = [r for r in metrics.extract(lines, selfeval=selfeval.extract(lines).value)["metrics"]
            if r["metric"] == "self_evaluation_score"]
    assert [(r["value"], r["evidence"]) for r in rows] == [(Decimal("96.7"), "总分 得分 96.7")]


def test_several_project_sheets_give_no_document_score():
    two = PROJECT_SHEET + PROJECT_SHEET.replace("医保经办服务能力提升经费", "医保信息系统运维经费")
    lines = _lines(two)
    rows = [r for r in metrics.extract(lines, selfeval=selfeval.extract(lines).value)["metrics"]
            if r["metric"] == "self_evaluation_score"]
    assert rows == []


TRANSFER_SHEET = """
转移支付（项目）绩效目标自评表
（2023年度）
项目名称\t城乡居民医疗保险补助资金
中央主管部门\t国家医疗保障局
地方主管部门\t湖南省医疗保障局\t资金使用单位\t新田县医疗保障局
资金情况（万元）\t\t全年预算数(A)\t全年执行数(B)\t预算执行率(B/A×100%)
\t年度资金总额\t2345.67万\t2300.5万\t98.07%
\t其中：中央补助\t2000万\t1980万\t99%
\t地方资金\t345.67万\t320.5万\t92.72%
资金管理情况\t\t情况说明\t存在问题和改进措施
\t分配科学性\t按因素法分配\t无
\t下达及时性\t按时下达\t无
总体目标完成情况\t总体目标\t全年实际完成情况
\t巩固参保成果\t已完成
绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t全年实际值\t未完成原因分析
\t产出指标\t数量指标\t资助参保人数\t≥12000人\t12560人\t
\t\t质量指标\t补助资金到位率\t=100%\t100%\t
\t效益指标\t社会效益指标\t群众就医负担\t有所减轻\t明显减轻\t
\t满意度指标\t服务对象满意度指标\t参保群众满意度\t≥90%\t93%\t
"""


def test_transfer_payment_sheet_amounts_with_unit_suffix_and_merged_levels():
    out = selfeval.extract(_lines(TRANSFER_SHEET))
    (project,) = out["projects"]
    assert (project["project_name"], project["annual_budget_wan_yuan"], project["executed_wan_yuan"],
            project["execution_rate_pct"]) == (
        "城乡居民医疗保险补助资金", Decimal("2345.67"), Decimal("2300.5"), Decimal("98.07"))
    rows = _by_name(out["indicators"])
    assert set(rows) == {"资助参保人数", "补助资金到位率", "群众就医负担", "参保群众满意度"}
    assert (rows["补助资金到位率"]["level1"], rows["补助资金到位率"]["level2"]) == ("产出指标", "质量指标")
    assert rows["资助参保人数"]["actual_text"] == "12560人"
    assert rows["资助参保人数"]["weight"] is None


def test_amount_cells_with_units():
    assert selfeval.as_money("1234.56万") == Decimal("1234.56")
    assert selfeval.as_money("1234.56万元") == Decimal("1234.56")
    assert selfeval.as_money("12345.6元") == Decimal("1.23456")
    assert selfeval.as_money("未到位") is None
    assert selfeval.as_money("—") is None


def test_money_header_without_execution_column_is_not_a_money_block():
    text = TRANSFER_SHEET.replace("全年执行数(B)", "备注")
    assert selfeval.extract(_lines(text))["projects"] == []


FLAT = ("项目支出绩效自评表 （2023年度） 项目名称 医保基金监管专项经费 主管部门 双牌县医疗保障局 "
        "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额 20 24 22.8 10 95% 9.5 "
        "其中：当年财政拨款 20 24 22.8 — — — 年度总体目标 预期目标 实际完成情况 完成年度检查任务 已完成 "
        "绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 "
        "产出指标 数量指标 检查定点机构数 ≥60家 63家 20 20 质量指标 问题整改率 =100% 100% 20 18 "
        "效益指标 社会效益指标 基金运行安全 安全 安全 30 30 满意度指标 服务对象满意度指标 "
        "定点机构满意度 ≥90% 95% 20 19 总分 100 96.5")


def test_flattened_sheet_recovers_project_money_and_weighted_indicators():
    out = selfeval.extract([FLAT])
    (project,) = out["projects"]
    assert (project["project_name"], project["initial_budget_wan_yuan"], project["annual_budget_wan_yuan"],
            project["executed_wan_yuan"], project["score"]) == (
        "医保基金监管专项经费", Decimal("20"), Decimal("24"), Decimal("22.8"), Decimal("96.5"))
    got = [(r["level1"], r["level2"], r["indicator_name"], r["weight"], r["score"]) for r in out["indicators"]]
    assert got == [
        ("产出指标", "数量指标", "检查定点机构数", Decimal("20"), Decimal("20")),
        ("产出指标", "质量指标", "问题整改率", Decimal("20"), Decimal("18")),
        ("效益指标", "社会效益指标", "基金运行安全", Decimal("30"), Decimal("30")),
        ("满意度指标", "服务对象满意度指标", "定点机构满意度", Decimal("20"), Decimal("19")),
    ]
    assert all(r["flags"] == "flattened_low_confidence" and r["target_text"] is None for r in out["indicators"])
    assert [i["check_id"] for i in out["quality_issues"] if i["check_id"] == "selfeval_flattened_table"] == [
        "selfeval_flattened_table"]


def test_flattened_sheet_out_of_order_cells_are_not_guessed():
    # the money figures are fewer than the header's columns, and an indicator's
    # cells are shuffled so that more than name/target/actual precede its figures
    shuffled = FLAT.replace("年度资金总额 20 24 22.8 10 95% 9.5", "年度资金总额 20 24 22.8") \
                   .replace("问题整改率 =100% 100% 20 18", "问题整改率 =100% 按期整改 100% 20 18")
    out = selfeval.extract([shuffled])
    assert out["projects"] == [] or out["projects"][0]["initial_budget_wan_yuan"] is None
    names = [r["indicator_name"] for r in out["indicators"]]
    assert "问题整改率" not in names and "按期整改" not in names


def test_a_short_line_naming_a_sheet_is_not_a_flattened_sheet():
    assert not selfeval_flat.is_flattened_sheet("附件2 项目支出绩效自评表 一级指标 二级指标 三级指标")
    assert not selfeval_flat.is_flattened_sheet("项目支出绩效自评表\t一级指标\t二级指标\t三级指标")
    assert selfeval_flat.is_flattened_sheet(FLAT)


def test_self_evaluation_total_row_labels():
    assert selfeval.is_total_label("自评得分") and selfeval.is_total_label("总分")
    assert not selfeval.is_total_label("得分率")


# --- headline figures in other wordings (metrics) ------------------------------------------

def _contradictions(lines: list[str]) -> list[dict]:
    from ingest.checks import figures
    from ingest.document import Document, Paragraph

    return figures.run(Document([Paragraph(line) for line in lines], "text"), metrics.extract(lines))


def test_staff_per_sub_unit_in_one_sentence():
    lines = ["（二）人员情况",
             "本单位由局机关和医疗保障服务中心组成，局机关行政编制8名，实有在职人员9人；"
             "医疗保障服务中心事业编制20名，实有在职人员21人。全局实有在职人员30人。"]
    out = metrics.extract(lines)
    got = {(r["metric"], r["sub_unit"], r["value"]) for r in out["metrics"]}
    assert got == {("staff_authorized", "局机关", Decimal(8)), ("staff_actual", "局机关", Decimal(9)),
                   ("staff_authorized", "医疗保障服务中心", Decimal(20)),
                   ("staff_actual", "医疗保障服务中心", Decimal(21)),
                   ("staff_actual", None, Decimal(30))}
    assert _contradictions(lines) == []


def test_a_lone_centre_is_the_unit_not_a_sub_unit():
    out = metrics.extract(["某市医疗保障事业管理中心核定编制24名，年末在职人数23人。"])
    assert {r["sub_unit"] for r in out["metrics"]} == {None}


def test_unit_and_part_disagreeing_are_not_compared_but_two_unit_totals_are():
    issues = _contradictions(["局机关实有在职人员9人，医保中心实有在职人员21人。",
                              "全局实有在职人员30人。", "年末在职人员为31人。"])
    assert [(i["location"].split(":")[0], i["observed"]) for i in issues] == [("staff_actual", "30/31")]


def test_project_spending_in_the_performance_section_of_a_final_account():
    out = metrics.extract(["三、2023年度部门决算情况说明", "（十）预算绩效管理情况",
                           "本部门2023年度项目支出412.30万元，全部纳入绩效自评范围。"])
    assert [(r["metric"], r["value"]) for r in out["metrics"]] == [("project_expenditure", Decimal("412.30"))]


def test_project_spending_of_a_sub_group_wording_is_not_read():
    out = metrics.extract(["其中项目支出预算调整较多，详见附表。"])
    assert out["metrics"] == []


def test_table_evidence_names_row_column_and_cell():
    lines = ["经费控制情况(万元)\t2022年决算数\t\t2023年预算数\t\t2023年决算数\t",
             "三公经费\t2.4\t\t2\t\t0.89\t"]
    rows = {r["metric"]: r["evidence"] for r in metrics.extract(lines)["metrics"]}
    assert rows == {"three_public_budget": "三公经费 2023年预算数 2",
                    "three_public_actual": "三公经费 2023年决算数 0.89"}


def test_parts_summing_to_another_total_than_the_units_are_a_contradiction():
    issues = _contradictions(["局机关实有在职人员9人，医保中心实有在职人员21人。",
                              "全局实有在职人员31人。"])
    assert [(i["location"].split(":")[0], i["expected"], i["observed"]) for i in issues] == [
        ("staff_actual", "30", "31")]


def test_parts_summing_to_the_units_total_are_consistent():
    assert _contradictions(["局机关实有在职人员9人，医保中心实有在职人员21人。",
                            "全局实有在职人员30人。"]) == []
