"""Dates and years against the report's fiscal year.

* ``DATE_TRUNCATED_YEAR`` (warning, ``ocr_typo``): a year printed with three
  digits (``202年``): a digit was lost.
* ``DATE_COMPARISON_YEAR`` (warning, ``ocr_typo``): a year-on-year sentence
  compares with the report's own year or a later one (``2026年预算…比2026年预算增加``):
  the base of a comparison is an earlier year.
* ``DATE_AS_OF`` (warning, ``copy_paste_text``): in a 决算 (phase final), an
  as-of date ``截至YYYY年12月31日`` / ``截止YYYY年底`` whose year is not the fiscal
  year, outside a section whose heading names that year.
* ``DATE_PERIOD_BEFORE_YEAR`` (warning, ``copy_paste_text``): in a 部门预算, a
  project's 实施周期 ending before the budget year (copied from last year's text).
* ``DATE_TABLE_YEAR`` (warning, ``copy_paste_text``): a table title naming
  another year than the fiscal year (``2025年部门收入预算总表`` in a 2026 budget).
* ``DATE_HEADING_YEAR`` (warning, ``copy_paste_text``): a part heading
  (``第二部分 某某局2024年度部门决算表``, in the body or the 目录) naming the report
  with another year.
* ``DATE_REPORT_YEAR`` (warning, ``copy_paste_text``): the report names
  itself, or states what "this year" is, with another year (``撰写2019年…绩效评价报告``,
  ``2019年是…`` in a 2020 report), outside a section whose heading names that year.
"""
from __future__ import annotations

import re

from ingest.checks.prose import context, issue, quote, screened
from ingest.text import squash

_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
_PART_YEAR = re.compile(r"((?:19|20)\d\d)年(?:度)?(?:部门|区级|单位)?(?:决算|预算)")
_TRUNCATED = screened(re.compile(r"(?<![\d.,])(20\d)年(?!\d)"), r"20\d年(?!\d)")
_COMPARISON = re.compile(r"(?:比|较|与|同比|相比|对比)(?:上年|)((?:19|20)\d\d)年(?:度)?"
                         r"(?:预算|决算|执行|同期|相比|持平|增加|减少|增长|下降)")
_AS_OF = re.compile(r"截[至止]((?:19|20)\d\d)年(?:12月31日|底|末)")
_PERIOD = re.compile(r"((?:19|20)\d\d)[.年/-]\d{1,2}[.月/-]\d{1,2}日?[-—至~～]+((?:19|20)\d\d)[.年/-]"
                     r"\d{1,2}[.月/-]\d{1,2}日?")
_REPORT = screened(re.compile(r"(?:撰写|形成|编写|编制|报送|提交)((?:19|20)\d\d)年(?:度)?[^，。；]{0,25}?"
                              r"(?:评价报告|自评报告|绩效报告)|((?:19|20)\d\d)年是[^，。；]{0,20}(?:年|年度)"),
                   r"报告|年是")   # (every match of one branch ends in 报告, the other holds 年是)
_SENTENCE_PATTERNS = (_TRUNCATED, _COMPARISON, _AS_OF, _PERIOD, _REPORT)


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    year = ctx.fiscal_year
    out = _table_years(facts, year) + _part_years(ctx, year) if year else []
    hits = ctx.hits(_SENTENCE_PATTERNS)   # (each pattern's matches are all within a sentence)
    for s in ctx.sentences:
        found = hits.get(id(s.passage))
        if not found:
            continue
        if _TRUNCATED in found:
            out += _truncated(ctx, s)
        if year is None:
            continue
        if _COMPARISON in found:
            out += _comparison(ctx, s, year)
        if ctx.phase == "final" and _AS_OF in found:
            out += _as_of(ctx, s, year)
        if ctx.phase == "budget" and _PERIOD in found:
            out += _period(ctx, s, year)
        if _REPORT in found:
            out += _report_year(ctx, s, year)
    return out


def _table_years(facts, year: int) -> list[dict]:
    out, seen = [], set()
    for n in facts.get("table_notes", []):
        title = n["table_title"] or ""
        m = re.search(r"((?:19|20)\d\d)年", title)
        if not m or int(m.group(1)) == year or title in seen:
            continue
        seen.add(title)
        out.append(issue("DATE_TABLE_YEAR", "warning", "copy_paste_text",
                         f"table {n['table_no']} {title}", f"{year}年", f"{m.group(1)}年",
                         f"{year}年度报告的表{n['table_no']}标题《{title}》写作{m.group(1)}年,疑沿用他年表样。",
                         n["source_line"]))
    return out


