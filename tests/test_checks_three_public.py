"""‘三公’经费 by category (ingest.checks.three_public): the parts against the
total and the text against the 三公 table, on a 决算 and a 预算 written for the
test in the national layouts — consistent, and with one error put in."""
from ingest.checks import three_public
from tests.checks_helpers import ids, run

# A 决算: the 公开09表 with 预算数 / 决算数 groups over the categories (three
# header rows and a lane row), the 情况说明 per category, and a 绩效 basic data
# table whose 三公 block lays the categories out as rows.
FINAL = """某某县医疗保障局2023年度部门决算
第二部分 2023年度部门决算表
财政拨款“三公”经费支出决算表
公开09表
部门：某某县医疗保障局
单位：万元
预算数\t\t\t\t\t\t决算数\t\t\t\t\t
合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费
\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t
1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12
6.5\t0\t4.5\t0\t4.5\t2\t5.32\t0\t3.88\t0\t3.88\t1.44
注：本表反映部门本年度财政拨款“三公”经费支出预决算情况。
第三部分 2023年度部门决算情况说明
七、财政拨款“三公”经费支出决算情况说明
（一）“三公”经费财政拨款支出决算总体情况说明
“三公”经费财政拨款支出预算为6.5万元，支出决算为5.32万元，完成预算的81.85%。其中：
因公出国（境）费支出预算为0万元，支出决算为0万元。上年因公出国（境）费支出决算为1.2万元。
公务接待费支出预算为2万元，支出决算为1.44万元，完成预算的72%，与上年相比减少0.36万元。
公务用车购置费支出预算为0万元，支出决算为0万元。
公务用车运行维护费支出预算为4.5万元，支出决算为3.88万元，主要用于1辆公务用车的燃料费、维修费。
（二）“三公”经费财政拨款支出决算具体情况说明
2023年度“三公”经费财政拨款支出决算中，公务接待费支出决算1.44万元，占27.07%，因公出国（境）费支出决算0万元，公务用车购置及运行维护费支出决算3.88万元，占72.93%。其中：公务用车购置费0万元。公务用车运行维护费3.88万元，截至2023年12月31日，公务用车保有量为1辆。
第四部分 附件
2023年度部门整体支出绩效评价基础数据表
经费控制情况(万元)\t2022年决算数\t\t2023年预算数\t\t2023年决算数\t
三公经费\t5.68\t\t6.5\t\t5.32\t
1、公务用车购置和维护经费\t3.88\t\t4.5\t\t3.88\t
其中：公车购置\t0\t\t0\t\t0\t
公车运行维护\t3.88\t\t4.5\t\t3.88\t
2、出国经费\t0\t\t0\t\t0\t
3、公务接待\t1.8\t\t2\t\t1.44\t
项目支出：\t\t\t140.07\t\t119.34\t
"""

# A 预算: one group of 预算数 (合计 / 出国 / 接待 / 公务用车 with 小计, 购置, 运行)
# in 元, and the 情况说明 stating each category in 万元.
BUDGET = """某某市医疗保障局2025年部门预算
2025年部门“三公”经费和机关运行经费预算表
编制部门：某某市医疗保障局
单位：元
“三公”经费预算数\t\t\t\t\t\t机关运行经费预算数
合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行费\t\t\t
\t\t\t小计\t购置费\t运行费\t
108,100\t0\t8,300\t99,800\t0\t99,800\t2,178,300
其他相关情况说明
一、2025年“三公”经费预算情况说明
2025年“三公”经费预算数为10.81万元，与2024年预算持平。其中：
（一）因公出国（境）费0万元，与2024年预算持平。
（二）公务用车购置及运行费9.98万元，与2024年预算持平。其中：公务用车购置费0万元，与2024年预算持平；公务用车运行费9.98万元，与2024年预算持平。
（三）公务接待费0.83万元，与2024年预算持平。
"""


def test_consistent_reports_raise_nothing():
    assert run(three_public, FINAL) == []
    assert run(three_public, BUDGET) == []


