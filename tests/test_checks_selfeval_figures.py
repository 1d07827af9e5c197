"""Headline figures stated twice, cost indicators and prose rates against the
project's money: on facts of a self-evaluation written for the test."""
from decimal import Decimal

from ingest.checks import figures, selfeval_figures
from ingest.document import Document, Paragraph

TEXT = """一、基本情况
（一）部门基本情况。某某县医疗保障局年末实有在职人员12人。
二、绩效评价指标分析
（二）过程情况。2023年底，实有在职人员12人，在职人员控制率100%。
（三）产出情况。医保经办能力提升经费项目资金使用率为95%。
"""


def _doc(text=TEXT):
    lines = text.strip("\n").split("\n")
    return Document([Paragraph(line) for line in lines], "text")


def _metric(value, line, evidence):
    return {"metric": "staff_actual", "value": Decimal(value), "unit": "人", "evidence": evidence,
            "source_line": line}


def test_one_figure_stated_once_raises_nothing():
    facts = {"metrics": [_metric(12, 2, "年末实有在职人员12人"), _metric(12, 4, "实有在职人员12人")]}
    assert figures.run(_doc(), facts) == []


def test_a_figure_stated_with_two_values_names_both_sections():
    facts = {"metrics": [_metric(12, 2, "年末实有在职人员12人"), _metric(14, 4, "实有在职人员14人")]}
    found = figures.run(_doc(), facts)
    assert len(found) == 1 and found[0]["observed"] == "12/14"
    assert "(一)部门基本情况" in found[0]["location"] and "(二)过程情况" in found[0]["location"]


PROJECT = {"project_name": "医保经办能力提升经费", "initial_budget_wan_yuan": Decimal("20"),
           "annual_budget_wan_yuan": Decimal("20"), "executed_wan_yuan": Decimal("19"),
           "execution_rate_pct": Decimal("95"), "score": Decimal("92"),
           "origin": "self_evaluation_table", "source_line": 10}


def _cost(target, actual):
    return {"scope": "project", "project_name": "医保经办能力提升经费", "level1": "产出指标",
            "level2": "成本指标", "indicator_name": "项目资金成本控制", "target_text": f"{target}万",
            "actual_text": f"{actual}万", "weight": Decimal(10), "score": Decimal(10),
            "target_operator": None, "target_value": float(target), "target_unit": "万",
            "actual_operator": None, "actual_value": float(actual), "actual_unit": "万",
            "is_qualitative": False, "flags": "", "source_line": 12}


def test_cost_indicators_equal_to_the_funds_raise_nothing():
    facts = {"projects": [PROJECT], "indicators": [_cost(20, 19)]}
    assert selfeval_figures.run(_doc(), facts) == []


def test_a_cost_indicator_misprinting_the_executed_amount():
    facts = {"projects": [PROJECT], "indicators": [_cost(20, "19.05")]}
    found = selfeval_figures.run(_doc(), facts)
    assert [i["check_id"] for i in found] == ["SE_COST_VS_FUNDS"]
    assert found[0]["location"].startswith("项目支出绩效自评表:医保经办能力提升经费")


def test_a_prose_rate_misprinting_the_projects_rate():
    facts = {"projects": [PROJECT], "indicators": []}
    found = selfeval_figures.run(_doc(TEXT.replace("使用率为95%", "使用率为95.2%")), facts)
    assert [i["check_id"] for i in found] == ["SE_TEXT_RATE"] and found[0]["expected"] == "95%"


def test_parts_printed_on_one_line_are_not_a_contradiction():
    facts = {"metrics": [_metric(6, 2, "行政编制6名"), _metric(17, 2, "事业编制17名")]}
    assert figures.run(_doc(), facts) == []


def test_the_same_parts_in_two_sections_are_not_a_contradiction():
    facts = {"metrics": [_metric(6, 2, "行政编制6名"), _metric(17, 2, "事业编制17名"),
                         _metric(6, 4, "行政编制6人"), _metric(17, 4, "事业编制17人")]}
    assert figures.run(_doc(), facts) == []


def test_a_project_without_an_annual_budget_is_checked_on_what_it_has():
    """A table whose 全年预算数 is blank (None) beside a cost indicator that
    misprints the executed amount: reported, the missing budget shown as —."""
    facts = {"projects": [{**PROJECT, "annual_budget_wan_yuan": None}],
             "indicators": [_cost(20, "19.05")]}
    found = selfeval_figures.run(_doc(), facts)
    assert len(found) == 1 and found[0]["check_id"] == "SE_COST_VS_FUNDS"
    assert found[0]["expected"].startswith("—/19")
