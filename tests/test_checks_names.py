"""Names, copied passages and the text against the tables, on text written for the
test with the error put in and without it."""
from ingest.checks import copies, names, text_tables
from tests.checks_helpers import document, ids, run

SELF_EVAL = """某某县医疗保障局
2023年度部门整体支出绩效自评报告
一、部门基本情况
某某县医疗保障局为政府工作部门，内设办公室、待遇保障股等3个股室。
二、绩效评价工作开展情况
（一）绩效评价实施过程。我局按照绩效运行监控工作要求依次完成了制定自评方案、对照自查、撰写报告等工作。
（二）预算管理。制定了符合医疗保障工作实际、合法有效的《财务管理制度》《内部控制制度》等制度。
"""


def test_consistent_names_raise_nothing():
    assert run(names, SELF_EVAL) == []


def test_a_self_reference_of_another_kind_of_unit():
    found = run(names, SELF_EVAL.replace("我局按照", "我所按照"))
    assert ids(found) == ["NAME_SELF_REFERENCE"] and found[0]["observed"] == "我所"
    assert "(一)绩效评价实施过程" in found[0]["location"]


def test_a_centre_may_speak_of_its_bureau():
    centre = SELF_EVAL.replace("某某县医疗保障局", "某某县医疗保障事务中心").replace("我局按照", "我中心按照")
    assert run(names, centre + "我局下属事务中心负责经办。\n") == []


def test_another_sectors_wording():
    found = run(names, SELF_EVAL.replace("符合医疗保障工作实际", "符合司法行政实际"))
    assert ids(found) == ["NAME_OTHER_SECTOR"] and found[0]["kind"] == "copy_paste_text"


def test_template_placeholders():
    found = run(names, SELF_EVAL + "（三）其他说明。XX局2023年度无政府采购（如有）。\n")
    assert ids(found) == ["NAME_PLACEHOLDER", "NAME_PLACEHOLDER"]


def test_a_labelled_unit_field_naming_another_unit():
    text = SELF_EVAL + "2023年度部门整体支出绩效自评表\n部门名称\t某某县人力资源和社会保障局\n"
    found = run(names, text)
    assert ids(found) == ["NAME_UNIT_LABEL"]
    assert run(names, SELF_EVAL + "2023年度部门整体支出绩效自评表\n部门名称\t某某县医疗保障局\n") == []


SUMMARY_2023 = """附件1
某某区医保局2022年工作总结及2023年工作计划
一、存在的主要问题
（一）经费有较大缺口。我局工作经费存在较大缺口，我们已经就工作经费缺口问题向区财政进行了报告，但缺口仍未完全解决，影响了部分经办服务工作的正常开展。
（二）人员紧张。目前我局各个岗位都存在不同程度的人力不足。
某某区医保局
附件2
某某区医保局2023年工作总结及2024年工作计划
一、存在的主要问题
（一）经费保障。今年工作经费已纳入年初预算，经办服务经费基本得到保障，下一步将继续做好预算编制和执行工作，确保各项医保经办服务顺利开展。
（二）人员紧张。目前我局各个岗位都存在不同程度的人力不足。
某某区医保局
"""


def test_distinct_paragraphs_raise_nothing():
    assert run(copies, SUMMARY_2023) == []


def test_a_paragraph_printed_again_in_the_next_years_summary():
    first = SUMMARY_2023.split("（二）人员紧张")[0]
    copied = SUMMARY_2023.replace(
        "（一）经费保障。今年工作经费已纳入年初预算，经办服务经费基本得到保障，下一步将继续做好预算编制和执行工作，确保各项医保经办服务顺利开展。",
        first.split("\n")[3])
    found = run(copies, copied)
    assert ids(found) == ["TEXT_DUPLICATE_PASSAGE"]
    assert found[0]["location"].startswith("某某区医保局2023年工作总结及2024年工作计划/")


FINAL = """四、财政拨款收入支出决算总体情况说明
某某局2023年度财政拨款收入支出总计420.50万元。与2022年度相比，增加10.00万元。
五、一般公共预算财政拨款支出决算情况说明
1、卫生健康支出（210类）医疗保障管理事务（15款）行政运行（01项）。年初预算为420.50万元，支出决算为420.50万元。
财政拨款收入支出决算总表
单位：万元
项目\t决算数\t项目\t合计\t一般公共预算财政拨款
一、一般公共预算财政拨款\t420.50\t一、卫生健康支出\t420.50\t420.50
总计\t420.50\t总计\t420.50\t420.50
支出决算表
单位：万元
科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出
\t合计\t420.50\t420.50\t0.00
210\t卫生健康支出\t420.50\t420.50\t0.00
21015\t医疗保障管理事务\t420.50\t420.50\t0.00
2101501\t行政运行\t420.50\t420.50\t0.00
""".replace("\\t", "\t")


def test_text_matching_the_tables_raises_nothing():
    assert run(text_tables, FINAL) == []


def test_a_total_the_summary_table_does_not_print():
    found = run(text_tables, FINAL.replace("收入支出总计420.50万元", "收入支出总计0.3万元"))
    assert ids(found) == ["TT_SUMMARY_TOTAL"] and found[0]["expected"] == "420.5万元"