def test_the_tables_are_read_by_category_and_column():
    found = three_public.tables(FINAL.split("\n"), 2023, "final")
    official, basic = found
    assert official.title == "财政拨款“三公”经费支出决算表"
    cells = {(c.kind, cat): str(v) for c in official.columns for cat, (v, _) in c.cells.items()}
    assert cells[("budget", "vehicle_operation")] == "4.5" and cells[("final", "reception")] == "1.44"
    assert [c.kind for c in basic.columns] == [None, "budget", "final"]   # 2022 is another year
    budget = three_public.tables(BUDGET.split("\n"), 2025, "budget")[0]
    assert {cat: str(v) for cat, (v, _) in budget.columns[0].cells.items()} == {
        "total": "10.81", "abroad": "0", "reception": "0.83", "vehicle": "9.98",
        "vehicle_purchase": "0", "vehicle_operation": "9.98"}


def test_a_category_in_the_text_against_the_table():
    text = FINAL.replace("公务接待费支出预算为2万元，支出决算为1.44万元",
                         "公务接待费支出预算为2万元，支出决算为1.54万元")
    found = run(three_public, text)
    assert ids(found) == ["TP_CATEGORY_TEXT"]
    got = found[0]
    assert (got["expected"], got["observed"], got["severity"]) == ("1.44万元", "1.54万元", "warning")
    # both sides and where they are: the section and line of the text, the table and its row
    assert "七、财政拨款“三公”经费支出决算情况说明" in got["location"]
    assert "财政拨款“三公”经费支出决算表 第11行 公务接待费决算" in got["location"]
    assert "支出决算为1.54万元" in got["description"] and "1.44万元" in got["description"]
    assert got["source_line"] == 18


def test_a_budget_category_in_the_text_against_a_table_in_yuan():
    text = BUDGET.replace("（三）公务接待费0.83万元", "（三）公务接待费0.38万元")
    found = run(three_public, text)
    assert ids(found) == ["TP_CATEGORY_TEXT"]
    assert (found[0]["expected"], found[0]["observed"]) == ("0.83万元", "0.38万元")


def test_a_total_that_is_not_the_sum_of_its_parts():
    text = FINAL.replace("6.5\t0\t4.5\t0\t4.5\t2\t5.32", "6.5\t0\t4.5\t0\t4.5\t2\t5.82")
    found = run(three_public, text)
    assert ids(found) == ["TP_PARTS_SUM"]
    got = found[0]
    assert (got["expected"], got["observed"], got["severity"]) == ("5.32万元", "5.82万元", "error")
    assert got["location"] == "财政拨款“三公”经费支出决算表 第11行 “三公”经费合计"
    assert "决算数:“三公”经费合计印为5.82万元" in got["description"]
    assert "因公出国（境）费0+公务用车购置及运行费3.88+公务接待费1.44=5.32万元" in got["description"]


def test_a_row_printed_twice_in_the_basic_data_table():
    # the 公务用车 row repeats the 公务接待 figures: its parts and the total no longer add up
    text = FINAL.replace("1、公务用车购置和维护经费\t3.88\t\t4.5\t\t3.88", "1、公务用车购置和维护经费\t1.8\t\t2\t\t1.44")
    found = run(three_public, text)
    assert ids(found) == ["TP_PARTS_SUM", "TP_PARTS_SUM"]
    assert {i["location"] for i in found} == {
        "2023年度部门整体支出绩效评价基础数据表 第26行 “三公”经费合计",
        "2023年度部门整体支出绩效评价基础数据表 第27行 公务用车购置及运行费"}
    total = next(i for i in found if "合计" in i["location"])
    assert "2023年决算数:“三公”经费合计印为5.32万元" in total["description"]


def test_previous_year_and_changes_are_not_compared():
    text = FINAL.replace("上年因公出国（境）费支出决算为1.2万元", "上年因公出国（境）费支出决算为9.9万元")
    assert run(three_public, text) == []


