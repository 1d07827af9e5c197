"""Drawing test PDFs with reportlab: a canvas with a CJK font, and ruled grids."""
from __future__ import annotations

import io

FONT = "STSong-Light"


def canvas(pagesize=(600, 400), font_size: float = 10):
    """(a reportlab canvas set in FONT, the buffer it saves to)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as reportlab_canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    c = reportlab_canvas.Canvas(out, pagesize=pagesize)
    c.setFont(FONT, font_size)
    return c, out


def grid(c, xs, ys, skip=()):
    """Rules of a grid: vertical lines at ``xs``, horizontal at ``ys`` (PDF y);
    ``skip`` holds (col, row) of vertical rules left out (merged cells)."""
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for col, x in enumerate(xs):
        for row in range(len(ys) - 1):
            if (col, row) not in skip:
                c.line(x, ys[row], x, ys[row + 1])
