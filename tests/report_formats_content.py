"""The content of the small 部门决算 of ``tests.report_formats`` — its title,
narrative and two tables (header spans, subject codes, amounts in 万元) — and
``as_text()``, the tab-separated rendering the parsers read from a .txt
conversion, which every other format must give back."""
from __future__ import annotations

from dataclasses import dataclass

TITLE = "某某县医疗保障局2023年度部门决算"
NARRATIVE = [
    "一、收入决算情况说明",
    "本年收入合计1,487.30万元，其中：财政拨款收入1,402.18万元，占94.28%。",
]


@dataclass
class Span:
    """A header cell covering ``rows`` x ``cols`` grid positions."""

    text: str
    rows: int = 1
    cols: int = 1


@dataclass
class ReportTable:
    title: str
    number: str
    header: list[list[Span | None]]   # None: covered by a span above/left
    rows: list[list[str]]

    @property
    def n_cols(self) -> int:
        return len(self.rows[0])


INCOME = ReportTable(
    title="收入决算表", number="公开02表",
    header=[
        [Span("项目", cols=2), None, Span("本年收入合计", rows=2), Span("本年收入", cols=2), None],
        [Span("科目编码"), Span("科目名称"), None, Span("财政拨款收入"), Span("其他收入")],
    ],
    rows=[
        ["", "合计", "1,487.30", "1,402.18", "85.12"],
        ["208", "社会保障和就业支出", "96.40", "96.40", ""],
        ["20805", "行政事业单位养老支出", "96.40", "96.40", ""],
        ["210", "卫生健康支出", "1,321.55", "1,236.43", "85.12"],
        ["21015", "医疗保障管理事务", "1,208.71", "1,123.59", "85.12"],
        ["2101501", "行政运行", "523.66", "523.66", ""],
        ["2101599", "其他医疗保障管理事务支出", "685.05", "599.93", "85.12"],
        ["221", "住房保障支出", "69.35", "69.35", ""],
    ],
)


EXPENDITURE = ReportTable(
    title="支出决算表", number="公开03表",
    header=[
        [Span("项目", cols=2), None, Span("本年支出合计", rows=2), Span("基本支出", rows=2),
         Span("项目支出", rows=2)],
        [Span("科目编码"), Span("科目名称"), None, None, None],
    ],
    rows=[
        ["", "合计", "1,476.02", "790.97", "685.05"],
        ["208", "社会保障和就业支出", "96.40", "96.40", ""],
        ["210", "卫生健康支出", "1,310.27", "625.22", "685.05"],
        ["2101501", "行政运行", "512.38", "512.38", ""],
        ["2101599", "其他医疗保障管理事务支出", "685.05", "", "685.05"],
        ["221", "住房保障支出", "69.35", "69.35", ""],
    ],
)


TABLES = [INCOME, EXPENDITURE]
UNIT = "单位：万元"


def header_texts(table: ReportTable) -> list[list[str]]:
    """The header as grid rows: a span's text at its top-left, blank elsewhere."""
    return [[span.text if span else "" for span in row] for row in table.header]


def as_text() -> str:
    lines = [TITLE, ""] + NARRATIVE + [""]
    for table in TABLES:
        lines += [table.title, table.number, UNIT]
        lines += ["\t".join(r) for r in header_texts(table)]
        lines += ["\t".join(r) for r in table.rows]
        lines.append("")
    return "\n".join(lines) + "\n"
