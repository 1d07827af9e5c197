"""``pdf_tables.cell_texts`` crops each cell's text as pdfplumber's own
``Table.extract`` does: the same texts, in the same order, for every table of
every page, on layouts drawn here (merged cells, wrapped text, a character
whose centre is on a rule, tables side by side, text outside the grid) and on
the ruled PDFs of the test report formats; and ``pdf_cells.Finder`` finds
pdfplumber's own ``TableFinder``'s cells and tables there."""
from __future__ import annotations

import io

import pdfplumber
import pytest
from pdfplumber.table import TableFinder, TableSettings

from ingest.readers.pdf_tables import SETTINGS, cell_texts
from tests.pdf_drawing import canvas, grid
from tests.report_formats_pdf import as_pdf


def _drawn() -> bytes:
    c, out = canvas(pagesize=(600, 500), font_size=9)
    c.drawString(40, 480, "表一 收支总表（单位：万元）")       # outside every grid
    xs, ys = [40, 160, 240, 320], [460, 440, 420, 400, 380]
    grid(c, xs, ys, skip={(1, 0)})                           # a merged header cell
    c.drawString(45, 445, "项目名称合并单元格")
    c.drawString(45, 425, "一般公共预算")
    c.drawString(45, 412, "财政拨款收入")                       # wrapped in its cell
    c.drawString(165, 425, "1,234.56")
    c.drawString(245, 425, "78.90")
    c.drawString(235.5, 405, "中")                             # centred on the rule at x=240
    c.drawString(245, 385, "0.00")
    xs2, ys2 = [360, 450, 560], [460, 440, 420]                # a second table beside it
    grid(c, xs2, ys2)
    c.drawString(365, 445, "科目编码")
    c.drawString(455, 445, "2101501")
    c.drawString(365, 425, "行政运行")
    c.drawString(455, 425, "12.3")
    c.drawString(40, 300, "正文一段，不在任何表格里。")
    c.showPage()
    c.save()
    return out.getvalue()


def _tables(data: bytes):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page = page.dedupe_chars()
            yield from TableFinder(page, TableSettings.resolve(SETTINGS)).tables


@pytest.mark.parametrize("data", [_drawn(), as_pdf(ruled=True)], ids=["drawn", "report-formats"])
def test_cell_texts_are_pdfplumbers_own(data):
    tables = list(_tables(data))
    assert tables, "the layout drew no ruled table"
    assert any(text for t in tables for row in cell_texts(t) for text in row if text)
    for t in tables:
        assert cell_texts(t) == t.extract()


@pytest.mark.parametrize("data", [_drawn(), as_pdf(ruled=True)], ids=["drawn", "report-formats"])
def test_the_finder_finds_pdfplumbers_tables(data):
    from ingest.readers.pdf_cells import Finder

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page = page.dedupe_chars()
            theirs = TableFinder(page, TableSettings.resolve(SETTINGS))
            ours = Finder(page, TableSettings.resolve(SETTINGS))
            assert ours.cells == theirs.cells
            assert [t.cells for t in ours.tables] == [t.cells for t in theirs.tables]
            assert [t.extract() for t in ours.tables] == [t.extract() for t in theirs.tables]
