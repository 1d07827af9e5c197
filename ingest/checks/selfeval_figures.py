"""Self-evaluation figures against the project's own money.

* ``SE_COST_VS_FUNDS`` (warning, ``contradictory_figures``): a 成本指标 of a
  project table stated in 万元 (``项目资金成本控制 25万 / 10.49万``) within 5 % of
  the project's 全年预算数 / 全年执行数 but not equal to it: the indicator is
  meant to be that figure and misprints it.
* ``SE_TEXT_RATE`` (warning, ``contradictory_figures``): a rate the report's
  prose gives (``资金使用率仅41.96%``) within 0.5 points of one project's
  printed execution rate but equal neither to it nor to any rate the projects'
  figures give.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.checks.prose import context, fmt, issue, number, quote

NEAR = Decimal("0.05")
_RATE = re.compile(r"(?:使用率|执行率|支付率)(?:仅|为|达到|达|是)?(\d+(?:\.\d+)?)%")


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    projects = {p["project_name"]: p for p in facts.get("projects", [])
                if p["origin"] == "self_evaluation_table"}
    return _costs(ctx, facts, projects) + _rates(ctx, projects)


def _near_miss(value: float | None, money) -> bool:
    if value is None or money is None or not money:
        return False
    diff = abs(Decimal(str(value)) - Decimal(money))
    return 0 < diff <= Decimal(money) * NEAR


def _wan(money) -> str:
    """A project's amount as printed, or ``—`` where its table left it blank."""
    return "—" if money is None else fmt(Decimal(money))


def _costs(ctx, facts, projects) -> list[dict]:
    out = []
    for r in facts.get("indicators", []):
        p = projects.get(r["project_name"] or "")
        if not p or "成本" not in (r["level2"] or "") or (r["actual_unit"] or "") not in ("万", "万元"):
            continue
        wrong = []
        if _near_miss(r["target_value"], p["annual_budget_wan_yuan"]):
            wrong.append(f"年度指标值{r['target_text']}≠全年预算数{_wan(p['annual_budget_wan_yuan'])}万元")
        if _near_miss(r["actual_value"], p["executed_wan_yuan"]):
            wrong.append(f"实际完成值{r['actual_text']}≠全年执行数{_wan(p['executed_wan_yuan'])}万元")
        if not wrong:
            continue
        out.append(issue(
            "SE_COST_VS_FUNDS", "warning", "contradictory_figures",
            f"项目支出绩效自评表:{r['project_name']} 第{r['source_line']}行",
            f"{_wan(p['annual_budget_wan_yuan'])}/{_wan(p['executed_wan_yuan'])}万元",
            f"{r['target_text']}/{r['actual_text']}",
            f"成本指标“{r['indicator_name']}”:" + ";".join(wrong) + f"(同表第{p['source_line']}行)。",
            r["source_line"]))
    return out


def _rates(ctx, projects) -> list[dict]:
    printed = {n: Decimal(p["execution_rate_pct"]) for n, p in projects.items()
               if p["execution_rate_pct"] is not None}
    if not printed:
        return []   # a rate is reported only near one printed rate: none, no sentence to read
    computed = set()
    for p in projects.values():
        if p["executed_wan_yuan"] is not None and p["annual_budget_wan_yuan"]:
            rate = Decimal(p["executed_wan_yuan"]) / Decimal(p["annual_budget_wan_yuan"]) * 100
            computed.add(rate.quantize(Decimal("0.01")))
    out = []
    for s in ctx.sentences:
        if "率" not in s.text:
            continue   # (every match holds 率)
        for m in _RATE.finditer(s.text):
            rate = number(m.group(1))
            if rate in printed.values() or rate.quantize(Decimal("0.01")) in computed:
                continue
            near = [(n, v) for n, v in printed.items() if abs(v - rate) <= Decimal("0.5")]
            if len(near) != 1:
                continue
            name, value = near[0]
            p = projects[name]
            out.append(issue(
                "SE_TEXT_RATE", "warning", "contradictory_figures", ctx.where(s.line),
                f"{fmt(value)}%", f"{fmt(rate)}%",
                f"“{quote(s.text, m.start())}”称{m.group(0)},而项目“{name}”自评表执行率为{fmt(value)}%"
                f"({_wan(p['executed_wan_yuan'])}/{_wan(p['annual_budget_wan_yuan'])}万元)。",
                s.line))
    return out
