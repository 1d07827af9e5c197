"""One small 部门决算 written in every format yibao reads, for the reader tests.

The layout is the national 公开 one: a cover line, narrative, then a
收入决算表 and a 支出决算表 with a two-row header (a group header over three
columns, a header cell spanning both rows), subject codes and amounts in 万元
with blank cells where nothing is printed. The figures are invented.

``as_text()`` is the tab-separated rendering the parsers read from a .txt
conversion; each writer puts the same content into its format the way
publishers do (merged header cells, a GBK web page, a workbook with numbers as
numbers, ruled and unruled PDF tables, a scanned page).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

TITLE = "某某县医疗保障局2023年度部门决算"
NARRATIVE = [
    "一、收入决算情况说明",
    "本年收入合计1,487.30万元，其中：财政拨款收入1,402.18万元，占94.28%。",
]


@dataclass
class Span:
    """A header cell covering ``rows`` x ``cols`` grid positions."""

    text: str
    rows: int = 1
    cols: int = 1


@dataclass
class ReportTable:
    title: str
    number: str
    header: list[list[Span | None]]   # None: covered by a span above/left
    rows: list[list[str]]

    @property
    def n_cols(self) -> int:
        return len(self.rows[0])


INCOME = ReportTable(
    title="收入决算表", number="公开02表",
    header=[
        [Span("项目", cols=2), None, Span("本年收入合计", rows=2), Span("本年收入", cols=2), None],
        [Span("科目编码"), Span("科目名称"), None, Span("财政拨款收入"), Span("其他收入")],
    ],
    rows=[
        ["", "合计", "1,487.30", "1,402.18", "85.12"],
        ["208", "社会保障和就业支出", "96.40", "96.40", ""],
        ["20805", "行政事业单位养老支出", "96.40", "96.40", ""],
        ["210", "卫生健康支出", "1,321.55", "1,236.43", "85.12"],
        ["21015", "医疗保障管理事务", "1,208.71", "1,123.59", "85.12"],
        ["2101501", "行政运行", "523.66", "523.66", ""],
        ["2101599", "其他医疗保障管理事务支出", "685.05", "599.93", "85.12"],
        ["221", "住房保障支出", "69.35", "69.35", ""],
    ],
)

EXPENDITURE = ReportTable(
    title="支出决算表", number="公开03表",
    header=[
        [Span("项目", cols=2), None, Span("本年支出合计", rows=2), Span("基本支出", rows=2),
         Span("项目支出", rows=2)],
        [Span("科目编码"), Span("科目名称"), None, None, None],
    ],
    rows=[
        ["", "合计", "1,476.02", "790.97", "685.05"],
        ["208", "社会保障和就业支出", "96.40", "96.40", ""],
        ["210", "卫生健康支出", "1,310.27", "625.22", "685.05"],
        ["2101501", "行政运行", "512.38", "512.38", ""],
        ["2101599", "其他医疗保障管理事务支出", "685.05", "", "685.05"],
        ["221", "住房保障支出", "69.35", "69.35", ""],
    ],
)

TABLES = [INCOME, EXPENDITURE]
UNIT = "单位：万元"


def header_texts(table: ReportTable) -> list[list[str]]:
    """The header as grid rows: a span's text at its top-left, blank elsewhere."""
    return [[span.text if span else "" for span in row] for row in table.header]


def as_text() -> str:
    lines = [TITLE, ""] + NARRATIVE + [""]
    for table in TABLES:
        lines += [table.title, table.number, UNIT]
        lines += ["\t".join(r) for r in header_texts(table)]
        lines += ["\t".join(r) for r in table.rows]
        lines.append("")
    return "\n".join(lines) + "\n"


# --- Word ------------------------------------------------------------------

def as_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    for p in NARRATIVE:
        document.add_paragraph(p)
    for table in TABLES:
        for line in (table.title, table.number, UNIT):
            document.add_paragraph(line)
        n_header = len(table.header)
        grid = document.add_table(rows=n_header + len(table.rows), cols=table.n_cols)
        for r, row in enumerate(table.header):
            for c, span in enumerate(row):
                if span is None:
                    continue
                cell = grid.cell(r, c)
                if span.rows > 1 or span.cols > 1:
                    cell = cell.merge(grid.cell(r + span.rows - 1, c + span.cols - 1))
                cell.text = span.text
        for r, row in enumerate(table.rows, start=n_header):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- Excel -----------------------------------------------------------------

