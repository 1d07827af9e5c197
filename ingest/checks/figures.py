"""One headline figure stated with different values in one report.

* ``MET_CONTRADICTORY`` (warning, ``contradictory_figures``): a metric of the
  ``metrics`` facts (编制数, 实有人数, 项目支出 …) stated with two or more values.
  Figures that accumulate through a report (counts of events, amounts of
  separate funds: ``ingest.parsers.metrics.CUMULATIVE``) are not compared, nor
  values that every line states together (the parts of a figure: 行政编制6名、
  事业编制17名 in two sections). The
  issue quotes each value's evidence and names the sections (or tables) where
  they stand, so a reader finds both statements.

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
    by_metric: dict[str, list[dict]] = {}
    for r in facts.get("metrics", []):
        if r["metric"] not in CUMULATIVE:
            by_metric.setdefault(r["metric"], []).append(r)
    out = []
    for metric, rows in by_metric.items():
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
        label = LABELS.get(metric, metric)
        out.append(issue("MET_CONTRADICTORY", "warning", "contradictory_figures",
                         f"{metric}: " + "；".join(places), "one value", shown,
                         f"{label}在报告中出现不同数值:{stated}。", min(r["source_line"] for r in first.values())))
    return out
