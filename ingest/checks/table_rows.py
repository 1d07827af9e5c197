"""The 公开 tables' line items as the table checks read them, and their issue rows.

Shared by :mod:`ingest.checks.reconcile`, :mod:`ingest.checks.table_sums` and
:mod:`ingest.checks.misalignment`. Amounts are compared in 万元: a difference
of at most ``TOLERANCE`` (0.01 万元) is a rounding issue (``info``), anything
larger an ``error``; both have kind ``total_mismatch``.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

TOLERANCE = Decimal("0.01")


def severity(diff: Decimal) -> str | None:
    """None when equal, ``info`` for a rounding difference, else ``error``."""
    diff = abs(diff)
    if diff == 0:
        return None
    return "info" if diff <= TOLERANCE else "error"


def fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def issue(check_id: str, diff: Decimal, location: str, expected: Decimal, observed: Decimal,
          description: str, source_line: int | None) -> dict | None:
    level = severity(diff)
    if level is None:
        return None
    return {"check_id": check_id, "severity": level, "kind": "total_mismatch",
            "location": location, "expected": fmt(expected), "observed": fmt(observed),
            "description": description, "source_line": source_line}


def group_tables(items: list[dict]) -> dict[tuple[str, str], list[dict]]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in items:
        if row.get("table_kind") not in (None, "narrative", "three_public"):
            groups[(row["table_no"], row["table_title"])].append(row)
    return groups


def cell_map(rows: list[dict]) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    for row in rows:
        out.setdefault((row["code"], row["measure_label"]), row)
    return out


def coded(rows: list[dict]) -> list[str]:
    """The rows' numeric codes, each once, in the order first printed."""
    return list(dict.fromkeys(code for row in rows if (code := row["code"]) and code.isdigit()))


def top_level(codes: list[str]) -> list[str]:
    present = set(codes)
    return [c for c in codes if not any(c[:n] in present for n in (3, 5) if n < len(c))]


def total_label(rows: list[dict]) -> str | None:
    for row in rows:
        if row["measure"] == "total":
            return row["measure_label"]
    return rows[0]["measure_label"] if rows else None


def totals_by_code(rows: list[dict]) -> dict[str, Decimal]:
    label = total_label(rows)
    return {r["code"]: r["amount_wan_yuan"] for r in rows
            if r["measure_label"] == label and r["code"] and r["code"].isdigit()}


def where(no: str) -> str:
    return f"table {no}"


def cn_table(no: str | None) -> str:
    """A table named in an issue's (Chinese) description."""
    return f"表{no}"


def cn_source(name: str) -> str:
    """A source of figures (``table 02``, ``narrative``, …) in a description."""
    if name.startswith("table "):
        return cn_table(name[6:])
    return {"narrative": "说明文字", "the narrative": "说明文字",
            "summary class totals": "收支总表的类合计"}.get(name, name)


def first_of_kind(groups, kind: str):
    for key, rows in groups.items():
        if rows and rows[0]["table_kind"] == kind:
            return key, rows
    return None, []


def same(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= TOLERANCE
