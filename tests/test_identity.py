"""Who and when: identity rows for the sample corpus and header fixtures."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parsers import identity, sections
from ingest.schema import DOCUMENT_IDENTITY, QUALITY_ISSUES
from ingest.text import decode, lines_of
from tests.sampletext import rendering

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "identity"


def _lines(path: Path) -> list[str]:
    if path.suffix != ".txt":   # the published PDFs: read as the pipeline reads them (once a run)
        return list(rendering(path))
    return lines_of(decode(path.read_bytes()).text)


def _run(path: Path) -> tuple[dict, list[dict]]:
    lines = _lines(path)
    out = identity.extract(lines, sections=sections.extract(lines).value)
    assert set(out) == {"document_identity", "quality_issues"}
    assert len(out["document_identity"]) == 1
    row = out["document_identity"][0]
    assert row.keys() == DOCUMENT_IDENTITY.keys()
    for issue in out["quality_issues"]:
        assert issue.keys() == QUALITY_ISSUES.keys()
    return row, out["quality_issues"]


CORPUS = [
    ("seeds/000_b8f65cc0883515f5.txt", "柞水县医疗保障局", "陕西省", "商洛市", "柞水县", "county", "611026", 2022, "bureau", "final"),
    ("seeds/001_4aab53e2ab223d76.txt", "岳阳市屈原管理区医疗保障局", "湖南省", "岳阳市", "屈原管理区", "county", "430671", 2023, "bureau", "final"),
    ("seeds/002_d380f57f1d21b7c5.txt", "湛江市医疗保障事业管理中心", "广东省", "湛江市", None, "city", "440800", 2023, "agency", "final"),
    ("seeds/003_3197866f859893f5.txt", "南昌市西湖区医疗保障局", "江西省", "南昌市", "西湖区", "county", "360103", 2020, "bureau", "final"),
    ("seeds/004_4d7956f3dffd2d90.txt", "隆化县医疗保障局", "河北省", "承德市", "隆化县", "county", "130825", 2023, "bureau", "final"),
    ("samples/25_shanghai-putuo-czj-2024-bmjs.pdf", "上海市普陀区财政局", "上海市", None, "普陀区", "county", "310107", 2024, "other", "final"),
    ("samples/26_shanghai-putuo-qzfban-2025-bmys.pdf", "上海市普陀区人民政府办公室", "上海市", None, "普陀区", "county", "310107", 2025, "other", "budget"),
    ("samples/27_shanghai-putuo-sww-2025-bmys.pdf", "上海市普陀区商务委员会", "上海市", None, "普陀区", "county", "310107", 2025, "other", "budget"),
    ("samples/28_shanghai-putuo-sfj-2026-bmys.pdf", "上海市普陀区司法局", "上海市", None, "普陀区", "county", "310107", 2026, "other", "budget"),
]


@pytest.mark.parametrize("rel, name, province, city, county, level, code, year, kind, phase", CORPUS)
def test_corpus_identity(rel, name, province, city, county, level, code, year, kind, phase):
    path = ROOT / "corpus" / rel
    if not path.exists():
        pytest.skip(f"{rel} not in this checkout")
    row, issues = _run(path)
    got = (row["department_name"], row["province"], row["city"], row["county"], row["admin_level"],
           row["division_code"], row["fiscal_year"], row["unit_kind"], row["phase"])
    assert got == (name, province, city, county, level, code, year, kind, phase)
    assert issues == []
    assert row["evidence"] and row["source_line"] >= 1


def test_printed_name_and_evidence_keep_the_first_printed_form():
    path = ROOT / "corpus" / "seeds" / "001_4aab53e2ab223d76.txt"
    if not path.exists():
        pytest.skip("sample not in this checkout")
    row, _ = _run(path)
    assert row["department_name_printed"] == "屈原管理区医保局"
    lines = _lines(path)
    assert "屈原管理区医保局" in lines[row["source_line"] - 1]
    assert row["consolidation"] == "汇总"


def test_prefecture_short_form_budget_and_own_level_only():
    row, issues = _run(FIXTURES / "dali_prefecture_budget.txt")
    assert (row["province"], row["city"], row["county"], row["admin_level"], row["division_code"]) == (
        "云南省", "大理白族自治州", None, "city", "532900")
    assert (row["fiscal_year"], row["phase"], row["consolidation"]) == (2024, "budget", "本级")
    assert issues == []


def test_ambiguous_district_resolved_from_document_and_city_prefixed():
    row, issues = _run(FIXTURES / "hangzhou_westlake_self_eval.txt")
    assert row["department_name"] == "杭州市西湖区医疗保障局"
    assert row["department_name_printed"] == "西湖区医疗保障局"
    assert (row["province"], row["city"], row["county"], row["division_code"]) == (
        "浙江省", "杭州市", "西湖区", "330106")
    assert row["fiscal_year"] == 2022
    assert issues == []


def test_ambiguous_district_without_clues_stays_null_with_issue():
    row, issues = _run(FIXTURES / "westlake_no_clue.txt")
    assert row["department_name"] == "西湖区医疗保障局"
    assert row["province"] is None and row["division_code"] is None
    assert [i["check_id"] for i in issues] == ["identity_area_ambiguous"]
    assert issues[0]["severity"] == "warning" and issues[0]["kind"] == "identity_unresolved"


def test_province_abbreviation_in_document_number_and_abbreviated_bureau():
    row, _ = _run(FIXTURES / "gulou_doc_number.txt")
    assert row["department_name"] == "鼓楼区医疗保障局"
    assert row["department_name_printed"] == "鼓楼区医保局"
    assert (row["province"], row["city"], row["division_code"]) == ("福建省", "福州市", "350102")
    assert (row["fiscal_year"], row["phase"]) == (2023, "final")


def test_year_accounted_for_not_year_written():
    row, _ = _run(FIXTURES / "dated_after_year.txt")
    assert row["fiscal_year"] == 2020
    assert row["county"] == "长阳土家族自治县"


def test_agency_in_municipality_district():
    row, _ = _run(FIXTURES / "agency_final_accounts.txt")
    assert row["unit_kind"] == "agency"
    assert (row["province"], row["city"], row["county"], row["division_code"]) == (
        "重庆市", None, "渝中区", "500103")
    assert (row["fiscal_year"], row["phase"], row["consolidation"]) == (2023, "final", "本级")


def test_unknown_unit_is_reported_not_guessed():
    row, issues = _run(FIXTURES / "no_unit.txt")
    assert row["department_name"] is None and row["province"] is None and row["fiscal_year"] is None
    ids = {i["check_id"] for i in issues}
    assert {"identity_unit_unknown", "identity_year_unknown"} <= ids


@pytest.mark.parametrize("name, kind", [
    ("某某县医疗保障局", "bureau"),
    ("某某市医疗保障事务中心", "agency"),
    ("某某县医疗保障经办中心", "agency"),
    ("某某市医疗保险管理中心", "agency"),
    ("某某市医疗保障事业管理中心", "agency"),
    ("某某区财政局", "other"),
    (None, None),
])
def test_unit_kind(name, kind):
    assert identity.unit_kind(name) == kind


def test_expand_name():
    assert identity.expand_name("某某县医保局") == "某某县医疗保障局"
    assert identity.expand_name("某某县医保事务中心") == "某某县医疗保障事务中心"


@pytest.mark.parametrize("line, unit", [
    ("2023年度 某某管理区医保局部门决算", "某某管理区医保局"),
    ("第一部分上海市某某区财政局概况", "上海市某某区财政局"),
    ("某某县医疗保障局", "某某县医疗保障局"),
    ("整体绩效自评报告", None),
    ("2022年度部门整体支出绩效自评报告", None),
])
def test_title_unit(line, unit):
    assert identity.title_unit(line) == unit


@pytest.mark.parametrize("line, unit", [
    ("部门：某某市某某区医疗保障局", "某某市某某区医疗保障局"),
    ("评价单位：某某市医疗保障事业管理中心", "某某市医疗保障事业管理中心"),
    ("年度:\t2023\t\t单位名称:\t\t某某市医疗保障事业管理中心\t\t单位数:", "某某市医疗保障事业管理中心"),
    ("单位名称（盖章）：某某县医疗保障局", "某某县医疗保障局"),
    ("单位：万元", None),
])
def test_label_unit(line, unit):
    assert identity.label_unit(line) == unit


@pytest.mark.parametrize("lines, year", [
    (["附件 6", "整体绩效自评报告", "评价年度：2023 年度", "填报日期：2024-7-29"], 2023),
    (["某某区2025年区级部门预算"], 2025),
    (["某某县医疗保障局", "工作报告", "2021年4月25日"], None),
])
def test_fiscal_year(lines, year):
    assert identity.fiscal_year(lines, len(lines))[0] == year
