"""Sums within one 公开 table (``tables_total_row``, ``tables_subtotals``,
``tables_row_components``; see :mod:`ingest.checks.reconcile` for the catalogue).

A sum equal to the printed figure is no issue (``table_rows.issue`` gives None for
a zero difference): it is passed over before the issue's texts are formatted.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ingest.checks.table_rows import cell_map, cn_table, coded, fmt, issue, top_level, where


def check_total_row(no: str, rows: list[dict]) -> list[dict]:
    cells = cell_map(rows)
    codes = coded(rows)
    tops = top_level(codes)
    out = []
    for (code, label), row in cells.items():
        if code != "TOTAL" or not tops:
            continue
        parts = [cells[(c, label)]["amount_wan_yuan"] for c in tops if (c, label) in cells]
        if not parts:
            continue
        expected = sum(parts, Decimal(0))
        if expected == row["amount_wan_yuan"]:
            continue
        found = issue("tables_total_row", expected - row["amount_wan_yuan"], f"{where(no)} 合计 {label}",
                      expected, row["amount_wan_yuan"],
                      f"{cn_table(no)}合计行“{label}”栏印为{row['amount_text']},"
                      f"其下各行合计为{fmt(expected)}万元", row["source_line"])
        if found:
            out.append(found)
    return out


def check_summary_totals(no: str, rows: list[dict]) -> list[dict]:
    out = []
    by_label: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_label[row["measure_label"]].append(row)
    for label, group in by_label.items():
        for total_code, prefix in (("TOTAL", "CLASS:"), ("INCOME:本年收入合计", "INCOME:")):
            total = next((r for r in group if r["code"] == total_code), None)
            parts = [r["amount_wan_yuan"] for r in group
                     if r["code"].startswith(prefix) and r["code"] != total_code]
            if total is None or not parts:
                continue
            expected = sum(parts, Decimal(0))
            if expected == total["amount_wan_yuan"]:
                continue
            found = issue("tables_total_row", expected - total["amount_wan_yuan"],
                          f"{where(no)} {total['line_name']} {label}", expected, total["amount_wan_yuan"],
                          f"{cn_table(no)}{total['line_name']}印为{total['amount_text']},"
                          f"其下各行合计为{fmt(expected)}万元", total["source_line"])
            if found:
                out.append(found)
    return out


def check_subtotals(no: str, rows: list[dict]) -> list[dict]:
    cells = cell_map(rows)
    children: dict[str, list[str]] = defaultdict(list)   # direct_children of each code, in one pass
    for c in coded(rows):
        children[c[:-2]].append(c)
    out = []
    for (code, label), row in cells.items():
        if not code.isdigit():
            continue
        kids = [cells[(c, label)]["amount_wan_yuan"] for c in children.get(code, ()) if (c, label) in cells]
        if not kids:
            continue
        expected = sum(kids, Decimal(0))
        if expected == row["amount_wan_yuan"]:
            continue
        found = issue("tables_subtotals", expected - row["amount_wan_yuan"], f"{where(no)} {code} {label}",
                      expected, row["amount_wan_yuan"],
                      f"{cn_table(no)}{code} {row['line_name']}印为{row['amount_text']},"
                      f"其下各项合计为{fmt(expected)}万元", row["source_line"])
        if found:
            out.append(found)
    return out


def check_row_components(no: str, rows: list[dict]) -> list[dict]:
    by_row: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for row in rows:
        by_row[(row["code"], row["source_line"])].append(row)
    out = []
    for (code, _), cells in by_row.items():
        totals = [c for c in cells if c["measure"] == "total"]
        parts = [c for c in cells if c["measure"] != "total"]
        if len(totals) != 1 or not parts:
            continue
        total = totals[0]
        expected = sum((c["amount_wan_yuan"] for c in parts), Decimal(0))
        if expected == total["amount_wan_yuan"]:
            continue
        found = issue("tables_row_components", expected - total["amount_wan_yuan"],
                      f"{where(no)} {code} {total['measure_label']}", expected, total["amount_wan_yuan"],
                      f"{cn_table(no)}{code} {total['line_name']}“{total['measure_label']}”印为"
                      f"{total['amount_text']},各栏合计为{fmt(expected)}万元",
                      total["source_line"])
        if found:
            out.append(found)
    return out
