"""The report of ``tests.report_formats`` as a PDF (reportlab, a CID font, the
tables ruled or not) and as a scanned PDF (its pages rendered to images with
no text layer)."""
from __future__ import annotations

import io

from tests.report_formats_content import NARRATIVE, TABLES, TITLE, UNIT, ReportTable, Span, header_texts

_COLS = [50, 130, 330, 450, 570, 690]   # column edges in points
_ROW = 22


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _draw_table(c, table: ReportTable, top: float, ruled: bool) -> float:
    """Draw a table whose top edge is at ``top`` (PDF y); return its bottom."""
    grid = header_texts(table) + table.rows
    n_header = len(table.header)
    c.setFont(_font(), 9)
    for r, row in enumerate(grid):
        y = top - _ROW * (r + 1) + 8
        for col, text in enumerate(row):
            if not text:
                continue
            span = table.header[r][col] if r < n_header else None
            x0, x1 = _COLS[col], _COLS[col + (span.cols if span else 1)]
            if span and span.rows > 1:
                y = top - _ROW * (r + span.rows / 2) - 3
            elif r < n_header:
                y = top - _ROW * (r + 1) + 8
            if r < n_header:
                c.drawCentredString((x0 + x1) / 2, y, text)
            elif col >= 2:
                c.drawRightString(x1 - 4, y, text)
            else:
                c.drawString(x0 + 4, y, text)
    bottom = top - _ROW * len(grid)
    if ruled:
        c.line(_COLS[0], top, _COLS[-1], top)
        for r in range(1, len(grid) + 1):
            y = top - _ROW * r
            # inner header lines only where no span crosses them
            for col in range(table.n_cols):
                if r < n_header and _spans_down(table, r - 1, col):
                    continue
                c.line(_COLS[col], y, _COLS[col + 1], y)
        for col, x in enumerate(_COLS):
            for r in range(len(grid)):
                if 0 < col < table.n_cols and r < n_header and _spans_right(table, r, col - 1):
                    continue
                c.line(x, top - _ROW * r, x, top - _ROW * (r + 1))
    return bottom


def _owner(table: ReportTable, r: int, col: int) -> tuple[int, int, Span]:
    for rr in range(r, -1, -1):
        for cc in range(col, -1, -1):
            span = table.header[rr][cc]
            if span and rr + span.rows > r and cc + span.cols > col:
                return rr, cc, span
    raise AssertionError("uncovered header position")


def _spans_down(table: ReportTable, r: int, col: int) -> bool:
    """Whether header position (r, col) belongs to a span that continues to row r+1."""
    rr, _, span = _owner(table, r, col)
    return rr + span.rows - 1 > r


def _spans_right(table: ReportTable, r: int, col: int) -> bool:
    _, cc, span = _owner(table, r, col)
    return cc + span.cols - 1 > col


def as_pdf(ruled: bool = True) -> bytes:
    """Two A4-landscape pages: narrative + income table, expenditure table."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(out, pagesize=(width, height))
    font = _font()
    c.setFont(font, 16)
    c.drawCentredString(width / 2, height - 50, TITLE)
    c.setFont(font, 10)
    y = height - 80
    for p in NARRATIVE:
        c.drawString(50, y, p)
        y -= 18
    for i, table in enumerate(TABLES):
        if i:
            c.setFont(font, 9)
            c.drawCentredString(width / 2, 20, f"- {i} -")   # a page number (furniture)
            c.showPage()
            y = height - 50
        c.setFont(font, 14)
        c.drawCentredString(width / 2, y - 10, table.title)
        c.setFont(font, 9)
        c.drawRightString(_COLS[-1], y - 10, table.number)
        c.drawRightString(_COLS[-1], y - 28, UNIT)
        _draw_table(c, table, y - 36, ruled)
        y = height - 50
    c.setFont(font, 9)
    c.drawCentredString(width / 2, 20, f"- {len(TABLES)} -")
    c.showPage()
    c.save()
    return out.getvalue()


def as_scanned_pdf(garbage_layer: bool = False) -> bytes:
    """The ruled PDF as page images (a scan); optionally with an invisible
    text layer of mojibake, as a font without a Unicode map produces."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    source = pdfium.PdfDocument(as_pdf(ruled=True))
    out = io.BytesIO()
    c = None
    for page in source:
        width, height = page.get_size()
        if c is None:
            c = canvas.Canvas(out, pagesize=(width, height))
        image = page.render(scale=200 / 72, grayscale=True).to_pil()
        c.drawImage(ImageReader(image), 0, 0, width=width, height=height)
        if garbage_layer:
            text = c.beginText(50, height - 50)
            text.setTextRenderMode(3)    # invisible, as OCR'd or broken layers are
            text.setFont("Helvetica", 10)
            for _ in range(12):
                text.textLine("ÃÐÞ¢Ê¿ËÌÝÎÏ ÒÓÔÕ ØÙÚÛ ÅÆ ÇÈ ÉÊËÌ ÍÎÏÐ")
            c.drawText(text)
        c.showPage()
    c.save()
    return out.getvalue()
