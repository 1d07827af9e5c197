"""The text's own sums and its wording against its numbers: each check on text
written for the test, with the error put in and without it."""
from ingest.checks import sums, wording
from tests.checks_helpers import ids, run

SELF_EVAL = """某某县医疗保障局
2023年度部门整体支出绩效自评报告
一、基本情况
（一）部门整体收支情况。2023年本年财政拨款收入210.40万元，其他收入3.10万元，共计213.50万元。2023年总支出213.50万元。
二、综合评价情况
（一）整体支出管理使用情况。一是基本支出。2023年度财政拨款基本支出203.50万元，其中，工资福利支出150.00万元，占73.71%；商品和服务支出53.50万元，占26.29%。二是项目支出。2023年度财政拨款项目支出10万元，用于医保经办能力提升。
（二）绩效目标完成情况。城乡居民医保共报销52300人次2410.50万元。其中：住院报销6200人次1900.30万元，普通门诊报销44100人次310.20万元，门诊慢特病报销2000人次200.00万元。
"""


def test_consistent_sums_raise_nothing():
    assert run(sums, SELF_EVAL) == []


def test_listed_items_against_their_total():
    text = SELF_EVAL.replace("门诊慢特病报销2000人次200.00万元", "门诊慢特病报销2000人次180.00万元")
    found = run(sums, text)
    assert ids(found) == ["TEXT_LISTED_ITEMS_SUM"]
    assert found[0]["expected"] == "2410.5万元" and found[0]["observed"] == "2390.5万元"
    assert found[0]["severity"] == "warning" and "(二)绩效目标完成情况" in found[0]["location"]


def test_changes_are_not_items():
    text = SELF_EVAL.replace("普通门诊报销44100人次310.20万元", "普通门诊报销44100人次310.20万元，比上年增加20.00万元")
    assert run(sums, text) == []


def test_basic_plus_project_against_total_expenditure():
    text = SELF_EVAL.replace("财政拨款基本支出203.50万元", "财政拨款基本支出213.50万元").replace(
        "工资福利支出150.00万元，占73.71%；商品和服务支出53.50万元，占26.29%",
        "工资福利支出160.00万元，占74.94%；商品和服务支出53.50万元，占25.06%")
    found = run(sums, text)
    assert ids(found) == ["TEXT_BASIC_PROJECT_TOTAL"]
    assert found[0]["observed"] == "223.5万元" and found[0]["expected"] == "213.5万元"


FINAL = """五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
一般公共预算财政拨款支出年初预算为300.00万元，支出决算为290.00万元，完成年初预算的96.67%。决算数小于预算数的主要原因：人员变动。其中：
1、卫生健康支出（类）医疗保障管理事务（款）行政运行（项）。年初预算为200.00万元，支出决算为195.00万元。决算数小于预算数的主要原因：人员退休。
2、卫生健康支出（类）医疗保障管理事务（款）医疗保障经办事务（项）。年初预算为100.00万元，支出决算为95.00万元。决算数小于预算数的主要原因：项目调减。
四、财政拨款收入支出决算总体情况说明
2023年度财政拨款收入支出总计300.00万元。与2022年度相比，财政拨款收入支出总计持平。主要原因：
人员和项目均无变化。
"""


def test_per_subject_statements_against_their_stated_total():
    assert run(sums, FINAL) == []
    found = run(sums, FINAL.replace("年初预算为100.00万元", "年初预算为100.01万元"))
    assert ids(found) == ["TEXT_ITEMS_BUDGET_SUM"] and found[0]["severity"] == "info"


def test_consistent_wording_raises_nothing():
    assert run(wording, SELF_EVAL) == []
    assert run(wording, FINAL) == []


def test_a_share_against_its_figures():
    found = run(wording, SELF_EVAL.replace("占73.71%", "占75.71%"))
    assert ids(found) == ["WORD_SHARE"] and found[0]["expected"] == "73.71%"


def test_budget_words_against_the_figures():
    found = run(wording, FINAL.replace("支出决算为195.00万元。决算数小于", "支出决算为205.00万元。决算数小于"))
    assert ids(found) == ["WORD_BUDGET_COMPARISON"]
    found = run(wording, FINAL.replace("完成年初预算的96.67%", "完成年初预算的98.67%"))
    assert ids(found) == ["WORD_BUDGET_COMPARISON"] and found[0]["expected"] == "完成96.67%"


