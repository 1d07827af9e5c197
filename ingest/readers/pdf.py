"""PDF → ``Document``: ruled tables with pdfplumber, text with pypdfium2,
unruled tables from word positions, scanned pages through OCR.

Per page, in this order:

1. **The text layer** (pypdfium2). A page with no text but an image is a scan;
   a page whose text is mostly characters no Chinese report prints (a font
   without a ToUnicode map comes out as silent mojibake — no U+FFFD — from
   every library) or whose characters PDFium flags as unmapped has a garbage
   layer. Both go to OCR (:mod:`ingest.readers.ocr`); without the OCR extra
   the page is recorded as not read, with the reason and the fix.
2. **Ruled tables** (:mod:`ingest.readers.pdf_tables`), only on pages that
   draw paths at all; pdfplumber's table finder reads the characters and
   paths PDFium parsed (:mod:`ingest.readers.pdf_objects`) where they are
   pdfminer's to the bit, else pdfplumber's own page.
3. **Unruled tables** (:mod:`ingest.readers.pdf_grid`) where a page without
   ruling prints lines of amounts aligned in columns.
4. **Text** outside the tables, one paragraph per line segment
   (:mod:`ingest.readers.pdf_text`).

Across pages:

* **Text off the page**: a content stream can place text wholly above or
  below the page (one sample producer repeats the previous page's passage
  there); it is never printed, so it is not read.
* **Page furniture**: a line in the top or bottom margin that is a page number
  (``3``, ``- 3 -``, ``第 3 页``) or repeats on several pages (a running head)
  is not content.
* **Continued tables**: a page that starts with a table of the same column
  count as the table that ended the previous page continues it when its first
  row is a data row; where it repeats the header rows instead, those are
  dropped and the rows appended. The merged table keeps every cell's own page
  and box.

Every cell and paragraph carries ``Location(page, "x0,top,x1,bottom")`` in
points from the page's top-left corner.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ingest.document import Cell, Document, Location, Paragraph, Table
from ingest.readers import UnreadableFile
from ingest.readers.pdf_grid import is_page_number
from ingest.readers.pdf_objects import content_stream, object_kinds, page_height, read_objects
from ingest.readers.pdf_paths import page_objects
from ingest.readers.pdf_text import PageText, Segment, page_text
from ingest.readers.textlayer import judge_text_layer

MARGIN = 0.07            # share of the page height that is header/footer band
RUNNING_HEAD_PAGES = 3   # a margin line repeated on this many pages is furniture


@dataclass
class PageContent:
    number: int
    height: float
    blocks: list[tuple[float, object]] = field(default_factory=list)  # (top, block)
    margin_lines: list[tuple[float, Segment]] = field(default_factory=list)
    problem: str | None = None       # why the page could not be read
    ocr: bool = False
    ocr_confidence: float | None = None


def read(data: bytes, name: str) -> Document:
    import pdfplumber
    import pypdfium2 as pdfium

    try:
        fdoc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"{name}: not a readable PDF ({exc})") from None
    try:
        plumber = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — pdfminer raises many kinds
        raise UnreadableFile(f"{name}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    pages: list[PageContent] = []
    doctop = 0.0             # pdfplumber's offset of the page in the document
    try:
        for index in range(len(fdoc)):
            fpage = fdoc[index]
            pages.append(_read_page(fpage, lambda i=index: plumber.pages[i], index + 1, doctop))
            doctop += page_height(fpage)
    finally:
        plumber.close()
        fdoc.close()
    problems = [(p.number, p.problem) for p in pages if p.problem]
    if pages and len(problems) == len(pages):
        raise UnreadableFile(f"{name}: no page could be read — " + _describe(problems))
    flags = [f"page_not_read:{n}:{why}" for n, why in problems]
    if any(p.ocr for p in pages):
        flags.append("ocr:" + ",".join(str(p.number) for p in pages if p.ocr))
    blocks = assemble(pages)
    metadata = {"pages": str(len(pages))}
    if any(p.ocr for p in pages):   # page:mean recognition confidence, for the facts' lines
        metadata["ocr_confidence"] = ",".join(
            f"{p.number}:{p.ocr_confidence:.3f}" for p in pages if p.ocr)
    return Document(blocks, "pdf", metadata=metadata, flags=tuple(flags))


def _describe(problems: list[tuple[int, str]]) -> str:
    reasons = Counter(why for _, why in problems)
    return "; ".join(f"{why} ({n} page{'s' if n > 1 else ''})" for why, n in reasons.items())


def _read_page(fpage, plumber_page, number: int, doctop: float = 0.0) -> PageContent:
    import pypdfium2.raw as pdfium_c

    width, height = fpage.get_size()
    content = PageContent(number, height)
    textpage = fpage.get_textpage()
    text = page_text(textpage, height)
    objects = page_objects(fpage.raw)
    kinds = object_kinds(objects)
    images = kinds.get(pdfium_c.FPDF_PAGEOBJ_IMAGE, 0)
    verdict = judge_text_layer(text.raw, text.unmapped, has_images=bool(images))
    if verdict is not None:
        _ocr_page(fpage, content, verdict)
        return content
    tables: list[Table] = []
    if kinds.get(pdfium_c.FPDF_PAGEOBJ_PATH, 0) >= 2:
        from ingest.readers.pdf_tables import ruled_tables
        try:
            object_page = read_objects(fpage, textpage, doctop, content_stream(plumber_page()), objects, text)
        except Exception:  # noqa: BLE001 — the fast path never costs a page: pdfplumber reads it
            object_page = None
        tables = ruled_tables(object_page if object_page is not None else plumber_page(), number)
    if not tables:
        from ingest.readers.pdf_grid import looks_tabular, word_grid_tables
        if looks_tabular(text.segments):
            tables = word_grid_tables(plumber_page(), number)
    _place(content, text, tables, width)
    return content


def _ocr_page(fpage, content: PageContent, verdict: str) -> None:
    from ingest.readers import ocr
    try:
        result = ocr.read_page(fpage, content.number)
    except ocr.OcrUnavailable as exc:
        content.problem = f"{verdict}; {exc}"
        return
    if result.problem:
        content.problem = f"{verdict}; {result.problem}"
        return
    content.ocr = True
    content.ocr_confidence = result.confidence
    content.blocks = result.blocks
    _mark_margins(content)


def _place(content: PageContent, text: PageText, tables: list[Table], width: float) -> None:
    """Tables and the text outside them, in reading order (top to bottom)."""
    boxes = [_box(t.location.locator) for t in tables]
    for table, box in zip(tables, boxes):
        content.blocks.append((box[1], table))
    for seg in text.segments:
        cx, cy = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
        if any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes):
            continue
        para = Paragraph(seg.text, Location(str(content.number), seg.locator))
        content.blocks.append((seg.top, para))
    content.blocks.sort(key=lambda item: (item[0], _x(item[1])))
    _mark_margins(content)


def _mark_margins(content: PageContent) -> None:
    """Note the paragraphs in the header/footer bands (candidates for furniture)."""
    band = MARGIN * content.height
    for top, block in content.blocks:
        if isinstance(block, Paragraph) and block.location.locator:
            x0, top_, x1, bottom = _box(block.location.locator)
            if bottom < band or top_ > content.height - band:
                content.margin_lines.append(
                    (top, Segment(block.text, x0, top_, x1, bottom)))


def _x(block) -> float:
    return _box(block.location.locator)[0] if block.location.locator else 0.0


def _box(locator: str) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = (float(v) for v in locator.split(","))
    return x0, top, x1, bottom


# --- across pages ------------------------------------------------------------

def furniture(pages: list[PageContent]) -> set[tuple[int, str]]:
    """(page, text) of margin lines that are page numbers or running heads."""
    def key(s: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", s))

    counts = Counter(key(seg.text) for p in pages for _, seg in p.margin_lines)
    out = set()
    for p in pages:
        for _, seg in p.margin_lines:
            if is_page_number(seg.text) or counts[key(seg.text)] >= RUNNING_HEAD_PAGES:
                out.add((p.number, seg.locator))
    return out


def assemble(pages: list[PageContent]) -> list:
    """Every page's blocks in order, furniture dropped, continued tables merged."""
    drop = furniture(pages)
    blocks: list = []
    last_page_of_table: int | None = None
    for page in pages:
        first = True
        for _, block in page.blocks:
            if isinstance(block, Paragraph) and (page.number, block.location.locator) in drop:
                continue
            if (first and isinstance(block, Table) and blocks and isinstance(blocks[-1], Table)
                    and last_page_of_table == page.number - 1):
                merged = continue_table(blocks[-1], block)
                if merged is not None:
                    blocks[-1] = merged
                    last_page_of_table = page.number
                    first = False
                    continue
            blocks.append(block)
            first = False
        last_page_of_table = page.number if blocks and isinstance(blocks[-1], Table) else None
    return blocks


_DATA = re.compile(r"^[-+(]?\d[\d,]*(\.\d+)?\)?%?$")


def _is_data_row(texts: list[str]) -> bool:
    return any(_DATA.match(t.replace(" ", "")) for t in texts if t)


def continue_table(previous: Table, nxt: Table) -> Table | None:
    """``previous`` with ``nxt``'s rows appended, or None if ``nxt`` is another table."""
    if previous.n_cols != nxt.n_cols:
        return None
    prev_rows = previous.row_texts()
    next_rows = nxt.row_texts()
    skip = 0
    if not _is_data_row(next_rows[0]):
        header = 0
        while header < len(prev_rows) and not _is_data_row(prev_rows[header]):
            header += 1
        if header == 0 or next_rows[:header] != prev_rows[:header]:
            return None
        skip = header           # the header printed again on the new page
    offset = previous.n_rows - skip
    cells = list(previous.cells)
    for cell in nxt.cells:
        if cell.row >= skip:
            cells.append(replace(cell, row=cell.row + offset))
    return Table(cells, previous.location, previous.title, previous.flags)


__all__ = ["read", "assemble", "continue_table", "Cell"]
