"""Scoring the issues kind: by place, each issue recalling at most one key row."""
from ingest.evaluate import score_issues, txt
from ingest.evaluate_places import same_place, table_numbers


def test_tables_are_named_by_number_in_any_printed_form():
    assert table_numbers(txt("公开03/05表")) == {"03", "05"}
    assert table_numbers(txt("table 02 合计 本年收入合计")) == {"02"}
    assert table_numbers(txt("收入决算表(02)")) == {"02"}
    assert table_numbers(txt("08/2025年部门一般公共预算基本支出部门预算经济分类预算表")) == {"08"}
    assert table_numbers(txt("四、(二)过程情况 第59行")) == set()


def test_places_match_by_table_title_or_section_heading():
    assert same_place(txt("项目支出绩效自评表:离休人员医药费"), txt("项目支出绩效自评表:离休人员医药费 第645行"))
    assert same_place(txt("四、(二)过程情况/预算管理"), txt("某报告/四、绩效评价指标分析/(二)过程情况 第61行"))
    assert same_place(txt("三、考核分析/二、三、四"), txt("三、绩效目标管理/(一)管理范围 第69行"))
    assert not same_place(txt("四、(二)过程情况"), txt("四、绩效评价指标分析/(一)决策情况 第57行"))
    assert not same_place(txt("项目支出绩效自评表:离休人员医药费"), txt("项目支出绩效自评表:医保工作专项经费"))


def test_one_issue_recalls_one_key_row():
    gold = [("a.txt", "total_mismatch", txt("四、(一)决策情况")),
            ("a.txt", "total_mismatch", txt("四、(一)决策情况"))]
    one = [("a.txt", "total_mismatch", txt("四、绩效评价指标分析/(一)决策情况 第57行"))]
    report = score_issues(gold, one, ["a.txt"])
    assert (report.total.matched, report.total.precision, report.total.recall) == (1, 1.0, 0.5)
    report = score_issues(gold, one * 2, ["a.txt"])
    assert report.total.recall == 1.0
    wrong_kind = [("a.txt", "ocr_typo", one[0][2])]
    assert score_issues(gold, wrong_kind, ["a.txt"]).total.matched == 0


def test_a_key_file_matches_an_ingested_file_of_the_same_stem():
    from ingest.evaluate import _by_gold_name

    facts = {"files": [("001_x.pdf",), ("other.docx",)], "metrics": [("001_x.pdf", "total_income", "1")]}
    named = _by_gold_name(facts, ["001_x.txt"])
    assert named["files"] == [("001_x.txt",), ("other.docx",)]
    assert named["metrics"] == [("001_x.txt", "total_income", "1")]
