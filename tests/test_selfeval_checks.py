"""Consistency checks on self-evaluations."""
from decimal import Decimal
from pathlib import Path

from ingest.checks import selfeval_checks as checks
from ingest.extract import stage_rows
from ingest.parsers import selfeval
from ingest.text import decode, lines_of

CHECKS = ("ingest.checks.selfeval_checks",)

FIX = Path(__file__).parent / "fixtures" / "selfeval"


def load(name: str) -> list[str]:
    return lines_of(decode((FIX / name).read_bytes()).text)


def issues_of(name: str) -> list[dict]:
    return stage_rows(load(name), "selfeval", checks=CHECKS)["quality_issues"]


def test_copied_goal_found_in_the_two_tables_that_copied_it():
    copied = [i for i in issues_of("selfeval_tables_001.txt") if i["kind"] == "copy_paste_text"]
    locations = {i["location"] for i in copied}
    assert "项目支出绩效自评表:2022年城乡居民医疗救助区级财政配套资金" in locations
    assert "项目支出绩效自评表:2022年中央财政医疗救助补助资金" in locations
    assert "项目支出绩效自评表:离休人员医药费" not in locations  # the source itself
    assert "部门整体支出绩效自评表" not in locations


def test_weights_and_total_score_mismatch():
    issues = issues_of("selfeval_tables_001.txt")
    loc = "项目支出绩效自评表:区级扶贫捐款专项资金"
    got = {(i["check_id"], i["expected"], i["observed"]) for i in issues if i["location"] == loc}
    assert ("SE_WEIGHT_TOTAL", "100", "95") in got
    assert ("SE_TOTAL_SCORE", "82", "87") in got
    clean = "项目支出绩效自评表:离休人员医药费"
    assert not any(i["check_id"] in ("SE_WEIGHT_TOTAL", "SE_TOTAL_SCORE") for i in issues if i["location"] == clean)


def test_actual_repeating_target_is_flagged():
    rows = stage_rows(load("selfeval_tables_001.txt"), "selfeval", checks=CHECKS)["indicators"]
    flagged = [r for r in rows if "actual_repeats_target" in r["flags"].split(",")]
    assert flagged
    assert all(r["actual_text"] == r["target_text"] for r in flagged)
    real = next(r for r in rows if r["actual_text"] == "100%" and r["target_text"] == "≥90%")
    assert real["flags"] == ""


def test_execution_rate_vs_self_score():
    issues = issues_of("selfeval_tables_001.txt")
    low = {i["location"] for i in issues if i["check_id"] == "SE_EXECUTION_VS_TOTAL"}
    assert low == {"项目支出绩效自评表:离休人员医药费", "项目支出绩效自评表:区级扶贫捐款专项资金"}


def test_rubric_recomputation_proportional():
    issues = issues_of("selfeval_tables_001.txt")
    dept = [i for i in issues if i["check_id"] == "SE_RUBRIC_SCORE" and i["location"] == "部门整体支出绩效自评表"]
    assert [(i["expected"], i["observed"]) for i in dept] == [("8", "0")]


def test_printed_rubric_bands():
    text = "完成率60%以下为不及格,不得分;完成率为60%-100%的,得分=完成率×本指标分值;完成率为100%-150%的,得满分;完成率高于150%的,得一半分。"
    rubric = checks.parse_rubric(text)
    assert checks.rubric_score(Decimal("0.5"), Decimal(10), rubric) == 0
    assert checks.rubric_score(Decimal("0.8"), Decimal(10), rubric) == 8
    assert checks.rubric_score(Decimal("1.2"), Decimal(10), rubric) == 10
    assert checks.rubric_score(Decimal("1.6"), Decimal(10), rubric) == 5


def test_level_fit_and_score_above_weight():
    ind = selfeval.Indicator("project", "X", "产出指标", "社会效益指标", "n", "≥1", "2",
                             Decimal(5), Decimal(6), 1)
    table = selfeval.EvalTable("standard", "project", "X", 1, indicators=[ind])
    issues = checks.check_tables([table])
    kinds = {i["check_id"] for i in issues}
    assert {"SE_LEVEL_FIT", "SE_SCORE_ABOVE_WEIGHT"} <= kinds
    assert "level2_outside_level1" in ind.flags and "score_above_weight" in ind.flags


def test_assessment_section_score_mismatch():
    issues = issues_of("assessment_004.txt")
    got = [(i["location"], i["expected"], i["observed"]) for i in issues if i["check_id"] == "SE_LEVEL_POINTS"]
    assert got == [("绩效管理工作考核/基础工作", "14", "16")]