def test_an_old_subject_name_against_the_tables():
    doc, facts = document(FINAL.replace("1、卫生健康支出（210类）", "1、医疗卫生与计划生育支出（210类）"))
    found = text_tables.run(doc, facts)
    assert ids(found) == ["TT_SUBJECT_NAME"] and found[0]["expected"] == "卫生健康支出(210类)"


def _final_facts(admin_text: str):
    text = FINAL + admin_text
    doc, facts = document(text)
    facts["document_identity"] = [dict(facts["document_identity"][0], phase="final")] \
        if facts.get("document_identity") else [{"phase": "final", "fiscal_year": 2023}]
    facts["line_items"] = list(facts.get("line_items", [])) + [{
        "table_no": "06", "table_title": "一般公共预算财政拨款基本支出决算表", "table_kind": "basic_economic",
        "classification": "total", "code": "TOTAL_PUBLIC", "line_name": "公用经费合计", "measure_label": "决算数",
        "measure": "actual", "amount_text": "18.74", "unit": "万元", "amount_wan_yuan": 18.74, "source_line": 30}]
    return doc, facts


def test_admin_costs_equal_to_public_costs_raise_nothing():
    doc, facts = _final_facts("七、机关运行经费支出情况\n2023年度机关运行经费支出18.74万元。\n")
    assert "TT_ADMIN_COSTS" not in ids(text_tables.run(doc, facts))


def test_admin_costs_against_public_costs():
    doc, facts = _final_facts("七、机关运行经费支出情况\n2023年度机关运行经费支出28.74万元。\n")
    found = [i for i in text_tables.run(doc, facts) if i["check_id"] == "TT_ADMIN_COSTS"]
    assert found and found[0]["expected"] == "18.74万元" and found[0]["observed"] == "28.74万元"


AUDIT_2022 = ("2022年，我局按照省厅文件要求，开展了打击欺诈骗取医疗保险基金行为的专项行动，除了参加全市"
              "对定点医疗机构的联合稽核外，我局还将全局工作人员分为五个小组，采用轮流外出的方式，对辖区内的"
              "定点零售药店进行了全面检查，全年共稽核定点医疗机构30家，定点零售药店80家。")


def test_last_years_paragraph_with_a_few_words_changed():
    this_year = AUDIT_2022.replace("2022年", "2023年").replace("定点零售药店进行了", "定点医疗机构进行了")
    text = ("某某区医保局2022年工作总结及2023年工作计划\n（一）医保稽核工作\n" + AUDIT_2022 + "\n某某区医保局\n"
            "某某区医保局2023年工作总结及2024年工作计划\n（一）医保稽核工作\n" + this_year + "\n")
    found = run(copies, text)
    assert ids(found) == ["TEXT_DUPLICATE_PASSAGE"] and "基本相同" in found[0]["description"]
    same_year = this_year.replace("2023年", "2022年")
    assert run(copies, text.replace(this_year, same_year).replace("2023年工作总结及2024年", "2022年工作总结补充及2023年")) == []


HEADLINE = FINAL + "三、支出决算情况说明\n本年支出合计420.50万元，其中：基本支出420.50万元，占100%；项目支出0万元，占0%。\n"


def test_headline_totals_equal_to_the_tables_raise_nothing():
    assert "TT_HEADLINE_TOTAL" not in ids(run(text_tables, HEADLINE))


def test_a_headline_total_the_tables_do_not_print():
    found = [i for i in run(text_tables, HEADLINE.replace("本年支出合计420.50万元", "本年支出合计402.50万元"))
             if i["check_id"] == "TT_HEADLINE_TOTAL"]
    assert len(found) == 1 and found[0]["expected"] == "420.5万元" and found[0]["observed"] == "402.5万元"


FUNDS_2022 = ("2022年，我局严格执行医保基金预算管理制度，按月向财政部门报送基金收支情况，对城乡居民医保基金"
              "和职工医保基金分别核算，全年未发生挤占挪用基金的情况，基金运行总体平稳，累计结余可支付月数保持在合理区间。")


def test_two_of_last_years_paragraphs_carried_over_after_other_text():
    """Each long paragraph is compared with the earlier ones of another year, the later
    ones too, after a carried-over one was found and short paragraphs came between."""
    def this_year(text):
        return text.replace("2022年", "2023年").replace("定点零售药店进行了", "定点医疗机构进行了") \
            .replace("按月向财政部门", "按季度向财政部门")
    short = "本年度共召开医保工作专题会议多次，研究部署基金监管、待遇保障和经办服务等重点工作。"
    text = ("某某区医保局2022年工作总结及2023年工作计划\n（一）医保稽核工作\n" + AUDIT_2022 + "\n"
            "（二）基金管理工作\n" + FUNDS_2022 + "\n某某区医保局\n"
            "某某区医保局2023年工作总结及2024年工作计划\n（一）医保稽核工作\n" + this_year(AUDIT_2022) + "\n"
            "（二）会议\n" + short + "\n（三）基金管理工作\n" + this_year(FUNDS_2022) + "\n")
    found = run(copies, text)
    assert ids(found) == ["TEXT_DUPLICATE_PASSAGE", "TEXT_DUPLICATE_PASSAGE"]
    assert all("基本相同" in f["description"] for f in found)
    assert [f["observed"] for f in found] == ["同第3行", "同第5行"]
