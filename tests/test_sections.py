"""Kinds of report found in a document, with line ranges."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parsers import sections
from ingest.schema import SECTIONS
from ingest.text import decode, lines_of
from tests.sampletext import rendering

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "identity"


def _extract(path: Path) -> list[dict]:
    if path.suffix == ".txt":
        lines = lines_of(decode(path.read_bytes()).text)
    else:   # the published PDFs: read as the pipeline reads them (once a run)
        lines = list(rendering(path))
    rows = sections.extract(lines)["document_sections"]
    for row in rows:
        assert row.keys() == SECTIONS.keys()
        assert 1 <= row["start_line"] <= row["end_line"]
    return rows


CORPUS = [
    ("seeds/000_b8f65cc0883515f5.txt", {"overall_self_evaluation"}),
    ("seeds/001_4aab53e2ab223d76.txt", {"final_accounts", "overall_self_evaluation", "project_self_evaluation"}),
    ("seeds/002_d380f57f1d21b7c5.txt", {"overall_self_evaluation"}),
    ("seeds/003_3197866f859893f5.txt", {"project_self_evaluation", "work_summary"}),
    ("seeds/004_4d7956f3dffd2d90.txt", {"performance_management_assessment", "project_self_evaluation"}),
    ("samples/25_shanghai-putuo-czj-2024-bmjs.pdf", {"final_accounts"}),
    ("samples/26_shanghai-putuo-qzfban-2025-bmys.pdf", {"budget"}),
]


@pytest.mark.parametrize("rel, kinds", CORPUS)
def test_corpus_sections(rel, kinds):
    path = ROOT / "corpus" / rel
    if not path.exists():
        pytest.skip(f"{rel} not in this checkout")
    assert {r["report_type"] for r in _extract(path)} == kinds


def test_bundled_final_accounts_ranges():
    path = ROOT / "corpus" / "seeds" / "001_4aab53e2ab223d76.txt"
    if not path.exists():
        pytest.skip("sample not in this checkout")
    rows = {r["report_type"]: r for r in _extract(path)}
    fa, ov, pr = rows["final_accounts"], rows["overall_self_evaluation"], rows["project_self_evaluation"]
    assert fa["start_line"] == 5 and "部门决算" in fa["title"]
    assert fa["end_line"] < ov["start_line"] <= ov["end_line"] < pr["start_line"]
    assert "整体支出" in ov["title"] and "绩效自评报告" in ov["title"]   # heading broken over two lines


@pytest.mark.parametrize("line, kind", [
    ("2023年度 某某管理区医保局部门决算", "final_accounts"),
    ("一般公共预算财政拨款基本支出决算明细表", "final_accounts"),
    ("上海市某某区2025年区级部门预算", "budget"),
    ("2025年部门财务收支预算总表", "budget"),
    ("关于2023年度预算绩效情况的说明", None),
    ("2022年度部门整体支出绩效自评报告", "overall_self_evaluation"),
    ("部门整体支出绩效自评指标评分表", "overall_self_evaluation"),
    ("2020年度部门项目支出绩效自评总报告", "project_self_evaluation"),
    ("2023 年部门年度项目绩效自评工作情况总结", "project_self_evaluation"),
    ("三、部门预算绩效管理工作考核分析", "performance_management_assessment"),
    ("2019年工作总结及2020年工作计划", "work_summary"),
    ("三、下一步工作计划", None),
])
def test_classify_heading(line, kind):
    text = sections.heading_text(line)
    assert (sections.classify(text) if text else None) == kind


@pytest.mark.parametrize("line", [
    "根据县财政局《关于开展2022年度县本级项目支出和部门整体支出绩效自评工作的通知》（柞财办发〔2023〕81号）文件精神",
    "具体详见附件2: 项目支出绩效自评表",
    "- 3.项目支出绩效自评表（一个一级项目支出一张表）",
    "3.评价方法。依据县2022年度部门整体支出绩效自评工作要求。",
])
def test_prose_and_references_are_not_headings(line):
    text = sections.heading_text(line)
    assert text is None or sections.classify(text) is None


def test_table_of_contents_is_not_a_section():
    lines = [
        "某某市某某区医疗保障局",
        "目录",
        "第一部分 部门概况",
        "第二部分 2023年度部门决算表",
        "第三部分 2023年度部门整体支出绩效自评报告",
        "",
        "第一部分",
        "部门概况",
        "本部门负责全区医疗保障工作，内设机构两个，编制十名，实有人数九名，下属事务中心一个。",
        "第二部分",
        "2023年度部门决算表",
        "收入支出决算总表",
    ]
    rows = sections.extract(lines)["document_sections"]
    assert [(r["report_type"], r["start_line"]) for r in rows] == [("final_accounts", 11)]
    assert sections.toc_lines(lines) >= {1, 2, 3, 4}


def test_table_of_contents_with_leader_dots():
    lines = [
        "某某区2025年区级部门预算",
        "目 录",
        "一、部门主要职能 ……………………………………",
        "五、部门预算表 ………………………………………",
        "9．2025年部门“三公”经费和机关运行经费预算表 ……………",
        "",
        "某某区某某局主要职能",
        "    某某局是区政府工作部门，负责有关工作，具体职责如下所列，共十二项，详见正文各条。",
    ]
    rows = sections.extract(lines)["document_sections"]
    assert [(r["report_type"], r["start_line"], r["end_line"]) for r in rows] == [("budget", 1, 8)]


def test_fixture_sections():
    rows = _extract(FIXTURES / "agency_final_accounts.txt")
    assert [r["report_type"] for r in rows] == ["final_accounts"]
    assert _extract(FIXTURES / "no_unit.txt") == []
