"""A PDF page's text as positioned lines, read with pypdfium2.

Why pdfium and not pdfplumber's ``extract_text``: in PDFs whose digits are set
in another font than the CJK text (ONLYOFFICE exports: FangSong + Times New
Roman) the two fonts' glyph boxes differ in height, and pdfplumber's line
clustering pushes every number of a sentence onto the next line (pdfplumber
#680). PDFium keeps the reading order of the content stream.

Each character comes with its box; a line is broken where PDFium breaks it and
where a character starts below the current line. Within a line a horizontal
gap of several character widths separates *segments* — two things printed on
one baseline that are not one sentence (``编制部门：某某局`` on the left,
``单位：元`` on the right) — and each segment becomes its own paragraph.

Coordinates are pdfplumber's: points from the page's top-left corner.
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from operator import attrgetter

import pypdfium2.raw as pdfium_c

from ingest.readers.clean import normalize_chars
from ingest.readers.pdfium_calls import get_char_box, get_loose_char_box, get_unicode, has_unicode_map_error

SEGMENT_GAP = 3.5      # a gap this many font sizes wide separates two segments


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass(slots=True)
class Segment:
    """A run of text on one line: one paragraph of the rendering."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def locator(self) -> str:
        return f"{self.x0:.1f},{self.top:.1f},{self.x1:.1f},{self.bottom:.1f}"


@dataclass(slots=True)
class PageText:
    segments: list[Segment] = field(default_factory=list)
    raw: str = ""                  # all the page's text, for judging the text layer
    unmapped: int = 0              # characters whose font has no Unicode mapping
    # what PDFium said of each character (by index), asked once for both readers of
    # a page's characters (``pdf_objects`` asks the same of a table page's):
    codes: list[int] = field(default_factory=list)             # FPDFText_GetUnicode
    map_errors: dict[int, int] = field(default_factory=dict)   # FPDFText_HasUnicodeMapError
    widths: dict[int, float] = field(default_factory=dict)     # loose box's right − left


def page_text(textpage, height: float) -> PageText:
    """The page's characters grouped into lines and segments."""
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    loose = pdfium_c.FS_RECTF()
    # where PDFium writes a box (pointers, as pdfium_calls' functions take them)
    to_left, to_right, to_bottom, to_top, to_loose = map(ctypes.pointer, (left, right, bottom, top, loose))
    result = PageText()
    texts: list[str] = []
    line: list[Char | None] = []   # None marks a space between words
    lines: list[list[Char | None]] = []
    last: Char | None = None       # the line's last character (not a space)
    codes, map_errors, widths = result.codes, result.map_errors, result.widths
    for i in range(n):
        code = get_unicode(raw, i)
        codes.append(code)
        ch = chr(code) if code else ""
        texts.append(ch)
        if ch in ("\r", "\n"):
            if line:
                lines.append(line)
            line, last = [], None
            continue
        if ch.isspace() or not ch:
            if line and line[-1] is not None:
                line.append(None)
            continue
        error = map_errors[i] = has_unicode_map_error(raw, i)
        if error:
            result.unmapped += 1
        get_char_box(raw, i, to_left, to_right, to_bottom, to_top)
        # the line box is the font's (ascent to descent), not the glyph's: thin
        # glyphs (一 、 , .) have tight boxes far from their line's middle
        get_loose_char_box(raw, i, to_loose)
        widths[i] = loose.right - loose.left
        size = (loose.top - loose.bottom) or (top.value - bottom.value) or 1.0
        c = Char(ch, left.value, height - loose.top, right.value, height - loose.bottom, size)
        if c.bottom <= 0 or c.top >= height:
            continue   # wholly above or below the page: in the content stream, never printed
        if last is not None and not _same_line(last, c):
            lines.append(line)
            line = []
        line.append(c)
        last = c
    if line:
        lines.append(line)
    result.raw = normalize_chars("".join(texts))
    for chars in lines:
        result.segments.extend(_segments(chars))
    return result


def _same_line(last: Char, c: Char) -> bool:
    """Whether ``c`` continues the line whose last character is ``last``: its
    middle within the line's height."""
    middle = (c.top + c.bottom) / 2
    if c.x0 < last.x0 - 2 * last.size:      # went back to the left: a new line
        return False
    return last.top - 1 <= middle <= last.bottom + 1 or (
        c.top <= (last.top + last.bottom) / 2 <= c.bottom)


def _segments(chars: list[Char | None]) -> list[Segment]:
    out: list[Segment] = []
    current: list[Char | None] = []
    prev: Char | None = None
    for c in chars:
        if c is None:
            current.append(None)
            continue
        if prev is not None and c.x0 - prev.x1 > SEGMENT_GAP * (c.size if c.size > prev.size else prev.size):
            out.append(_segment(current))
            current = []
        current.append(c)
        prev = c
    if current:
        out.append(_segment(current))
    return [s for s in out if s.text]


def _segment(chars: list[Char | None]) -> Segment:
    real = [c for c in chars if c is not None]
    parts: list[str] = []   # one character each (a Char's text is one, never a blank)
    for c in chars:
        if c is None:
            if parts and parts[-1] != " ":
                parts.append(" ")
        else:
            parts.append(c.text)
    text = normalize_chars("".join(parts)).strip()
    return Segment(_tidy_spaces(text), min(map(_X0, real)), min(map(_TOP, real)),
                   max(map(_X1, real)), max(map(_BOTTOM, real)))


_X0, _TOP, _X1, _BOTTOM = map(attrgetter, ("x0", "top", "x1", "bottom"))
_SPACES = re.compile(r" {2,}")


def _tidy_spaces(text: str) -> str:
    """Collapse runs of spaces; keep single spaces as printed."""
    return _SPACES.sub(" ", text)
