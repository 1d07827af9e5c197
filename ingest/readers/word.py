"""Word documents (.docx) → ``Document``, with python-docx.

* Paragraphs and tables come in document order (the body's children are
  walked directly; python-docx's ``document.paragraphs`` / ``tables`` would
  separate them). A paragraph with line breaks gives one line per break.
* python-docx returns a merged cell once per grid position it covers; the
  repeats are the same underlying ``<w:tc>`` element and are rendered blank,
  so the text stands at the span's top-left position as in the PDF grid
  (horizontal merges by ``gridSpan``, vertical ones by ``vMerge``).
* Cells are located as ``t<table>.r<row>.c<col>``.
"""
from __future__ import annotations

import io

from ingest.document import Cell, Document, Location, Paragraph, Table
from ingest.readers import UnreadableFile
from ingest.readers.clean import join_wrapped, normalize_chars


def read(data: bytes, name: str) -> Document:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — zip/xml errors of many kinds
        raise UnreadableFile(f"{name}: not a readable .docx ({type(exc).__name__}: {exc})") from None
    blocks: list = []
    n_tables = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = normalize_chars(DocxParagraph(child, document).text)
            for k, line in enumerate(text.split("\n")):
                if line.strip():
                    blocks.append(Paragraph(line.strip(), Location(None, f"p{len(blocks)}.{k}")))
        elif tag == "tbl":
            n_tables += 1
            blocks.append(_table(DocxTable(child, document), n_tables))
    return Document(blocks, "docx")


def _table(table, number: int) -> Table:
    cells = []
    seen: set = set()    # the <w:tc> elements met (held, so their identity is stable)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell._tc in seen:
                continue          # a merged cell repeated at a covered position
            seen.add(cell._tc)
            cells.append(Cell(r, c, join_wrapped(cell.text),
                              location=Location(None, f"t{number}.r{r}.c{c}")))
    return Table(cells, Location(None, f"t{number}"))
