"""The display formats of an .xlsx workbook's cells, so numbers render as printed.

calamine returns a cell's value but not its number format, and a sheet shows
``1,487.30`` for a stored 1487.3 under ``#,##0.00``. The formats are in the
package itself: ``xl/styles.xml`` maps a cell's style index (``s``) to a
number-format id, custom ids to a format code; built-in ids have fixed codes.
Only what budget sheets use is applied — thousands separators, a fixed number
of decimals, percentages; any other format leaves the value as calamine gave it.
"""
from __future__ import annotations

import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
           37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
           40: "#,##0.00;[Red](#,##0.00)"}
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def sheet_formats(data: bytes) -> dict[str, dict[str, str]]:
    """sheet name → {cell reference ("B7") → number format code}; {} if not an xlsx."""
    try:
        pkg = zipfile.ZipFile(io.BytesIO(data))
        styles = _style_codes(pkg)
        paths = _sheet_paths(pkg)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return {}
    out: dict[str, dict[str, str]] = {}
    for name, path in paths.items():
        refs: dict[str, str] = {}
        try:
            with pkg.open(path) as f:
                for _, el in etree.iterparse(f, tag=f"{{{_NS['m']}}}c"):
                    s = el.get("s")
                    if s is not None and int(s) < len(styles) and styles[int(s)]:
                        refs[el.get("r")] = styles[int(s)]
                    el.clear()
        except (KeyError, etree.XMLSyntaxError):
            continue
        out[name] = refs
    return out


def _style_codes(pkg: zipfile.ZipFile) -> list[str | None]:
    root = etree.fromstring(pkg.read("xl/styles.xml"))
    custom = {int(n.get("numFmtId")): n.get("formatCode")
              for n in root.iterfind("m:numFmts/m:numFmt", _NS)}
    codes = []
    for xf in root.iterfind("m:cellXfs/m:xf", _NS):
        fid = int(xf.get("numFmtId", "0"))
        codes.append(custom.get(fid) or BUILTIN.get(fid))
    return codes


def _sheet_paths(pkg: zipfile.ZipFile) -> dict[str, str]:
    book = etree.fromstring(pkg.read("xl/workbook.xml"))
    rels = etree.fromstring(pkg.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(_REL)}
    out = {}
    for sheet in book.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        target = target.lstrip("/")
        out[sheet.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def apply(value: float | int, code: str) -> str | None:
    """``value`` shown with format ``code``; None when the format isn't one we apply."""
    section = code.split(";")[0]
    section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", section).strip()
    m = re.fullmatch(r"(#,##0|#,###|0|#)(?:\.(0+))?(%?)\s*", section)
    if not m:
        return None
    grouped = "," in m.group(1)
    decimals = len(m.group(2) or "")
    try:
        number = Decimal(f"{value:.15g}")
    except InvalidOperation:
        return None
    if m.group(3):
        number *= 100
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{number:,.{decimals}f}" if grouped else f"{number:.{decimals}f}"
    return text + m.group(3)
