"""Web pages (预决算公开 platforms, 政府信息公开 articles) → ``Document``, with lxml.

* **Encoding**: a byte-order mark, else the page's ``<meta charset>`` /
  ``http-equiv`` declaration (GBK and GB2312 are read as GB18030, their
  superset), else strict UTF-8, else GB18030; a character cut off by the end
  of a truncated page is dropped, not a reason to refuse the page.
* **Tables**: ``rowspan``/``colspan`` are expanded into the grid — a spanning
  cell's text at its top-left position, the positions it covers blank, as
  in the PDF grid. Without that only about a fifth of the cells land under
  their header. A table that contains tables is page layout, not data: its
  cells are read as the page's flow.
* **Page chrome** — navigation, breadcrumbs, headers, footers, share buttons,
  scripts — is not content: elements named so (tag, ``class`` or ``id``) are
  skipped.
* **Metadata**: the page title and the article's metadata table (索引号,
  发布机构, 发布日期, 所属机构 …: label cells ending in ``：`` followed by the
  value) go to ``Document.metadata`` for identification, not to the body.
* Cells are located as ``t<table>.r<row>.c<col>``, paragraphs as ``p<n>``.
* A page cut short (``<html>`` opened, never closed) is read as far as it
  goes and flagged ``truncated:``.
"""
from __future__ import annotations

import re

from ingest.document import Cell, Document, Location, Paragraph, Table
from ingest.readers import UnreadableFile
from ingest.readers.clean import join_wrapped, normalize_chars
from ingest.text import decode_cut

SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form",
             "iframe", "button", "select", "input", "textarea", "svg", "template", "head"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd",
              "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "center", "tr", "td",
              "th", "caption", "body", "html", "table", "tbody", "thead", "tfoot", "hr"}
_CHROME = re.compile(r"(^|[-_ ])(nav|navbar|menu|breadcrumbs?|crumbs?|position|location|footer|"
                     r"foot|header|top-?bar|banner|share|bdsharebuttonbox|sidebar|toolbar|"
                     r"print|close|search|login|copyright|related)([-_ ]|$)", re.I)
_META_LABEL = re.compile(r"^\s*([\u4e00-\u9fff]{2,6})\s*[:：]\s*(.*)$")
_HTML_OPEN = re.compile(rb"<html[\s>]", re.I)
_HTML_CLOSE = re.compile(rb"</html\s*>", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*(?:["']\s*)?([A-Za-z0-9_\-]+)""", re.I)


def decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    m = _CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        codec = "gb18030" if declared in {"gbk", "gb2312", "gb_2312-80", "gb18030", "x-gbk"} else declared
        try:
            return decode_cut(data, codec)
        except (LookupError, UnicodeDecodeError):
            pass
    for codec in ("utf-8", "gb18030"):
        try:
            return decode_cut(data, codec)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{name}: a web page in neither its declared charset, UTF-8 nor GB18030")


def read(data: bytes, name: str) -> Document:
    import lxml.html

    text = decode(data, name)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # noqa: BLE001 — lxml's parser errors
        raise UnreadableFile(f"{name}: not a readable web page ({exc})") from None
    metadata = {}
    title = root.findtext(".//title")
    if title and title.strip():
        metadata["title"] = normalize_chars(title.strip())
    reader = _Reader(metadata)
    body = root.find("body")
    reader.walk(body if body is not None else root)
    reader.flush()
    return Document(reader.blocks, "html", encoding=None, metadata=metadata, flags=_cut(data))


def _cut(data: bytes) -> tuple[str, ...]:
    """A page that opens ``<html>`` but never closes it was cut short: flagged
    (what could be read is kept; the pipeline records the flag as an error)."""
    if _HTML_OPEN.search(data[:4096]) and not _HTML_CLOSE.search(data[-4096:]):
        return ("truncated:the page ends before its closing </html> tag",)
    return ()


def _is_chrome(el) -> bool:
    if el.tag in SKIP_TAGS:
        return True
    names = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(names.strip()) and bool(_CHROME.search(names))


class _Reader:
    def __init__(self, metadata: dict):
        self.blocks: list = []
        self.buffer: list[str] = []
        self.metadata = metadata
        self.tables = 0

    def flush(self) -> None:
        text = normalize_chars("".join(self.buffer)).replace("\xa0", " ")
        self.buffer = []
        for line in text.split("\n"):
            line = re.sub(r"[ \t\u3000]+", " ", line).strip()
            if line:
                self.blocks.append(Paragraph(line, Location(None, f"p{len(self.blocks)}")))

    def walk(self, el) -> None:
        if not isinstance(el.tag, str):          # comments, processing instructions
            self.buffer.append(el.tail or "")
            return
        tag = el.tag.lower()
        if _is_chrome(el):
            self.buffer.append(el.tail or "")
            return
        if tag == "br":
            self.buffer.append("\n" + (el.tail or ""))
            return
        if tag == "table" and el.find(".//table") is None:
            self.flush()
            self.table(el)
            self.buffer.append(el.tail or "")
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
        self.buffer.append(el.text or "")
        for child in el:
            self.walk(child)
        if block:
            self.flush()
        self.buffer.append(el.tail or "")

    def table(self, el) -> None:
        rows = [tr for tr in el.iter("tr") if tr.getparent() is el or tr.getparent().getparent() is el]
        grid = expand_spans(rows)
        if _is_metadata(grid):
            for row in grid:
                for label, value in zip(row[::2], row[1::2]):
                    label = label.rstrip("：:").strip()
                    if label:
                        self.metadata[label] = value
            return
        self.tables += 1
        cells = [Cell(r, c, text, row_span=rs, col_span=cs,
                      location=Location(None, f"t{self.tables}.r{r}.c{c}"))
                 for r, c, text, rs, cs in _cells(rows)]
        if cells:
            self.blocks.append(Table(cells, Location(None, f"t{self.tables}")))


def _cell_text(td) -> str:
    parts = []
    for piece in td.itertext():
        parts.append(piece)
    return join_wrapped("".join(parts).replace("\xa0", " ").strip())


def _cells(rows) -> list[tuple[int, int, str, int, int]]:
    """(row, col, text, row_span, col_span) with spans placed on the grid."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rs = _span(td.get("rowspan"))
            cs = _span(td.get("colspan"))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            out.append((r, c, _cell_text(td), rs, cs))
            c += cs
    return out


def expand_spans(rows) -> list[list[str]]:
    """The table as grid rows of text (spanned positions blank)."""
    cells = _cells(rows)
    n_rows = max((r + rs for r, _, _, rs, _ in cells), default=0)
    n_cols = max((c + cs for _, c, _, _, cs in cells), default=0)
    grid = [[""] * n_cols for _ in range(n_rows)]
    for r, c, text, _, _ in cells:
        grid[r][c] = text
    return grid


def _span(value) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return 1


def _is_metadata(grid: list[list[str]]) -> bool:
    """A small label/value table: every even cell a short label ending in a colon."""
    if not grid or len(grid) > 6 or any(len(row) % 2 for row in grid):
        return False
    labels = [cell for row in grid for cell in row[::2]]
    return bool(labels) and all(_META_LABEL.match(label) and not _META_LABEL.match(label).group(2)
                                for label in labels if label) and any(labels)
