"""A PDF page's characters and ruling edges read by pypdfium2, in pdfplumber's terms.

pdfplumber finds a ruled table's grid and crops each cell's text well (see
:mod:`ingest.readers.pdf_tables`), but it gets the page's characters and paths
from pdfminer, which interprets the content stream in pure Python: ~92 % of
all PDF reading time was pdfminer tokenising the sample reports' pages. PDFium
(C, already open for the text layer) has parsed the same page. This module
hands pdfplumber's own table finder (``TableFinder``; cell text by
``Table.extract``; ``dedupe_chars``) the page's characters and path objects as
PDFium read them, each in the form pdfplumber builds from pdfminer's, so the
grid, the snapping of edges and the cell text stay pdfplumber's code. The
paths are :mod:`ingest.readers.pdf_paths`'; the characters:

* **Boxes**: pdfminer's box is the advance width by the font size from the
  font's descent up (not the glyph's ink, nor PDFium's loose box, which falls
  back to the ink where a font gives no ascent): origin, text matrix, font
  size and descent come from PDFium and the box is computed as pdfminer does.
  Font name and size are kept for ``dedupe_chars``.
* **Order**: the content stream's, text object by text object (pdfminer's).
  Characters PDFium generated (inferred spaces, line breaks) are not in the
  stream and not in pdfminer's list.
* **A space printed on its own** (WPS prints every character with its own
  ``Tj``): PDFium leaves such a text object out of its text page (and may put
  a generated space elsewhere); pdfminer reads it, and it separates two words
  in a cell (``1. 一般公共预算``). A text object with no characters in the text
  page and no ink (zero-size bounds) is that space, at its origin.
* **Fake bold** (WPS prints a heading twice, a fraction of a point apart):
  PDFium drops the second copy itself; a dropped object within
  ``DEDUPE_TOLERANCE`` of a printed one of the same font and size is such a
  copy, which ``dedupe_chars`` would drop too.
* **Where the two could disagree** the page is not read here and the caller
  uses pdfplumber as before (``None``): a rotated page, a media box not at the
  origin or a crop box unlike it, a form XObject (nested matrices), a
  character PDFium could not map to Unicode (pdfminer writes ``(cid:N)``), text
  that is not upright, a dropped text object that is neither of the above, or
  a path coordinate printed finer than a float keeps that the content stream
  can't vouch for either (see :mod:`ingest.readers.pdf_paths`).
"""
from __future__ import annotations

import ctypes
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c

from ingest.readers.pdf_dedupe import unique_chars
from ingest.readers.pdf_paths import edges, page_objects, shortest
from ingest.readers.pdf_text import PageText
from ingest.readers.pdfium_calls import (
    get_char_origin,
    get_font_size,
    get_loose_char_box,
    get_matrix,
    get_text_object,
    get_unicode,
    has_unicode_map_error,
    is_generated,
)

DEDUPE_TOLERANCE = 1.0  # dedupe_chars' default: copies this close are one character

@dataclass
class ObjectPage:
    """The slice of ``pdfplumber.Page`` that its table finder reads."""

    bbox: tuple[float, float, float, float]
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)

    def dedupe_chars(self) -> ObjectPage:
        """pdfplumber's ``dedupe_chars`` (its default tolerance, 1 pt), the same
        survivors in the same order (:mod:`ingest.readers.pdf_dedupe`)."""
        return ObjectPage(self.bbox, unique_chars(self.chars, DEDUPE_TOLERANCE), self.edges)


def content_stream(plumber_page) -> bytes | None:
    """The page's content stream(s) as pdfminer reads them (decoded, joined)."""
    from pdfminer.pdftypes import stream_value

    try:
        return b"\n".join(stream_value(s).get_data() for s in plumber_page.page_obj.contents)
    except Exception:  # noqa: BLE001 — a broken stream: the objects are read another way
        return None


def object_kinds(objects: list[tuple[object, int]]) -> Counter:
    """How many objects of each type the page draws (``objects``: its
    ``page_objects``), one form XObject deep."""
    kinds: Counter = Counter(kind for _, kind in objects)
    for obj, kind in objects:
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            for j in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                kinds[pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFFormObj_GetObject(obj, j))] += 1
    return kinds