def test_other_tables_with_the_same_words_are_not_three_public_blocks():
    # the basic-expenditure table lists 公务接待费 and 因公出国（境）费用 among its 款 and has a 合计
    text = """基本支出决算表
科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数
301\t工资福利支出\t90\t302\t商品和服务支出\t12
30101\t基本工资\t40\t30212\t因公出国（境）费用\t0
30102\t津贴补贴\t50\t30217\t公务接待费\t1.44
\t\t\t30231\t公务用车运行维护费\t3.88
合计\t\t102\t\t\t
"""
    assert run(three_public, text) == []


BASIC_TABLE = """一般公共预算财政拨款基本支出决算明细表
公开06表
单位：万元
人员经费\t\t\t公用经费\t\t
科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数
301\t工资福利支出\t90\t302\t商品和服务支出\t12
30101\t基本工资\t40\t30212\t因公出国（境）费用\t0
30102\t津贴补贴\t50\t30217\t公务接待费\t1.44
\t\t\t30231\t公务用车运行维护费\t3.88
人员经费合计\t\t90\t公用经费合计\t\t12
"""


def _with_basic_table(report: str, table: str) -> str:
    return report.replace("第三部分 2023年度部门决算情况说明", table + "第三部分 2023年度部门决算情况说明")


def test_basic_expenditure_lines_that_agree_with_the_three_public_table():
    assert [i for i in run(three_public, _with_basic_table(FINAL, BASIC_TABLE))
            if i["check_id"] == "TP_ECONOMIC_LINES"] == []


def test_basic_expenditure_lines_against_the_three_public_table():
    # more than the 三公 table in basic spending alone: a warning; less: info (projects may carry it)
    table = BASIC_TABLE.replace("30217\t公务接待费\t1.44", "30217\t公务接待费\t2.44").replace(
        "30231\t公务用车运行维护费\t3.88", "30231\t公务用车运行维护费\t0")
    found = sorted((i for i in run(three_public, _with_basic_table(FINAL, table))
                    if i["check_id"] == "TP_ECONOMIC_LINES"), key=lambda i: i["location"])
    assert [(i["severity"], i["expected"], i["observed"]) for i in found] == [
        ("warning", "1.44万元", "2.44万元"), ("info", "3.88万元", "0万元")]
    assert found[0]["location"].startswith("table 06 30217 公务接待费 vs 财政拨款“三公”经费支出决算表 第11行")
    assert "项目支出" in found[1]["description"]


def test_a_budget_need_not_split_its_three_public_money():
    basic = """2025年部门一般公共预算基本支出部门预算经济分类预算表
单位：元
科目编码\t\t经济分类科目名称\t合计\t人员经费\t公用经费
302\t\t商品和服务支出\t500,000\t\t500,000
302\t17\t公务接待费\t0\t\t0
"""
    found = run(three_public, BUDGET + basic)
    assert [i for i in found if i["check_id"] == "TP_ECONOMIC_LINES"] == []


def test_blocks_the_screen_skips_hold_no_row_layout():
    """``_may_list_categories`` false ⇒ ``_row_layout`` finds nothing (on generated blocks)."""
    import random
    rnd = random.Random(7)
    labels = ["合计", "小计", "三公经费", "“三公”经费合计", "公务用车购置费", "公车运行维护费", "因公出国(境)费",
              "出 国经费", "公务接待费", "公务 接待", "其中:公车购置", "1、公务用车购置和维护经费", "购置费",
              "运行费", "项目", "2023年预算数", "决算数", "基本支出", "国有资本", "支出"]
    skipped = found = 0
    for _ in range(4000):
        rows = []
        for k in range(rnd.randint(1, 6)):
            cells = [rnd.choice(labels)] + [rnd.choice(["1.5", "0", "", "2"]) for _ in range(rnd.randint(0, 3))]
            rows.append((k + 1, "\t".join(cells)))
        title = rnd.choice(["", "三公经费支出表", "支出决算表"])
        layout = three_public._row_layout(title, "万元", three_public._cells(rows), 2023, False)
        if not three_public._may_list_categories(rows):
            skipped += 1
            assert layout is None, rows
        found += layout is not None
    assert skipped > 100 and found > 100
