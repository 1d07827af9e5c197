"""The 情况说明 against the tables: totals and subject names.

* ``TT_SUMMARY_TOTAL`` (warning, ``contradictory_figures``): ``收入支出总计 X 万元``
  against the 总计 row of the 收入支出决算总表 / 财务收支预算总表, and
  ``财政拨款收入支出总计 X 万元`` against the 总计 row of the 财政拨款收支总表
  (the table found by its title; a table printed in 元 is converted).
* ``TT_ADMIN_COSTS`` (warning, ``contradictory_figures``): in a 决算, the
  text's 机关运行经费 against 公用经费合计 of the basic-expenditure table (for a
  行政单位 the two are the same money).
* ``TT_HEADLINE_TOTAL`` (warning, ``contradictory_figures``): the text's
  本年收入合计, 财政拨款收入, 本年支出合计, 基本支出, 项目支出, 人员经费, 公用经费
  (the ``metrics`` read from prose) against the 合计 cells of the income,
  expenditure / 一般公共预算 and basic-expenditure tables (budget figures of a
  决算's text are not compared).
* ``TT_SUBJECT_NAME`` (warning, ``copy_paste_text``): a subject named with its
  code in the text (``医疗卫生与计划生育支出（210类）``) against the name the
  tables print for that code (``卫生健康支出``): an old name carried over from an
  earlier year's text.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.checks.prose import TOLERANCE, context, fmt, issue, number, quote
from ingest.numbers import parse_amount
from ingest.text import normalize_label

_YUAN_UNIT = re.compile(r"单位[:：]?元")
_CLASS_CODE = re.compile(r"\d{3}")
_LIST_LEAD = re.compile(r"^.*[、“”]")
_TOTAL = re.compile(r"(财政拨款)?收入支出(?:决算|预算)?总计(?:为)?(\d[\d,]*(?:\.\d+)?)万元")
_SUBJECT = re.compile(r"([\u4e00-\u9fff、“”]{2,30}?)[（(](\d{3})类[）)]")


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    return (_totals(ctx) + _subject_names(ctx, facts) + _admin_costs(ctx, facts)
            + _headline_totals(ctx, facts))


# metric → the tables' cells that state it: (table kinds, code, measures)
HEADLINES = {
    "total_income": (("income",), "TOTAL", ("total",)),
    "fiscal_appropriation_income": (("income",), "TOTAL", ("fiscal_appropriation",)),
    "total_expenditure": (("expenditure", "gpb_expenditure"), "TOTAL", ("total",)),
    "basic_expenditure": (("expenditure", "gpb_expenditure"), "TOTAL", ("basic",)),
    "project_expenditure": (("expenditure", "gpb_expenditure"), "TOTAL", ("project",)),
    "personnel_expenditure": (("basic_economic",), "TOTAL_PERSONNEL", None),
    "public_expenditure": (("basic_economic",), "TOTAL_PUBLIC", None),
}


def _headline_totals(ctx, facts) -> list[dict]:
    """The 情况说明's 本年收入/支出合计, 财政拨款收入, 基本/项目支出, 人员/公用经费
    against the 合计 cells of the tables that state them."""
    items = [r for r in facts.get("line_items", []) if r["table_kind"] != "narrative"
             and r["amount_wan_yuan"] is not None]
    cells_of: dict[str, list[dict]] = {}   # metric → its cells (once a metric, not once a mention)
    out = []
    for m in facts.get("metrics", []):
        spec = HEADLINES.get(m["metric"])
        line = m["source_line"]
        if spec is None or m["unit"] != "万元" or not (0 < line <= len(ctx.lines)) \
                or "\t" in ctx.lines[line - 1] or "预算" in (m["evidence"] or ""):
            continue
        cells = cells_of.get(m["metric"])
        if cells is None:
            cells = cells_of[m["metric"]] = _cells(items, *spec)
        if not cells:
            continue
        value = Decimal(m["value"])
        if any(abs(value - Decimal(r["amount_wan_yuan"])) <= TOLERANCE for r in cells):
            continue
        first = cells[0]
        out.append(issue(
            "TT_HEADLINE_TOTAL", "warning", "contradictory_figures",
            f"{ctx.where(line)} vs table {first['table_no']} {first['line_name']} {first['measure_label']}",
            f"{fmt(Decimal(first['amount_wan_yuan']))}万元", f"{fmt(value)}万元",
            f"说明“{m['evidence']}”为{fmt(value)}万元,表{first['table_no']}《{first['table_title']}》"
            f"{first['line_name']}“{first['measure_label']}”为{first['amount_text']}"
            f"{'元' if first['unit'] == '元' else '万元'}。", line))
    return out


def _cells(items: list[dict], kinds: tuple[str, ...], code: str, measures: tuple[str, ...] | None) -> list[dict]:
    """The table cells (``line_items``, in order) of ``HEADLINES``' kinds, code and measures."""
    return [r for r in items if r["table_kind"] in kinds and r["code"] == code
            and (measures is None or r["measure"] in measures)]