def _part_years(ctx, year: int) -> list[dict]:
    """第X部分 headings and 目录 entries that name the report (…2024年度部门决算…)."""
    out = []
    toc = ctx.toc
    # the lines printing 分 (no 第X部分 without it: squash only removes whitespace,
    # folding leaves it as it is) and the contents' entries, in order
    lines = set(ctx.lines_holding(("分",))).union(k for k, entry in toc.items() if entry)
    for k in sorted(lines):
        raw = ctx.lines[k]
        text = toc.get(k) or squash(raw)
        if not _PART_HEADING.match(text) or len(text) > 50:
            continue
        m = _PART_YEAR.search(text)
        if not m or int(m.group(1)) == year:
            continue
        out.append(issue("DATE_HEADING_YEAR", "warning", "copy_paste_text", ctx.where(k + 1) if k not in toc
                         else f"目录 第{k + 1}行", f"{year}年", f"{m.group(1)}年",
                         f"{year}年度报告的标题“{text}”写作{m.group(1)}年,疑沿用他年文本。", k + 1))
    return out


def _names_year(ctx, s, year: str) -> bool:
    return year in ctx.paths[s.line - 1]


def _truncated(ctx, s) -> list[dict]:
    out = []
    for m in _TRUNCATED.finditer(s.text):
        out.append(issue("DATE_TRUNCATED_YEAR", "warning", "ocr_typo", ctx.where(s.line),
                         "四位年份", m.group(0),
                         f"“{quote(s.text, m.start())}”中“{m.group(0)}”年份只有三位,疑漏印一位数字。",
                         s.line))
    return out


def _comparison(ctx, s, year: int) -> list[dict]:
    out = []
    for m in _COMPARISON.finditer(s.text):
        base = int(m.group(1))
        if base < year or ctx.phase != "budget" and base != year:
            continue
        if ctx.phase != "budget" and base == year and f"{year}年" not in s.text[:m.start()]:
            continue  # 决算: only "YYYY年…比YYYY年" names the same year twice
        out.append(issue("DATE_COMPARISON_YEAR", "warning", "ocr_typo", ctx.where(s.line),
                         f"比{year - 1}年", m.group(0),
                         f"{year}年报告的同比句“{quote(s.text, m.start())}”以{base}年为比较基数,"
                         f"比较年份应早于本年度(应为{year - 1}年)。", s.line))
    return out


def _as_of(ctx, s, year: int) -> list[dict]:
    out = []
    for m in _AS_OF.finditer(s.text):
        if int(m.group(1)) == year or _names_year(ctx, s, m.group(1)):
            continue
        out.append(issue("DATE_AS_OF", "warning", "copy_paste_text", ctx.where(s.line),
                         f"截至{year}年12月31日", m.group(0),
                         f"{year}年度决算的时点“{quote(s.text, m.start())}”不是{year}年末,疑沿用他年文字。",
                         s.line))
    return out


def _period(ctx, s, year: int) -> list[dict]:
    out = []
    for m in _PERIOD.finditer(s.text):
        if int(m.group(2)) >= year:
            continue
        out.append(issue("DATE_PERIOD_BEFORE_YEAR", "warning", "copy_paste_text", ctx.where(s.line),
                         f"止于{year}年或以后", m.group(0),
                         f"{year}年预算项目的实施周期“{m.group(0)}”在预算年度之前结束,疑沿用上年文本。",
                         s.line))
    return out


def _report_year(ctx, s, year: int) -> list[dict]:
    out = []
    for m in _REPORT.finditer(s.text):
        named = m.group(1) or m.group(2)
        if int(named) == year or _names_year(ctx, s, named):
            continue
        out.append(issue("DATE_REPORT_YEAR", "warning", "copy_paste_text", ctx.where(s.line),
                         f"{year}年", m.group(0),
                         f"{year}年度报告中“{quote(s.text, m.start())}”写作{named}年,疑沿用{named}年报告文字。",
                         s.line))
    return out