def test_unchanged_with_a_reason_for_a_change():
    text = FINAL.replace("人员和项目均无变化。", "项目支出中合同支付进度等原因减少支付。")
    found = run(wording, text)
    assert ids(found) == ["WORD_FLAT_WITH_REASON"] and found[0]["kind"] == "copy_paste_text"


BUDGET = """四、2026年部门预算编制说明
    1、卫生健康支出（210类）医疗保障管理事务（15款）行政运行（01项）420.00万元。主要用于：行政单位的基本支出。2025年当年预算执行数为400.00万元，2026年预算安排420.00万元，比2025年预算执行数增加5.00%。主要原因是：人员增加。
    2、卫生健康支出（210类）医疗保障管理事务（15款）医疗保障经办事务（06项）90.00万元。主要用于：经办业务。2025年当年预算执行数为100.00万元，2026年预算安排90.00万元，比2025年预算执行数减少10%。主要原因是：项目调减。
"""


def test_change_rates_against_their_figures():
    assert run(wording, BUDGET) == []
    found = run(wording, BUDGET.replace("增加5.00%", "增加5.27%"))
    assert ids(found) == ["WORD_CHANGE_RATE"] and found[0]["expected"] == "增加5%"
    found = run(wording, BUDGET.replace("减少10%", "增加10%"))
    assert ids(found) == ["WORD_CHANGE_RATE"] and found[0]["severity"] == "warning"


INCOME = """（三）我局2023年度收支情况。我部门年初预算项目共3个，预算金额64.50万元。具体收支如下：
1、公费医疗县级财政补助资金40万元，已全部支出；
2、城乡居民医疗保险意外伤害查勘认定费20.30万元，已全部支出；
3、机关事业单位人员表彰奖励资金4.20万元，已全部支出。
"""


def test_a_numbered_list_matching_its_lead_raises_nothing():
    assert run(sums, INCOME) == []


def test_a_numbered_list_longer_than_its_count_and_off_its_total():
    text = INCOME.replace("已全部支出。\n", "已全部支出；\n4、居民医保宣传经费5万元，已全部支出。\n")
    found = run(sums, text)
    assert sorted((i["kind"], i["observed"]) for i in found) == [
        ("contradictory_figures", "共3个"), ("total_mismatch", "69.5万元")]


SCORING = """三、部门预算绩效管理工作考核分析
我部门预算绩效管理工作考核总体评分为98分，现对照考核评分标准分析如下：
一、基础工作（总分16分，总得分14分）
二、绩效目标管理（总分为14分，得分为14分）
三、绩效评价管理（总分为70分，得分为70分）
"""


def test_part_scores_against_the_overall_score():
    assert run(sums, SCORING) == []
    found = run(sums, SCORING.replace("总得分14分", "总得分16分"))
    assert ids(found) == ["TEXT_PART_SCORES"] and found[0]["expected"] == "100分"


DELTA = """七、其他重要事项的情况说明
（一）机关运行经费支出情况
某某局2023年度机关运行经费支出184.65万元，比2022年度增加2.55万元，增长1.40%。主要原因是办公设备更新。
"""


def test_a_change_in_wan_yuan_against_its_rate():
    assert run(wording, DELTA) == []
    found = run(wording, DELTA.replace("增长1.40%", "增长1.60%"))
    assert ids(found) == ["WORD_CHANGE_RATE"] and found[0]["expected"] == "增长1.4%"


BASES = """四、2025年部门预算编制说明
    2025年，某某局收入预算1,200.00万元，其中：财政拨款收入1,200.00万元，比2024年预算增加100.00万元。
    支出预算1,200.00万元，其中：财政拨款支出预算1,200.00万元，比2024年预算增加100.00万元。
"""


def test_one_amount_compared_with_two_bases():
    assert run(wording, BASES) == []
    found = run(wording, BASES.replace("财政拨款收入1,200.00万元，比2024年预算增加", "财政拨款收入1,200.00万元，比2024年预算执行数增加"))
    assert ids(found) == ["WORD_COMPARISON_BASE"]


ADJUST = """（二）过程情况。一是预算执行。本年财政拨款收入200.00万元，共计200.00万元，财政拨款支出决算数199.20万元，预算完成率100%；预算调整数4.00万元，预算调整率2%，小于控制数5%。
"""


def test_an_adjustment_rate_against_its_figures():
    assert run(wording, ADJUST) == []
    found = run(wording, ADJUST.replace("预算调整率2%", "预算调整率0.05%"))
    assert ids(found) == ["WORD_ADJUSTMENT_RATE"] and found[0]["expected"] == "2%"
