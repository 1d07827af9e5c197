"""The displayed text of an OpenDocument spreadsheet's number cells.

An .ods stores a number cell twice: its value (``office:value="1487.3"``,
what calamine returns) and the text the sheet displays under the cell's
format (``<text:p>1,487.30</text:p>``). The displayed text is the figure as
printed, so it is used for number cells (float, percentage, currency).

Quirks of the format handled here: a row or cell stands for several when it
carries ``number-rows-repeated`` / ``number-columns-repeated`` (blank runs,
often up to the sheet's last row); covered cells (under a spanned cell) take
a position like any cell; rows may sit inside ``table-header-rows`` or
``table-row-group`` wrappers.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

_T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_X = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_NUMERIC = {"float", "percentage", "currency"}
_CELLS = {f"{{{_T}}}table-cell", f"{{{_T}}}covered-table-cell"}


def shown_numbers(data: bytes, column_name) -> dict[str, dict[str, str]]:
    """sheet name → {cell reference ("C7") → displayed text} of number cells;
    {} if the package is not a readable .ods."""
    try:
        content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
        root = etree.fromstring(content)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return {}
    out: dict[str, dict[str, str]] = {}
    for table in root.iter(f"{{{_T}}}table"):
        refs: dict[str, str] = {}
        r = 0
        for row in table.iter(f"{{{_T}}}table-row"):
            c = 0
            for cell in row:
                if cell.tag not in _CELLS:
                    continue
                repeat = int(cell.get(f"{{{_T}}}number-columns-repeated", "1"))
                if cell.get(f"{{{_O}}}value-type") in _NUMERIC:
                    text = "\n".join("".join(p.itertext()) for p in cell.iter(f"{{{_X}}}p")).strip()
                    if text:
                        for k in range(repeat):
                            refs[f"{column_name(c + k)}{r + 1}"] = text
                c += repeat
            r += int(row.get(f"{{{_T}}}number-rows-repeated", "1"))
        out[table.get(f"{{{_T}}}name")] = refs
    return out