def _admin_costs(ctx, facts) -> list[dict]:
    """机关运行经费 of a 决算's text against 公用经费合计 of the basic-expenditure table."""
    if ctx.phase != "final":
        return []
    public = [r for r in facts.get("line_items", []) if r["table_kind"] == "basic_economic"
              and r["code"] == "TOTAL_PUBLIC" and r["amount_wan_yuan"] is not None]
    stated = [m for m in facts.get("metrics", []) if m["metric"] == "admin_operating_expenses"
              and m["unit"] == "万元" and "预算" not in (m["evidence"] or "")]
    if not public or not stated:
        return []
    table = Decimal(public[0]["amount_wan_yuan"])
    out = []
    for m in stated:
        value = Decimal(m["value"])
        if abs(value - table) <= TOLERANCE:
            continue
        out.append(issue(
            "TT_ADMIN_COSTS", "warning", "contradictory_figures",
            f"{ctx.where(m['source_line'])} vs table {public[0]['table_no']} 公用经费合计",
            f"{fmt(table)}万元", f"{fmt(value)}万元",
            f"说明称机关运行经费{fmt(value)}万元(“{m['evidence']}”),表{public[0]['table_no']}"
            f"公用经费合计为{fmt(table)}万元;行政单位的机关运行经费即其公用经费,请核对。",
            m["source_line"]))
    return out


_clean = normalize_label   # folded, whitespace removed (memoised)


def _summary_tables(ctx) -> dict[bool, tuple[str, int, list[Decimal]]]:
    """fiscal? → (title, 总计 row line, its amounts in 万元)."""
    found: dict[bool, tuple[str, int, list[Decimal]]] = {}
    lines = ctx.lines
    for k, raw in enumerate(lines):
        if "\t" in raw:
            continue
        title = _clean(raw)
        if not (title.endswith("总表") and ("收入支出" in title or "收支" in title)) or len(title) > 40:
            continue
        fiscal = "财政拨款" in title
        unit = "万元"
        for j in range(k + 1, min(len(lines), k + 80)):
            row = lines[j]
            if "\t" not in row:
                text = _clean(row)
                if "单位" in text and "元" in text:
                    unit = "元" if _YUAN_UNIT.search(text) else "万元"
                elif text.endswith("表") and len(text) <= 40:
                    break
                continue
            cells = [_clean(c) for c in row.split("\t")]
            if cells and cells[0] == "总计":
                amounts = [parse_amount(c) for c in cells[1:]]
                amounts = [a / 10000 if unit == "元" else a for a in amounts if a is not None]
                if amounts and fiscal not in found:
                    found[fiscal] = (title, j + 1, amounts)
                break
    return found


def _totals(ctx) -> list[dict]:
    tables = _summary_tables(ctx)
    out = []
    for s in ctx.sentences if tables else ():
        if "收入支出" not in s.text:
            continue   # (every match of _TOTAL holds it)
        for m in _TOTAL.finditer(s.text):
            fiscal = bool(m.group(1))
            if fiscal not in tables:
                continue
            title, row_line, amounts = tables[fiscal]
            stated = number(m.group(2))
            if stated is None or any(abs(stated - a) <= TOLERANCE for a in amounts):
                continue
            printed = max(amounts)
            out.append(issue(
                "TT_SUMMARY_TOTAL", "warning", "contradictory_figures",
                f"{ctx.where(s.line)} vs {title} 第{row_line}行", f"{fmt(printed)}万元", f"{fmt(stated)}万元",
                f"说明“{quote(s.text, m.start())}”称{m.group(0)},而《{title}》总计行为"
                f"{fmt(printed)}万元。", s.line))
    return out


def _subject_names(ctx, facts) -> list[dict]:
    names: dict[str, str] = {}
    for r in facts.get("line_items", []):
        code = r.get("code") or ""
        if r["table_kind"] != "narrative" and _CLASS_CODE.fullmatch(code) and r["line_name"]:
            names.setdefault(code, r["line_name"])
    out = []
    for s in ctx.sentences:
        if "类" not in s.text:
            continue  # what _SUBJECT needs (a cheap test before its slow scan)
        for m in _SUBJECT.finditer(s.text):
            printed = _LIST_LEAD.sub("", m.group(1))
            table = names.get(m.group(2))
            if not table or not printed or printed == table or printed in table or table in printed:
                continue
            out.append(issue(
                "TT_SUBJECT_NAME", "warning", "copy_paste_text", ctx.where(s.line),
                f"{table}({m.group(2)}类)", f"{printed}({m.group(2)}类)",
                f"说明“{quote(s.text, m.start())}”称{printed}({m.group(2)}类),各表该类名称为"
                f"“{table}”,疑沿用旧科目名称。", s.line))
    return out
