"""PDFium's per-character, per-object and per-segment functions, called without
ctypes' argument conversion.

pypdfium2's raw bindings declare every function's argument types, so on every
call ctypes passes each argument through its declared type's ``from_param``:
about 0.45 µs a call here, and a page's reader makes four calls per character
for its text, five or more again for a table page's characters. The same
functions — the same addresses in the same library — declared with their
return type only take their arguments as given: a handle or a pointer object
is passed as the address it holds and a Python int as a C ``int``, at about
0.23 µs a call. Same functions, same outputs.

What makes that safe, and what a caller must keep to:

* only functions whose every parameter is a handle, a pointer or an ``int``
  are declared so: a ``float`` or ``double`` passed undeclared would go in the
  wrong register, and a structure by value;
* a caller passes a **pointer** where the function writes (``ctypes.pointer``
  of a ``c_double`` or an ``FS_RECTF``, made once), never the ctypes object
  itself, which would be passed by value;
* each return type is the one PDFium declares (``unsigned int`` for a code
  point, ``double`` for a font size, a handle as ``c_void_p``: its address as
  an ``int``, ``None`` for NULL);
* a handle one of them returned goes back in as a ``c_void_p`` of that
  address (a bare ``int`` would be passed as a 32-bit C ``int``).

``tests/test_pdfium_calls.py`` holds each of them to its pypdfium2 binding on
a drawn page that has every kind of character, object and segment they read.
"""
from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c


def _undeclared(name: str, restype):
    """``pdfium_c.<name>`` with its return type declared and no argument types."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype)(address)


# (text page, index) → code point (0 where it has none)
get_unicode = _undeclared("FPDFText_GetUnicode", ctypes.c_uint)
# (text page, index) → 1 where the font maps the character to no Unicode
has_unicode_map_error = _undeclared("FPDFText_HasUnicodeMapError", ctypes.c_int)
# (text page, index) → 1 for a character PDFium made (a space, a line break)
is_generated = _undeclared("FPDFText_IsGenerated", ctypes.c_int)
# (text page, index, *left, *right, *bottom, *top: double)
get_char_box = _undeclared("FPDFText_GetCharBox", ctypes.c_int)
# (text page, index, *FS_RECTF)
get_loose_char_box = _undeclared("FPDFText_GetLooseCharBox", ctypes.c_int)
# (text page, index, *x, *y: double)
get_char_origin = _undeclared("FPDFText_GetCharOrigin", ctypes.c_int)
# (text page, index, *FS_MATRIX)
get_matrix = _undeclared("FPDFText_GetMatrix", ctypes.c_int)
# (text page, index) → font size
get_font_size = _undeclared("FPDFText_GetFontSize", ctypes.c_double)
# (text page, index) → the character's text object's address (None: none)
get_text_object = _undeclared("FPDFText_GetTextObject", ctypes.c_void_p)
# (path object, index) → the segment's handle (its address)
get_path_segment = _undeclared("FPDFPath_GetPathSegment", ctypes.c_void_p)
# (segment, *x, *y: float)
get_segment_point = _undeclared("FPDFPathSegment_GetPoint", ctypes.c_int)
# (segment) → FPDF_SEGMENT_*
get_segment_type = _undeclared("FPDFPathSegment_GetType", ctypes.c_int)
# (segment) → 1 where the segment closes its subpath
get_segment_close = _undeclared("FPDFPathSegment_GetClose", ctypes.c_int)
# (page object) → FPDF_PAGEOBJ_*
get_object_type = _undeclared("FPDFPageObj_GetType", ctypes.c_int)
