"""``ingest.readers.pdfium_calls`` declares PDFium's per-character and per-segment
functions with their return types only: each must give what pypdfium2's declared
binding of the same function gives, for every character, object and segment of
a page that has them all (CJK and ASCII text in two fonts, a space drawn on its
own, a rotated and a scaled text, lines, a rectangle, a curve, a closed path)."""
from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from ingest.readers import pdfium_calls as calls
from tests.pdf_drawing import FONT, canvas


def _page_pdf() -> bytes:
    c, out = canvas()
    c.drawString(50, 350, "一般公共预算财政拨款收入 1,234.56 万元")
    c.setFont("Helvetica", 9)
    c.drawString(50, 330, "Total 2024: 98.7%")
    c.setFont(FONT, 12)
    c.drawString(300, 330, " ")                  # a space on its own
    c.saveState()
    c.translate(400, 200)
    c.rotate(30)
    c.drawString(0, 0, "旋转")
    c.restoreState()
    c.saveState()
    c.scale(1.5, 0.8)
    c.drawString(60, 200, "缩放 7.5")
    c.restoreState()
    c.line(50, 300, 550, 300)
    c.rect(60, 100, 120.25, 40.5)
    path = c.beginPath()
    path.moveTo(300, 100)
    path.curveTo(320, 150, 380, 150, 400, 100)
    path.lineTo(350, 60)
    path.close()
    c.drawPath(path, stroke=1, fill=0)
    c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def page():
    doc = pdfium.PdfDocument(_page_pdf())
    fpage = doc[0]
    textpage = fpage.get_textpage()
    yield fpage, textpage
    textpage.close()
    fpage.close()
    doc.close()


def _address(pointer) -> int | None:
    return ctypes.cast(pointer, ctypes.c_void_p).value


def test_each_character_reads_the_same_through_both_declarations(page):
    _, textpage = page
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    assert n > 30
    declared = [ctypes.c_double() for _ in range(4)]
    lean = [ctypes.c_double() for _ in range(4)]
    rect_d, rect_l = pdfium_c.FS_RECTF(), pdfium_c.FS_RECTF()
    m_d, m_l = pdfium_c.FS_MATRIX(), pdfium_c.FS_MATRIX()
    seen_null_object = seen_generated = False
    for i in range(n):
        assert calls.get_unicode(raw, i) == pdfium_c.FPDFText_GetUnicode(raw, i)
        assert calls.has_unicode_map_error(raw, i) == pdfium_c.FPDFText_HasUnicodeMapError(raw, i)
        generated = calls.is_generated(raw, i)
        assert generated == pdfium_c.FPDFText_IsGenerated(raw, i)
        seen_generated |= generated == 1
        assert (calls.get_char_box(raw, i, *map(ctypes.pointer, lean))
                == pdfium_c.FPDFText_GetCharBox(raw, i, *declared))
        assert [v.value for v in lean] == [v.value for v in declared]
        assert (calls.get_loose_char_box(raw, i, ctypes.pointer(rect_l))
                == pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect_d))
        assert (rect_l.left, rect_l.top, rect_l.right, rect_l.bottom) == (
            rect_d.left, rect_d.top, rect_d.right, rect_d.bottom)
        assert (calls.get_char_origin(raw, i, ctypes.pointer(lean[0]), ctypes.pointer(lean[1]))
                == pdfium_c.FPDFText_GetCharOrigin(raw, i, declared[0], declared[1]))
        assert (lean[0].value, lean[1].value) == (declared[0].value, declared[1].value)
        assert calls.get_matrix(raw, i, ctypes.pointer(m_l)) == pdfium_c.FPDFText_GetMatrix(raw, i, m_d)
        assert (m_l.a, m_l.b, m_l.c, m_l.d, m_l.e, m_l.f) == (m_d.a, m_d.b, m_d.c, m_d.d, m_d.e, m_d.f)
        assert calls.get_font_size(raw, i) == pdfium_c.FPDFText_GetFontSize(raw, i)
        text_object = calls.get_text_object(raw, i)
        assert text_object == _address(pdfium_c.FPDFText_GetTextObject(raw, i))
        seen_null_object |= text_object is None
    assert seen_generated and seen_null_object   # (a generated character has no text object)
    # a rotated character's matrix was read: not every matrix is upright
    assert any(calls.get_matrix(raw, i, ctypes.pointer(m_l)) and m_l.b != 0 for i in range(n))


def test_each_object_and_path_segment_reads_the_same_through_both_declarations(page):
    fpage, _ = page
    x_d, y_d, x_l, y_l = (ctypes.c_float() for _ in range(4))
    kinds, segments = set(), []
    for j in range(pdfium_c.FPDFPage_CountObjects(fpage.raw)):
        obj = pdfium_c.FPDFPage_GetObject(fpage.raw, j)
        kind = calls.get_object_type(obj)
        assert kind == pdfium_c.FPDFPageObj_GetType(obj)
        kinds.add(kind)
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
            declared = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            address = calls.get_path_segment(obj, i)
            assert address == _address(declared)
            seg = ctypes.c_void_p(address)
            assert (calls.get_segment_point(seg, ctypes.pointer(x_l), ctypes.pointer(y_l))
                    == pdfium_c.FPDFPathSegment_GetPoint(declared, x_d, y_d))
            assert (x_l.value, y_l.value) == (x_d.value, y_d.value)
            kind = calls.get_segment_type(seg)
            assert kind == pdfium_c.FPDFPathSegment_GetType(declared)
            close = calls.get_segment_close(seg)
            assert close == pdfium_c.FPDFPathSegment_GetClose(declared)
            segments.append((kind, close))
    assert {pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH} <= kinds
    assert {pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO,
            pdfium_c.FPDF_SEGMENT_BEZIERTO} <= {k for k, _ in segments}
    assert any(close for _, close in segments)


def test_a_segment_past_the_end_is_null_both_ways(page):
    fpage, _ = page
    for j in range(pdfium_c.FPDFPage_CountObjects(fpage.raw)):
        obj = pdfium_c.FPDFPage_GetObject(fpage.raw, j)
        if calls.get_object_type(obj) == pdfium_c.FPDF_PAGEOBJ_PATH:
            past = pdfium_c.FPDFPath_CountSegments(obj)
            assert calls.get_path_segment(obj, past) is None
            assert not pdfium_c.FPDFPath_GetPathSegment(obj, past)
            # a NULL segment, passed back in, is refused as the declared binding refuses it
            assert calls.get_segment_type(ctypes.c_void_p(None)) == pdfium_c.FPDFPathSegment_GetType(None)
            return
    pytest.fail("the page drew no path")