def read_objects(fpage, textpage, doctop: float, content: bytes | None = None,
                 objects: list[tuple[object, int]] | None = None,
                 text: PageText | None = None) -> ObjectPage | None:
    """The page's characters and edges, or None where pdfplumber must read it
    (``objects``: ``page_objects(fpage.raw)``, ``text``: ``pdf_text.page_text``
    of ``textpage``, where the caller has them: what PDFium said there is not
    asked again)."""
    height = _page_height(fpage)
    if height is None:
        return None
    objects = page_objects(fpage.raw) if objects is None else objects
    chars = _chars(objects, textpage.raw, height, doctop, PageText() if text is None else text)
    if chars is None:
        return None
    ruling = edges(objects, height, doctop, content)
    if ruling is None:
        return None
    return ObjectPage((0.0, 0.0, _page_width(fpage), height), chars, ruling)


def page_height(fpage) -> float:
    """The media box height, turned with the page (pdfplumber's page height,
    by which its ``doctop`` steps from page to page)."""
    box = _box(fpage.raw, pdfium_c.FPDFPage_GetMediaBox)
    if box is None:
        return float(fpage.get_size()[1])
    if pdfium_c.FPDFPage_GetRotation(fpage.raw) in (1, 3):
        return abs(box[2] - box[0])
    return abs(box[3] - box[1])


def _box(raw, getter) -> tuple[float, float, float, float] | None:
    values = [ctypes.c_float() for _ in range(4)]
    if not getter(raw, *values):
        return None
    left, bottom, right, top = (shortest(v.value) for v in values)
    return left, bottom, right, top


def _page_height(fpage) -> float | None:
    if pdfium_c.FPDFPage_GetRotation(fpage.raw) != 0:
        return None
    media = _box(fpage.raw, pdfium_c.FPDFPage_GetMediaBox)
    if media is None or media[0] != 0 or media[1] != 0 or media[2] <= 0 or media[3] <= 0:
        return None
    crop = _box(fpage.raw, pdfium_c.FPDFPage_GetCropBox)
    if crop is not None and crop != media:
        return None
    return media[3]


def _page_width(fpage) -> float:
    media = _box(fpage.raw, pdfium_c.FPDFPage_GetMediaBox)
    return media[2] if media else float(fpage.get_size()[0])


# --- characters --------------------------------------------------------------

def _chars(objects: list[tuple[object, int]], raw, height: float, doctop: float,
           text: PageText) -> list[dict] | None:
    """The page's characters in content-stream order (pdfminer's), text object
    by text object; a text object PDFium left out of the text page is a space
    where it prints nothing (see module doc), otherwise the page is pdfplumber's.
    (``text``: what ``page_text`` already asked PDFium of them, if anything.)"""
    by_object: dict[int, list[int]] = {}
    map_errors = text.map_errors
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        if is_generated(raw, i):
            continue
        error = map_errors.get(i)
        if error is None:
            error = has_unicode_map_error(raw, i)
        if error:
            return None
        key = get_text_object(raw, i) or 0   # its address, as ``_key`` gives it
        by_object.setdefault(key, []).append(i)
    reader = _CharReader(raw, height, doctop, text)
    out: list[dict] = []
    printed_objects: list = []
    for obj, kind in objects:
        if kind != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        indices = by_object.pop(_key(obj), None)
        if indices is None:
            if _blank(obj):
                space = reader.space(obj)
                if space is None:
                    return None
                out.append(space)
            elif not any(_doubles(obj, _signature(other)) for other in reversed(printed_objects)):
                return None        # PDFium dropped a glyph pdfminer would read
            continue
        printed_objects.append(obj)
        font = reader.font(pdfium_c.FPDFTextObj_GetFont(obj))
        for i in indices:
            char = reader.char(i, font)
            if char is None:
                return None
            if char["text"] not in ("\r", "\n", ""):
                out.append(char)
    if by_object:
        return None                # characters of no page-level text object
    return out


def _bounds(obj) -> tuple[float, float, float, float]:
    values = [ctypes.c_float() for _ in range(4)]
    pdfium_c.FPDFPageObj_GetBounds(obj, *values)
    left, bottom, right, top = (v.value for v in values)
    return left, bottom, right, top


def _blank(obj) -> bool:
    """A text object that prints no ink (zero-size bounds): a space."""
    left, bottom, right, top = _bounds(obj)
    return left == right and bottom == top


