"""The report of ``tests.report_formats`` as publishers put it in office files
and on the web: Word (.docx, merged header cells), Excel (.xlsx, .xls, .ods,
numbers as numbers under merged ranges) and a GBK web page with rowspan and
colspan."""
from __future__ import annotations

import io

from tests.report_formats_content import NARRATIVE, TABLES, TITLE, UNIT


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
