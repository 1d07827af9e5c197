"""Vocabularies are data, defined once (ingest/vocabularies/*.csv)."""
from __future__ import annotations

from decimal import Decimal

from ingest.checks import selfeval_checks
from ingest.parsers import metrics, narrative
from ingest.parsers.budget import titles
from ingest.parsers.evaluation import standard
from ingest.parsers.rules import selfeval_flat
from ingest.vocabularies import (
    indicator_levels,
    metric_wordings,
    selfeval_header,
    table_kinds,
    table_title_rules,
)


def test_every_kind_a_title_names_has_numbers():
    kinds = table_kinds()
    named = {rule.kind for rule in table_title_rules() if rule.kind}
    assert named == set(kinds)
    assert all(row["final_no"].isdigit() and row["budget_no"].isdigit() for row in kinds.values())


def test_title_rules_in_order():
    assert titles.classify_title("2024年部门收入决算表") == "income"
    assert titles.classify_title("2025年部门支出预算表") == "expenditure"
    assert titles.classify_title("一般公共预算财政拨款基本支出决算表") == "basic_economic"  # 基本支出 before 一般公共预算
    assert titles.classify_title("政府性基金预算支出表") == "gov_fund"
    assert titles.classify_title("项目支出绩效目标表") is None                    # a table no stage reads
    assert titles.classify_title("收入支出决算总表") == "summary"


def test_shared_metric_wordings_are_one_definition():
    """The narrative reads the headline money figures with the metrics stage's regexes."""
    ours = {(m, p.pattern) for m, _, p in metric_wordings("narrative")}
    theirs = {(m, p.pattern) for m, p in metrics.MONEY_PATTERNS}
    shared = {m for m, _ in ours} & {m for m, _ in theirs}
    assert {"total_income", "basic_expenditure", "three_public_actual"} <= shared
    assert {x for x in ours if x[0] in shared} <= theirs


def test_narrative_states_yuan_in_wan_yuan():
    lines = ["一、收入支出决算总体情况说明", "2024年度本年收入合计1234500元，比上年增加。"]
    got = narrative.extract(lines)["metrics"]
    income = [m for m in got if m["metric"] == "total_income"]
    assert [m["value"] for m in income] == [Decimal("123.45")]


def test_indicator_levels_shared_by_parser_and_check():
    levels = indicator_levels()
    assert selfeval_checks.STANDARD_LEVELS is levels
    assert "数量指标" in levels["产出指标"] and "经济成本指标" in levels["成本指标"]
    assert set(levels) <= selfeval_flat._LEVEL1


def test_selfeval_headers_from_data():
    assert standard.is_standard_header("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分")
    assert standard.is_scoring_header("一级指标\t分值\t二级指标\t分值\t三级指标\t分值\t得分")
    assert selfeval_header("funding")["executed"] == ("全年执行数", "执行数")
    assert ("全年执行数", "executed") in selfeval_flat._FUND_KEYS
