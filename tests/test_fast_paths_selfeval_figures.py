"""selfeval_figures._rates reads no sentence when no project prints a rate and
skips a sentence without 率; the same issues as reading every sentence."""
from __future__ import annotations

import random
from decimal import Decimal

from ingest.checks import prose, selfeval_figures
from ingest.document import Document, Paragraph

_PIECES = ["资金使用率", "执行率", "支付率", "率", "仅", "为", "达到", "是", "95", "94.6", "95.4", "41.96",
           "%", "。", "，", "项目", "经费", "使用", "7", ".", "；"]


def _slow_rates(ctx, projects):
    """The definition: every sentence scanned, whatever the projects print."""
    printed = {n: Decimal(p["execution_rate_pct"]) for n, p in projects.items()
               if p["execution_rate_pct"] is not None}
    computed = set()
    for p in projects.values():
        if p["executed_wan_yuan"] is not None and p["annual_budget_wan_yuan"]:
            rate = Decimal(p["executed_wan_yuan"]) / Decimal(p["annual_budget_wan_yuan"]) * 100
            computed.add(rate.quantize(Decimal("0.01")))
    found = []
    for s in ctx.sentences:
        for m in selfeval_figures._RATE.finditer(s.text):
            rate = selfeval_figures.number(m.group(1))
            if rate in printed.values() or rate.quantize(Decimal("0.01")) in computed:
                continue
            near = [n for n, v in printed.items() if abs(v - rate) <= Decimal("0.5")]
            if len(near) == 1:
                found.append((s.line, m.group(0)))
    return found


def _project(name, rate):
    return {"project_name": name, "annual_budget_wan_yuan": Decimal("20"), "executed_wan_yuan": Decimal("19"),
            "execution_rate_pct": rate, "origin": "self_evaluation_table", "source_line": 3}


def test_rates_are_those_every_sentence_gives():
    rng = random.Random(7)
    seen = 0
    for _ in range(300):
        lines = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 8))]
        doc = Document([Paragraph(line) for line in lines], "text")
        ctx = prose.Context(doc.text_lines, {})
        rate = rng.choice([None, Decimal("95"), Decimal("42.2")])
        projects = {"甲项目": _project("甲项目", rate), "乙项目": _project("乙项目", None)}
        got = [(i["source_line"], i["observed"]) for i in selfeval_figures._rates(ctx, projects)]
        want = _slow_rates(ctx, projects)
        assert [line for line, _ in got] == [line for line, _ in want]
        seen += len(want)
    assert seen   # (the generated sentences do raise some)
