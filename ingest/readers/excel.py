"""Workbooks (.xlsx, .xlsm, .xls, .ods) → ``Document``, with python-calamine.

python-calamine reads every spreadsheet format publishers use (so no xlrd for
.xls), ~60x faster than openpyxl, and returns the value of a merged range at
its top-left cell (openpyxl drops values hidden under merged ranges).

* Each sheet is split into regions: a row with two or more filled cells
  belongs to a table; a row with one filled cell (a title, ``单位：万元``) is a
  paragraph; a blank row ends a table. Cells are located as ``Sheet!B7``
  (``Location(page=sheet, locator="B7")``).
* Merged cells keep their text at the top-left position, blank elsewhere —
  the same grid the PDF reader gives.
* **Numbers as printed.** A spreadsheet stores binary floats: a cell showing
  ``45.83`` may hold 45.830000000000005. In an .xlsx the cell's number format
  (``#,##0.00``, ``0.00%`` …, read from the package by
  :mod:`ingest.readers.excel_formats`, since calamine doesn't expose it) is
  applied, so the cell renders as the sheet shows it (``1,487.30``).
  In an .ods the text the sheet displays is stored beside the value and is
  used (:mod:`ingest.readers.ods_text`). Otherwise (.xls, whose formats
  calamine doesn't expose; a format we don't apply) a number is written with
  at most 15 significant digits — what Excel itself stores — which gives back
  the printed figure and never rounds a real digit away; integral values
  have no ``.0``.
* Text cells are kept as text: a subject code typed as text stays ``2101501``
  and is never confused with an amount.
"""
from __future__ import annotations

import datetime as dt
import io

from ingest.document import Cell, Document, Location, Paragraph, Table
from ingest.readers import UnreadableFile
from ingest.readers.clean import join_wrapped


def read(data: bytes, name: str) -> Document:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — calamine raises several kinds
        raise UnreadableFile(f"{name}: not a readable workbook ({type(exc).__name__}: {exc})") from None
    from ingest.readers.excel_formats import sheet_formats
    from ingest.readers.ods_text import shown_numbers

    kind = _kind(data)
    formats = sheet_formats(data) if kind == "xlsx" else {}
    shown = shown_numbers(data, column_name) if kind == "ods" else {}
    blocks: list = []
    for sheet_name in book.sheet_names:
        sheet = book.get_sheet_by_name(sheet_name)
        blocks.extend(sheet_blocks(sheet_name, sheet.to_python(skip_empty_area=False),
                                   formats.get(sheet_name, {}), shown.get(sheet_name, {})))
    return Document(blocks, kind, metadata={"sheets": ",".join(book.sheet_names)})


def _kind(data: bytes) -> str:
    """xlsx, ods or xls, by the package's content."""
    if data.startswith(b"PK"):
        return "ods" if b"application/vnd.oasis.opendocument.spreadsheet" in data[:4096] else "xlsx"
    return "xls"


def cell_text(value, number_format: str | None = None) -> str:
    """A cell value as printed (see the module doc on numbers)."""
    if number_format and isinstance(value, (int, float)) and not isinstance(value, bool):
        from ingest.readers.excel_formats import apply
        shown = apply(value, number_format)
        if shown is not None:
            return shown
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return join_wrapped(str(value))


def column_name(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def sheet_blocks(sheet: str, rows: list[list], formats: dict[str, str] | None = None,
                 shown: dict[str, str] | None = None) -> list:
    """A sheet's rows as paragraphs and tables. ``formats``: cell → number
    format (.xlsx); ``shown``: cell → the displayed text of a number (.ods)."""
    formats, shown = formats or {}, shown or {}

    def text(r: int, c: int, value) -> str:
        ref = f"{column_name(c)}{r + 1}"
        if ref in shown and isinstance(value, (int, float)) and not isinstance(value, bool):
            return shown[ref]
        return cell_text(value, formats.get(ref))

    texts = [[text(r, c, v) for c, v in enumerate(row)] for r, row in enumerate(rows)]
    width = max((max((i + 1 for i, t in enumerate(r) if t), default=0) for r in texts), default=0)
    blocks: list = []
    table_rows: list[tuple[int, list[str]]] = []

    def flush():
        if table_rows:
            blocks.append(_table(sheet, table_rows, width))
            table_rows.clear()

    for r, row in enumerate(texts):
        filled = [t for t in row if t]
        if len(filled) >= 2:
            table_rows.append((r, row[:width] + [""] * (width - len(row))))
            continue
        flush()
        if filled:
            c = next(i for i, t in enumerate(row) if t)
            blocks.append(Paragraph(filled[0], Location(sheet, f"{column_name(c)}{r + 1}")))
    flush()
    return blocks


def _table(sheet: str, rows: list[tuple[int, list[str]]], width: int) -> Table:
    cells = []
    for i, (r, row) in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                cells.append(Cell(i, c, text, location=Location(sheet, f"{column_name(c)}{r + 1}")))
    # keep the full width even where the last columns are blank in every row
    last = len(rows) - 1
    if not any(cell.row == last and cell.col == width - 1 for cell in cells):
        cells.append(Cell(last, width - 1, "", location=Location(sheet, f"{column_name(width - 1)}{rows[-1][0] + 1}")))
    first, end = rows[0][0] + 1, rows[-1][0] + 1
    return Table(cells, Location(sheet, f"A{first}:{column_name(width - 1)}{end}"))
