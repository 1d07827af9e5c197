"""One headline figure stated with different values in one report.

* ``MET_CONTRADICTORY`` (warning, ``contradictory_figures``): a metric of the
  ``metrics`` facts (编制数, 实有人数, 项目支出 …) stated with two or more values.
  Figures that accumulate through a report (counts of events, amounts of
  separate funds: ``ingest.parsers.metrics.CUMULATIVE``) are not compared, nor
  values that every line states together (the parts of a figure: 行政编制6名、
  事业编制17名 in two sections). The
  issue quotes each value's evidence and names the sections (or tables) where
  they stand, so a reader finds both statements. Only like scopes are
  compared: figures of a sub-unit (``sub_unit``: 局机关, 经办中心 …) with each
  other, never with the unit's own; the parts one sentence states are summed
  and their sum compared with the unit's own figure (局机关 7 + 经办中心 17 = 24
  against 实有在职人员 26 is a contradiction; against 24 it is none).

This check ran inside the metrics parser before; it reads the parsers' facts
now, as every check does.
"""
from __future__ import annotations

from decimal import Decimal

from ingest.checks.prose import context, fmt, issue
from ingest.parsers.metrics import CUMULATIVE

LABELS = {
    "staff_authorized": "编制数", "staff_actual": "实有在职人数", "total_income": "本年收入合计",
    "fiscal_appropriation_income": "财政拨款收入", "total_expenditure": "本年支出合计",
    "basic_expenditure": "基本支出", "project_expenditure": "项目支出",
    "personnel_expenditure": "人员经费", "public_expenditure": "公用经费",
    "three_public_budget": "“三公”经费预算", "three_public_actual": "“三公”经费支出",
    "self_evaluation_score": "自评得分", "insured_persons_total": "参保人数",
    "insured_residents": "城乡居民参保人数", "insured_employees": "城镇职工参保人数",
    "coverage_rate": "参保率",
}


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    by_metric: dict[tuple, list[dict]] = {}
    for r in facts.get("metrics", []):
        if r["metric"] not in CUMULATIVE:
            # like scopes only: the unit's figures, or one sub-unit's (局机关, 经办中心 …)
            by_metric.setdefault((r["metric"], r.get("sub_unit")), []).append(r)
    out = []
    for (metric, part), rows in by_metric.items():
        first: dict[Decimal, dict] = {}
        for r in sorted(rows, key=lambda r: r["source_line"]):
            first.setdefault(Decimal(r["value"]), r)
        per_line: dict[int, frozenset] = {}
        for r in rows:
            per_line[r["source_line"]] = per_line.get(r["source_line"], frozenset()) | {Decimal(r["value"])}
        if len(first) < 2 or len(set(per_line.values())) < 2:
            continue  # every line states the same parts (行政编制6名、事业编制17名): no contradiction
        shown = "/".join(fmt(v) for v in sorted(first))
        places = list(dict.fromkeys(ctx.where(r["source_line"]) for r in first.values()))
        stated = ";".join(f"{fmt(v)}{r['unit'] or ''}(“{r['evidence']}”,{ctx.where(r['source_line'])})"
                          for v, r in sorted(first.items()))
        label = LABELS.get(metric, metric) + (f"（{part}）" if part else "")
        out.append(issue("MET_CONTRADICTORY", "warning", "contradictory_figures",
                         f"{metric}: " + "；".join(places), "one value", shown,
                         f"{label}在报告中出现不同数值:{stated}。", min(r["source_line"] for r in first.values())))
    return out + parts_against_total(ctx, by_metric)


def parts_against_total(ctx, by_metric: dict[tuple, list[dict]]) -> list[dict]:
    """The parts one sentence states (局机关 7、经办中心 17) against the unit's
    own figure (26): their sum is the unit's scope, so it must be one of them."""
    out = []
    for (metric, part), unit_rows in by_metric.items():
        if part is not None:
            continue
        totals = {Decimal(r["value"]) for r in unit_rows}
        groups: dict[int, list[dict]] = {}
        for (m, p), rows in by_metric.items():
            if m == metric and p is not None:
                for r in rows:
                    groups.setdefault(r["source_line"], []).append(r)
        for line, parts in sorted(groups.items()):
            if len({r["sub_unit"] for r in parts}) < 2:
                continue
            total = sum(Decimal(r["value"]) for r in parts)
            if total in totals:
                continue
            unit = min(unit_rows, key=lambda r: r["source_line"])
            listed = "、".join(f"{r['sub_unit']}{fmt(Decimal(r['value']))}" for r in parts)
            places = list(dict.fromkeys([ctx.where(line), ctx.where(unit["source_line"])]))
            out.append(issue("MET_CONTRADICTORY", "warning", "contradictory_figures",
                             f"{metric}: " + "；".join(places), fmt(total), "/".join(fmt(v) for v in sorted(totals)),
                             f"{LABELS.get(metric, metric)}各部分合计{fmt(total)}({listed})与单位整体的"
                             f"{'/'.join(fmt(v) for v in sorted(totals))}(“{unit['evidence']}”)不符。", line))
    return out
