"""One small 部门决算 written in every format yibao reads, for the reader tests.

The layout is the national 公开 one: a cover line, narrative, then a
收入决算表 and a 支出决算表 with a two-row header (a group header over three
columns, a header cell spanning both rows), subject codes and amounts in 万元
with blank cells where nothing is printed. The figures are invented.

``as_text()`` is the tab-separated rendering the parsers read from a .txt
conversion; each writer puts the same content into its format the way
publishers do (merged header cells, a GBK web page, a workbook with numbers as
numbers, ruled and unruled PDF tables, a scanned page).

The content and ``as_text`` are in ``report_formats_content``, the office and
web writers in ``report_formats_office``, the PDF writers in
``report_formats_pdf``; every name is importable from here.
"""
from __future__ import annotations

from tests.report_formats_content import (  # noqa: F401  (re-exported)
    EXPENDITURE,
    INCOME,
    NARRATIVE,
    TABLES,
    TITLE,
    UNIT,
    ReportTable,
    Span,
    as_text,
    header_texts,
)
from tests.report_formats_office import as_docx, as_html, as_ods, as_xls, as_xlsx  # noqa: F401
from tests.report_formats_pdf import _font, as_pdf, as_scanned_pdf  # noqa: F401
