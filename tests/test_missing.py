"""A readable report that yields no tables is named with what was missing."""
from __future__ import annotations

from ingest import readers
from ingest.extract import extract_document

_PROSE_ONLY = """某市医疗保障局2024年度部门决算
第一部分 部门概况
一、部门职责
负责全市医疗保障工作。
第二部分 2024年度部门决算情况说明
一、收入支出决算总体情况说明
2024年度收入总计1560.05万元，支出总计1560.05万元。
第三部分 部门决算表
（表格见附图）
"""

_TABLE = """第三部分 部门决算表
收入决算表
公开02表
单位：万元
项目\t\t\t本年收入合计\t财政拨款收入
科目编码\t\t\t科目名称
类\t款\t项\t合计\t1560.05\t1560.05
210\t\t\t卫生健康支出\t1560.05\t1560.05
"""

_PAGE = """<html><head><meta charset="utf-8"><title>某区医疗保障局2024年部门预算公开</title></head>
<body><h1>某区医疗保障局2024年部门预算公开</h1>
<p>根据有关规定，现将本局2024年部门预算公开如下，详见附件。</p></body></html>"""


def _notices(text: str, name: str) -> list[str]:
    return extract_document(readers.read(text.encode("utf-8"), name)).notices


def test_prose_only_final_accounts_says_no_table():
    (notice,) = _notices(_PROSE_ONLY, "report.txt")
    assert "no 公开 table" in notice and "部门决算" in notice


def test_final_accounts_with_its_tables_says_nothing():
    assert _notices(_PROSE_ONLY.replace("（表格见附图）\n", _TABLE), "report.txt") == []


def test_web_page_without_tables_says_so():
    (notice,) = _notices(_PAGE, "page.html")
    assert notice.startswith("web page without any table")


def test_other_reports_say_nothing():
    assert _notices("2024年度工作总结\n今年共完成报销1200人次。\n", "summary.txt") == []