def _signature(obj) -> tuple:
    size = ctypes.c_float()
    pdfium_c.FPDFTextObj_GetFontSize(obj, size)
    return (_bounds(obj), _key(pdfium_c.FPDFTextObj_GetFont(obj)), size.value)


def _doubles(obj, other: tuple) -> bool:
    """Whether ``obj`` prints what ``other`` printed, less than a point away:
    the copy of fake bold that PDFium drops and ``dedupe_chars`` would drop."""
    bounds, font, size = _signature(obj)
    return font == other[1] and size == other[2] and all(
        abs(a - b) < DEDUPE_TOLERANCE for a, b in zip(bounds, other[0]))


def _key(pointer) -> int:
    """The address a PDFium handle points at (equal handles, equal keys)."""
    return ctypes.addressof(pointer.contents) if pointer else 0


class _CharReader:
    """pdfminer's box of a character (module doc), from PDFium's origin, matrix,
    font size and font descent."""

    def __init__(self, raw, height: float, doctop: float, known: PageText):
        self.raw, self.height, self.doctop = raw, height, doctop
        self.known = known   # what page_text asked PDFium of the characters
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.matrix = pdfium_c.FS_MATRIX()
        self.loose = pdfium_c.FS_RECTF()
        # where PDFium writes them (pointers, as pdfium_calls' functions take them)
        self.to_x, self.to_y, self.to_matrix, self.to_loose = map(
            ctypes.pointer, (self.x, self.y, self.matrix, self.loose))
        self.fonts: dict[int, tuple[str, float]] = {}

    def char(self, i: int, font: tuple[str, float]) -> dict | None:
        """Character ``i``, in pdfplumber's form (``font``: its text object's font,
        as ``self.font`` gives it)."""
        raw, m, known = self.raw, self.matrix, self.known
        code = known.codes[i] if i < len(known.codes) else get_unicode(raw, i)
        get_char_origin(raw, i, self.to_x, self.to_y)
        get_matrix(raw, i, self.to_matrix)
        width = known.widths.get(i)
        if width is None:
            get_loose_char_box(raw, i, self.to_loose)
            width = self.loose.right - self.loose.left
        size = get_font_size(raw, i)
        adv = width / m.a if m.a else 0.0
        return self._box(chr(code) if code else "", font, size, (m.a, m.b, m.c, m.d),
                         self.x.value, self.y.value, adv)

    def space(self, obj) -> dict | None:
        """The space a blank text object prints, at its origin, zero wide."""
        m = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFPageObj_GetMatrix(obj, m)
        size = ctypes.c_float()
        pdfium_c.FPDFTextObj_GetFontSize(obj, size)
        return self._box(" ", self.font(pdfium_c.FPDFTextObj_GetFont(obj)), size.value,
                         (m.a, m.b, m.c, m.d), m.e, m.f, 0.0)

    def _box(self, text: str, font: tuple[str, float], size: float, abcd, ox: float, oy: float,
             adv: float) -> dict | None:
        a, b, c, d = map(shortest, abcd)
        if not (a * d > 0 and b * c <= 0):
            return None            # not upright: pdfplumber reads the page
        size = shortest(size)
        name, unit_descent = font
        descent = unit_descent * size
        lower = (c * descent + ox, d * descent + oy)
        upper = (a * adv + c * (descent + size) + ox, b * adv + d * (descent + size) + oy)
        x0, x1 = sorted((lower[0], upper[0]))
        y0, y1 = sorted((lower[1], upper[1]))
        top = self.height - y1
        return {
            "object_type": "char", "text": text, "fontname": name,
            "x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "size": y1 - y0, "upright": True,
            "top": top, "bottom": self.height - y0, "doctop": self.doctop + top,
        }

    def font(self, font) -> tuple[str, float]:
        """(base font name, descent per unit of font size) of a font handle: asked
        once per text object, read once per font."""
        key = _key(font)
        if key not in self.fonts:
            buf = ctypes.create_string_buffer(256)
            n = pdfium_c.FPDFFont_GetBaseFontName(font, buf, len(buf))
            descent = ctypes.c_float()
            pdfium_c.FPDFFont_GetDescent(font, 1.0, descent)
            self.fonts[key] = (buf.raw[:max(n - 1, 0)].decode("utf-8", "replace"),
                               shortest(descent.value))
        return self.fonts[key]
