"""Amounts as printed → exact decimals.

Printed forms seen in converted reports: ``2,940.05`` (thousands separators),
``１２．５`` (full width), ``-3.2`` / ``－3.2`` / ``(3.2)`` (negative), ``0``,
``0.00`` and a blank cell (blank is *no value*, 0 is a value), ``—``/``-``
used as a dash for "nothing". Conversion to 万元 is exact: a figure printed in
元 is divided by 10 000 as a Decimal, never through a float.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ingest.text import fold_width

_DIGIT = re.compile(r"\d")
_AMOUNT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
_DASHES = {"-", "—", "--", "——", "－", "/", "—-"}


# Fast paths of parse_amount (the parsers and checks ask ≈ 250 times a document, for
# figures and for names alike): a cell that is a plain ASCII figure is its Decimal as
# printed (folding, stripping and the general pattern leave it as it is), and a cell
# without any digit (``\d``: full-width digits too) is no amount whatever else it holds.
_PLAIN = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def parse_amount(cell: str | None) -> Decimal | None:
    """The Decimal a cell prints, or None for a blank/dash/non-number cell."""
    if cell is None:
        return None
    if _PLAIN.fullmatch(cell):
        return Decimal(cell)
    if not _DIGIT.search(cell):
        return None
    return general_amount(cell)


def general_amount(cell: str) -> Decimal | None:
    """``parse_amount`` without its fast paths: the definition."""
    s = fold_width(cell).strip().replace(" ", "")
    if not s or s in _DASHES:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    s = s.replace("−", "-")
    if not _AMOUNT.match(s) or not _DIGIT.search(s):
        return None
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None
    return -value if negative else value


def is_amount(cell: str | None) -> bool:
    return parse_amount(cell) is not None


def to_wan_yuan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount printed in ``unit`` (万元 or 元) to 万元, exactly."""
    unit = (unit or "万元").strip()
    if unit == "元":
        return value / Decimal(10000)
    if unit in ("万元", ""):
        return value
    if unit == "亿元":
        return value * Decimal(10000)
    if unit == "千元":
        return value / Decimal(10)
    raise ValueError(f"unknown money unit {unit!r}")
