"""Money units: tables printed in 元 beside a 万元 report, and 万元/元 slips.

* ``UNIT_TABLE_IN_YUAN`` (info, ``unit_note``): a table whose unit line says
  ``单位：元`` while the report's other tables or its text use 万元. The
  warehouse converts its figures exactly (÷ 10 000); the note tells a reader
  comparing printed figures that this table is 10 000× the text.
* ``UNIT_WAN_YUAN_SLIP`` (warning, ``unit_note``): a figure of the text, in
  万元, that is exactly 10 000× (or 1/10 000 of) a table's figure for the
  same line and no table holds it as printed: the text used 元 for 万元 or the
  other way round.
"""
from __future__ import annotations

from decimal import Decimal

from ingest.checks.prose import MONEY, context, fmt, issue, number, quote


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    return _tables_in_yuan(ctx, facts) + _slips(ctx, facts)


def _tables_in_yuan(ctx, facts) -> list[dict]:
    notes = [n for n in facts.get("table_notes", []) if n["note_kind"] == "unit"]
    units = {n["note"] for n in notes}
    if "元" not in units:
        return []   # (no table in 元: the prose's units can't make one an issue)
    if "万元" not in units and not any(m.group(2) == "万元" for s in ctx.sentences for m in MONEY.finditer(s.text)):
        return []
    out = []
    for n in notes:
        if n["note"] != "元":
            continue
        title = n["table_title"] or ""
        out.append(issue(
            "UNIT_TABLE_IN_YUAN", "info", "unit_note", f"table {n['table_no']} {title}".strip(),
            "万元", "元",
            f"表{n['table_no']}《{title}》金额单位为元(“单位：元”),而本报告其他表或说明文字以万元计;"
            f"比较时须除以10000(入库金额已按万元换算,印刷值不变)。", n["source_line"]))
    return out


def _slips(ctx, facts) -> list[dict]:
    table_values: dict[Decimal, dict] = {}
    for r in facts.get("line_items", []):
        if r["table_kind"] != "narrative" and r["amount_wan_yuan"] is not None:
            table_values.setdefault(Decimal(r["amount_wan_yuan"]), r)
    if not table_values:
        return []
    out = []
    for s in ctx.sentences:
        if "万元" not in s.text:
            continue   # only a figure in 万元 is looked at
        for m in MONEY.finditer(s.text):
            value = number(m.group(1))
            if value is None or value == 0 or m.group(2) != "万元" or value in table_values:
                continue
            for factor, wrong in ((Decimal(10000), "元"), (Decimal("0.0001"), "万元×10000")):
                row = table_values.get(value / factor)
                if row is None or abs(value / factor) < 1:
                    continue
                out.append(issue(
                    "UNIT_WAN_YUAN_SLIP", "warning", "unit_note", ctx.where(s.line),
                    f"{fmt(value / factor)}万元", f"{m.group(0)}",
                    f"说明文字“{quote(s.text, m.start())}”中的{m.group(0)}是表{row['table_no']}"
                    f"“{row['line_name']}”{fmt(value / factor)}万元的10000倍左右,疑将{wrong}写作万元。",
                    s.line))
                break
    return out
