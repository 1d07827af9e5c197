"""The text's own sums: a stated total against the items the text lists for it.

* ``TEXT_LISTED_ITEMS_SUM`` (warning, ``total_mismatch``; ``info`` within
  0.01): ``共计 X 万元（人次、人、家…），其中：a …，b …`` — the items after
  ``其中`` (to the end of the sentence, or of the clause list ending in ``；``)
  in the total's unit, against the total. Changes (``增加 5 万元``) and shares
  (``占 …%``) are not items. A list that adds up either way is consistent.
* ``TEXT_ITEMS_BUDGET_SUM`` (warning, ``total_mismatch``; ``info`` within
  0.01): ``年初预算为 B 万元，支出决算为 A 万元 … 其中：`` followed by numbered
  statements ``1、… 年初预算为 b 万元，支出决算为 a 万元`` — Σb against B and Σa
  against A.
* ``TEXT_NUMBERED_LIST`` (warning): ``… 共 N 个项目 … 金额 X 万元 … 如下：``
  followed by numbered items ``1、… a 万元``: the count of items against N
  (``contradictory_figures``) and the items' first amounts against X when
  they add up to none of the lead's figures (``total_mismatch``).
* ``TEXT_PART_SCORES`` (warning, ``total_mismatch``): the parts of a scoring
  (``一、基础工作（总分16分，总得分16分）`` …) against the overall score the report
  states (``总体评分为98分``).
* ``TEXT_BASIC_PROJECT_TOTAL`` (warning, ``total_mismatch``): the text's
  基本支出 + 项目支出 against its 总支出/本年支出合计 (the ``metrics`` facts), when
  no combination of the stated figures adds up.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal

from ingest.checks.outline import heading_level
from ingest.checks.prose import TOLERANCE, context, fmt, issue, number, quote

_AMONG = re.compile(r"其中[:：,，]?")
_LAST_SENTENCES = re.compile(r"[。；;](?=[^。；;]*[。；;][^。；;]*$)")
_SEMICOLON = re.compile(r"[；;]")
_AMONG_END = re.compile(r"其中[:：]?$")
_AS_FOLLOWS = re.compile(r"如下[:：]$")
UNITS = "万元|人次|户|人|家|个|件|辆"
_FIGURE = re.compile(rf"(?<![\d.])(\d[\d,]*(?:\.\d+)?)({UNITS})")
_CHANGE = re.compile(r"(?:增加|减少|增长|下降|上升|节约|节支|超支|增|减|比)[^，,。；;]{0,3}$")
_LIST_END = re.compile(r"[。]|其中|[,，;；](?:共|合计|总计)|[;；](?=\d{3,4}年)")
_BUDGET_FINAL = re.compile(r"年初预算(?:数)?为(\d[\d,]*(?:\.\d+)?)万元[,，]?(?:支出)?决算(?:数)?为"
                           r"(\d[\d,]*(?:\.\d+)?)万元")


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    out = []
    for p in ctx.passages:
        if "其中" in p.text:   # (what _AMONG, the anchor of a list, starts with)
            out += _listed(ctx, p)
    out += _budget_items(ctx)
    out += _numbered_lists(ctx)
    out += _part_scores(ctx)
    out += _basic_project(ctx, facts)
    return out


def _items(text: str, unit: str) -> list[Decimal]:
    values = []
    for m in _FIGURE.finditer(text):
        if m.group(2) != unit or _CHANGE.search(text[max(0, m.start() - 8):m.start()]):
            continue
        values.append(number(m.group(1)))
    return [v for v in values if v is not None]


def _listed(ctx, p) -> list[dict]:
    out = []
    text = p.text
    for anchor in _AMONG.finditer(text):
        before = text[max(0, anchor.start() - 120):anchor.start()]
        # the total: the last figures before 其中, in the sentence (or the one before)
        head = _LAST_SENTENCES.split(before)[-1]
        totals = {}
        for m in _FIGURE.finditer(head):
            if not _CHANGE.search(head[max(0, m.start() - 8):m.start()]):
                totals[m.group(2)] = (number(m.group(1)), m)
        if not totals:
            continue
        # the list ends with the sentence, a new total, or a clause about another year
        end = _LIST_END.search(text, anchor.end())     # (not a split of the rest: linear)
        sentence = text[anchor.end():end.start() if end else len(text)]
        clause = _SEMICOLON.split(sentence)[0]
        for unit, (total, _) in totals.items():
            lists = [_items(sentence, unit), _items(clause, unit)]
            lists = [v for v in lists if len(v) >= 2]
            if not lists or total is None:
                continue
            if any(sum(v) == total for v in lists):
                continue
            items = lists[0]
            diff = abs(sum(items) - total)
            level = "info" if diff <= TOLERANCE and unit == "万元" else "warning"
            line = p.line_at(anchor.start())
            out.append(issue(
                "TEXT_LISTED_ITEMS_SUM", level, "total_mismatch", ctx.where(line),
                f"{fmt(total)}{unit}", f"{fmt(sum(items))}{unit}",
                f"“{quote(text, anchor.start(), 40)}”:所列各项"
                f"{'+'.join(fmt(v) for v in items)}={fmt(sum(items))}{unit},"
                f"与总数{fmt(total)}{unit}不符。", line))
    return out


def _budget_items(ctx) -> list[dict]:
    out = []
    passages = ctx.passages
    for k, p in enumerate(passages):
        head = _BUDGET_FINAL.search(p.text)
        if not head or heading_level(p.text) == 3 or not _AMONG_END.search(p.text):
            continue
        budgets, finals, first = [], [], None
        for q in passages[k + 1:]:
            level = heading_level(q.text)
            if level is not None and level != 3:
                break
            m = _BUDGET_FINAL.search(q.text)
            if m:
                budgets.append(number(m.group(1)))
                finals.append(number(m.group(2)))
                first = first or q.first_line
        if len(budgets) < 2:
            continue
        line = p.line_at(head.start())
        for label, stated, items in (("年初预算", number(head.group(1)), budgets),
                                     ("支出决算", number(head.group(2)), finals)):
            diff = abs(sum(items) - stated)
            if diff == 0:
                continue
            out.append(issue(
                "TEXT_ITEMS_BUDGET_SUM", "info" if diff <= TOLERANCE else "warning",
                "total_mismatch", ctx.where(line), f"{fmt(stated)}万元", f"{fmt(sum(items))}万元",
                f"总述{label}{fmt(stated)}万元,其下所列{len(items)}个科目的{label}合计"
                f"{fmt(sum(items))}万元(第{first}行起),相差{fmt(diff)}万元。", line))
    return out


def _basic_project(ctx, facts) -> list[dict]:
    metrics = facts.get("metrics", [])

    def stated(name):
        return [(Decimal(m["value"]), m) for m in metrics if m["metric"] == name and m["unit"] == "万元"]

    totals, basics, projects = (stated(n) for n in ("total_expenditure", "basic_expenditure",
                                                    "project_expenditure"))
    if not (totals and basics and projects):
        return []
    if _sums_to_a_total(totals, basics, projects):
        return []
    (t, tm), (b, bm), (p, pm) = totals[0], basics[0], projects[0]
    where = "；".join(dict.fromkeys(ctx.where(m["source_line"]) for m in (bm, pm, tm)))
    return [issue("TEXT_BASIC_PROJECT_TOTAL", "warning", "total_mismatch", where,
                  f"{fmt(t)}万元", f"{fmt(b + p)}万元",
                  f"基本支出{fmt(b)}万元(“{bm['evidence']}”)+项目支出{fmt(p)}万元(“{pm['evidence']}”)"
                  f"={fmt(b + p)}万元,与总支出{fmt(t)}万元(“{tm['evidence']}”)不符。", bm["source_line"])]


def _sums_to_a_total(totals: list, basics: list, projects: list) -> bool:
    """Whether some stated basic + project expenditure is within ``TOLERANCE`` of some
    stated total: each (total, basic) pair looks up the project figures it needs
    (``bisect`` over them sorted), rather than trying every triple."""
    figures = sorted(p for p, _ in projects)
    for t, _ in totals:
        for b, _ in basics:
            need = t - b
            k = bisect_left(figures, need - TOLERANCE)
            if k < len(figures) and figures[k] <= need + TOLERANCE:
                return True
    return False


_ITEM = re.compile(r"^(\d{1,2})、")
_COUNT = re.compile(r"共(\d+)个(?:项目|项)?")
_PART = re.compile(r"[（(]总分(?:为)?(\d+(?:\.\d+)?)分[,，](?:总)?得分(?:为)?(\d+(?:\.\d+)?)分[）)]")
_OVERALL = re.compile(r"(?:总体评分|总得分|综合得分|自评得分|考核得分)(?:为|是)?(\d+(?:\.\d+)?)分")


def _numbered_lists(ctx) -> list[dict]:
    out = []
    passages = ctx.passages
    for k, lead in enumerate(passages):
        if "如下" not in lead.text or not _AS_FOLLOWS.search(lead.text):
            continue
        lead_figures = [number(m.group(1)) for m in _FIGURE.finditer(lead.text) if m.group(2) == "万元"]
        count = _COUNT.findall(lead.text) if "项目" in lead.text else []
        items, amounts = [], []
        for q in passages[k + 1:]:
            m = _ITEM.match(q.text)
            if not m or int(m.group(1)) != len(items) + 1:
                break
            items.append(q)
            first = next((f for f in _FIGURE.finditer(q.text) if f.group(2) == "万元"), None)
            if first:
                amounts.append(number(first.group(1)))
        if len(items) < 2:
            continue
        line = lead.first_line
        if count and int(count[-1]) != len(items):
            out.append(issue("TEXT_NUMBERED_LIST", "warning", "contradictory_figures", ctx.where(line),
                             f"{len(items)}项", f"共{count[-1]}个",
                             f"“{quote(lead.text, lead.text.find('共' + count[-1]), 30)}”称共{count[-1]}个,"
                             f"其下列出{len(items)}项(第{items[0].first_line}-{items[-1].first_line}行)。", line))
        if lead_figures and len(amounts) == len(items):
            total = sum(amounts)
            if not any(abs(total - f) <= TOLERANCE for f in lead_figures):
                out.append(issue("TEXT_NUMBERED_LIST", "warning", "total_mismatch", ctx.where(line),
                                 f"{fmt(lead_figures[0])}万元", f"{fmt(total)}万元",
                                 f"所列{len(items)}项金额合计{fmt(total)}万元,与“{quote(lead.text, 0, 60)}”"
                                 f"中的{'、'.join(fmt(f) + '万元' for f in lead_figures)}均不符。", line))
    return out


def _part_scores(ctx) -> list[dict]:
    parts = [(p, m) for p in ctx.passages   # (总分: what every match of _PART holds)
             if "总分" in p.text and heading_level(p.text) is not None and (m := _PART.search(p.text))]
    if len(parts) < 2:
        return []
    style = heading_level(parts[0][0].text)
    parts = [(p, m) for p, m in parts if heading_level(p.text) == style]
    overall = next(((s, m) for s in ctx.sentences for m in [_OVERALL.search(s.text)]
                    if m and s.line < parts[0][0].first_line), None)
    if overall is None:
        return []
    s, m = overall
    stated = number(m.group(1))
    scored = sum(number(pm.group(2)) for _, pm in parts)
    if scored == stated:
        return []
    listed = "+".join(fmt(number(pm.group(2))) for _, pm in parts)
    return [issue("TEXT_PART_SCORES", "warning", "total_mismatch", ctx.where(s.line),
                  f"{fmt(scored)}分", f"{fmt(stated)}分",
                  f"各部分标注得分{listed}={fmt(scored)}分,与“{quote(s.text, m.start())}”不符。", s.line)]