def as_xlsx() -> bytes:
    """A cover sheet with the narrative, then one sheet per table; amounts as
    numbers with a #,##0.00 format."""
    from decimal import Decimal

    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "说明"
    for line in [TITLE, *NARRATIVE]:
        cover.append([line])
    for table in TABLES:
        sheet = book.create_sheet(table.title)
        sheet.append([table.title])
        sheet.append([table.number])
        sheet.append([UNIT])
        first = sheet.max_row + 1
        for r, row in enumerate(table.header):
            for c, span in enumerate(row):
                if span is None:
                    continue
                sheet.cell(first + r, c + 1, span.text)
                if span.rows > 1 or span.cols > 1:
                    sheet.merge_cells(start_row=first + r, start_column=c + 1,
                                      end_row=first + r + span.rows - 1,
                                      end_column=c + span.cols)
        for r, row in enumerate(table.rows, start=first + len(table.header)):
            for c, text in enumerate(row):
                if not text:
                    continue
                if c >= 2:   # an amount: stored as the float a spreadsheet holds
                    cell = sheet.cell(r, c + 1, float(Decimal(text.replace(",", ""))))
                    cell.number_format = "#,##0.00"
                else:        # codes are text, as publishers type them
                    sheet.cell(r, c + 1, text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _amount(text: str) -> float:
    """An amount cell as a spreadsheet stores it: a binary float."""
    from decimal import Decimal

    return float(Decimal(text.replace(",", "")))


def as_xls() -> bytes:
    """The workbook of ``as_xlsx`` as a legacy BIFF8 .xls (written with xlwt):
    merged header cells, amounts as numbers formatted #,##0.00, codes as text."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    cover = book.add_sheet("说明")
    for r, line in enumerate([TITLE, *NARRATIVE]):
        cover.write(r, 0, line)
    money = xlwt.easyxf(num_format_str="#,##0.00")
    for table in TABLES:
        sheet = book.add_sheet(table.title)
        for r, line in enumerate((table.title, table.number, UNIT)):
            sheet.write(r, 0, line)
        first = 3
        for r, row in enumerate(table.header):
            for c, span in enumerate(row):
                if span is None:
                    continue
                if span.rows > 1 or span.cols > 1:
                    sheet.write_merge(first + r, first + r + span.rows - 1,
                                      c, c + span.cols - 1, span.text)
                else:
                    sheet.write(first + r, c, span.text)
        for r, row in enumerate(table.rows, start=first + len(table.header)):
            for c, text in enumerate(row):
                if text:
                    sheet.write(r, c, _amount(text), money) if c >= 2 else sheet.write(r, c, text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_ods() -> bytes:
    """The same workbook as an OpenDocument spreadsheet (written with odfpy):
    spanned header cells with covered cells after them, amounts as float
    cells whose displayed text is the printed figure."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    book = OpenDocumentSpreadsheet()

    def text_cell(text: str, **span) -> TableCell:
        cell = TableCell(valuetype="string", **span)
        cell.addElement(P(text=text))
        return cell

    def add_rows(sheet, rows):
        for row in rows:
            tr = TableRow()
            for cell in row:
                tr.addElement(cell)
            sheet.addElement(tr)

    cover = Table(name="说明")
    add_rows(cover, [[text_cell(line)] for line in [TITLE, *NARRATIVE]])
    book.spreadsheet.addElement(cover)
    for table in TABLES:
        sheet = Table(name=table.title)
        add_rows(sheet, [[text_cell(line)] for line in (table.title, table.number, UNIT)])
        header = []
        for row in table.header:
            cells = []
            for span in row:
                if span is None:
                    cells.append(CoveredTableCell())
                elif span.rows > 1 or span.cols > 1:
                    cells.append(text_cell(span.text, numberrowsspanned=span.rows,
                                           numbercolumnsspanned=span.cols))
                else:
                    cells.append(text_cell(span.text))
            header.append(cells)
        add_rows(sheet, header)
        body = []
        for row in table.rows:
            cells = []
            for c, text in enumerate(row):
                if not text:
                    cells.append(TableCell())
                elif c >= 2:
                    cell = TableCell(valuetype="float", value=repr(_amount(text)))
                    cell.addElement(P(text=text))
                    cells.append(cell)
                else:
                    cells.append(text_cell(text))
            body.append(cells)
        add_rows(sheet, body)
        book.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    book.write(out)
    return out.getvalue()


# --- HTML ------------------------------------------------------------------

def as_html(encoding: str = "gbk") -> bytes:
    """A 政府信息公开 page: chrome around the article, tables with spans."""
    parts = [
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
        f"<title>{TITLE}_某某县人民政府</title></head><body>",
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 财政预决算</div>',
        '<table class="meta"><tr><td>索引号：</td><td>000000000/2024-00012</td>'
        "<td>发布机构：</td><td>某某县医疗保障局</td></tr>"
        "<tr><td>发布日期：</td><td>2024-09-20</td><td>所属机构：</td><td>某某县医疗保障局</td></tr></table>",
        f'<div class="article"><h1>{TITLE}</h1>',
    ]
    parts += [f"<p>{p}</p>" for p in NARRATIVE]
    for table in TABLES:
        parts += [f"<p>{table.title}</p>", f"<p>{table.number}</p>", f'<p align="right">{UNIT}</p>']
        parts.append('<table border="1">')
        for row in table.header:
            cells = []
            for span in row:
                if span is None:
                    continue
                attrs = (f' rowspan="{span.rows}"' if span.rows > 1 else "") + (
                    f' colspan="{span.cols}"' if span.cols > 1 else "")
                cells.append(f"<td{attrs}>{span.text}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        for row in table.rows:
            parts.append("<tr>" + "".join(f"<td>{t or '&nbsp;'}</td>" for t in row) + "</tr>")
        parts.append("</table>")
    parts += ["</div>", '<div class="footer">主办：某某县人民政府办公室 网站标识码：0000000000</div>',
              '<div class="share">分享到：微信 微博</div>', "</body></html>"]
    return "\n".join(parts).encode(encoding)


# --- PDF -------------------------------------------------------------------

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
