"""Ruled tables of a PDF page → ``Table`` blocks, with pdfplumber.

pdfplumber's ``find_tables`` with the *lines* strategy builds the grid from
the page's ruling lines and rectangle edges, and crops each cell's text from
the characters inside it, so a cell's amount is in the grid column the ruling
gives it (measured: every amount cell of the sample reports in the right row
and column, no table invented on a text-only page). Its "text" strategy
invents tables on prose pages and is not used; tables without ruling are
:mod:`ingest.readers.pdf_grid`'s job. The page's characters and ruling come
from pypdfium2 where they can be had exactly as pdfminer gives them
(:mod:`ingest.readers.pdf_objects`, ~3x faster), else from pdfminer.

Quirks handled here:

* WPS draws some headings twice at the same position (fake bold):
  ``dedupe_chars`` removes the doubled characters first.
* A merged cell is one pdfplumber cell; the grid positions it covers come back
  as ``None`` and are rendered blank (its text stays in its top-left column).
* A cell whose text wraps (``本年收入合\\n计``) is joined.
* A one-column "table" is a frame drawn around text (a boxed 目录, a note):
  its text is left to the narrative reader.
* Cell texts are cropped as pdfplumber's ``Table.extract`` crops them (a
  character is a cell's when its centre is in the cell's box; its text as
  ``utils.extract_text`` gives it, by ``pdf_cells.cell_text``), but
  ``cell_texts`` finds each row's characters by bisecting the characters
  sorted by their vertical centre instead of testing every character of the
  page for every row (~half a million tests for the sample PDFs' 96 pages);
  each cell's characters are kept in the page's order, so the texts are the
  same.
"""
from __future__ import annotations

from bisect import bisect_left

from ingest.document import Cell, Location, Table
from ingest.readers.clean import join_wrapped

SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def ruled_tables(page, page_no: int) -> list[Table]:
    """The page's ruled tables, top to bottom: a pdfplumber page, or the same
    page's objects as pypdfium2 read them (:mod:`ingest.readers.pdf_objects`)."""
    from pdfplumber.table import TableSettings

    from ingest.readers.pdf_cells import Finder  # pdfplumber's TableFinder, its cells found faster

    page = page.dedupe_chars()
    out = []
    for found in Finder(page, TableSettings.resolve(SETTINGS)).tables:
        table = _to_table(found, page_no)
        if table is not None:
            out.append(table)
    out.sort(key=lambda t: _bbox(t)[1])
    return out


def cell_texts(found) -> list[list[str | None]]:
    """``found.extract()`` (pdfplumber's ``Table.extract``, no layout options):
    each row's cells' texts, None for a position a merged cell covers."""
    from ingest.readers.pdf_cells import cell_text  # pdfplumber's extract_text, faster

    chars = found.page.chars
    # each character's centre, computed as pdfplumber's char_in_bbox computes it
    v_mid = [(c["top"] + c["bottom"]) / 2 for c in chars]
    h_mid = [(c["x0"] + c["x1"]) / 2 for c in chars]
    order = sorted(range(len(chars)), key=v_mid.__getitem__)
    sorted_mid = [v_mid[k] for k in order]
    out = []
    for row in found.rows:
        x0, top, x1, bottom = row.bbox
        band = order[bisect_left(sorted_mid, top):bisect_left(sorted_mid, bottom)]
        in_row = [k for k in sorted(band) if x0 <= h_mid[k] < x1]   # the page's order
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            mine = [chars[k] for k in in_row if cx0 <= h_mid[k] < cx1 and ctop <= v_mid[k] < cbottom]
            texts.append(cell_text(mine) if mine else "")
        out.append(texts)
    return out


def _to_table(found, page_no: int) -> Table | None:
    texts = cell_texts(found)
    rows = found.rows
    if not texts or len(texts[0]) < 2 or len(texts) < 2:
        return None
    col_edges = _column_edges(rows)
    row_edges = [r.bbox[1] for r in rows]
    cells: list[Cell] = []
    page = str(page_no)
    for r, (row, row_texts) in enumerate(zip(rows, texts)):
        for c, (box, text) in enumerate(zip(row.cells, row_texts)):
            if box is None:
                continue
            x0, top, x1, bottom = box
            cells.append(Cell(
                row=r, col=c, text=join_wrapped(text),
                row_span=max(1, sum(1 for y in row_edges if top - 0.5 <= y < bottom - 0.5)),
                col_span=max(1, sum(1 for x in col_edges if x0 - 0.5 <= x < x1 - 0.5)),
                x0=x0, x1=x1,
                location=Location(page, f"{x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}"),
            ))
    if not any(cell.text for cell in cells):
        return None            # an empty ruled frame: nothing to read
    x0, top, x1, bottom = found.bbox
    return Table(cells, Location(page, f"{x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}"))


def _column_edges(rows) -> list[float]:
    """The left edge of each grid column (the leftmost cell starting there)."""
    n = max(len(r.cells) for r in rows)
    edges = []
    for c in range(n):
        xs = [r.cells[c][0] for r in rows if c < len(r.cells) and r.cells[c] is not None]
        if xs:
            edges.append(min(xs))
    return edges


def _bbox(table: Table) -> tuple[float, ...]:
    return tuple(float(v) for v in table.location.locator.split(","))


def table_bbox(table: Table) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = _bbox(table)
    return x0, top, x1, bottom
