"""Ruled tables read from pypdfium2's objects (``ingest.readers.pdf_objects``)
must be the tables pdfplumber reads from pdfminer's: each layout quirk is drawn
here and read both ways."""
from __future__ import annotations

import io

import pdfplumber
import pypdfium2 as pdfium
import pytest

from ingest.readers.pdf_content import painted_paths
from ingest.readers.pdf_objects import content_stream, read_objects
from ingest.readers.pdf_tables import ruled_tables
from tests.pdf_drawing import FONT
from tests.pdf_drawing import canvas as _canvas
from tests.pdf_drawing import grid as _grid


def _both(data: bytes, stream: bool = True):
    """(tables from pypdfium2's objects or None, tables from pdfplumber) of page 1;
    the content stream given for the paths' printed numbers unless ``stream`` is off."""
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    textpage = page.get_textpage()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        content = content_stream(pdf.pages[0]) if stream else None
        objects = read_objects(page, textpage, 0.0, content)
        fast = ruled_tables(objects, 1) if objects is not None else None
        slow = ruled_tables(pdf.pages[0], 1)
    textpage.close()
    page.close()
    doc.close()
    return fast, slow


def _texts(table):
    return {(cell.row, cell.col): cell.text for cell in table.cells}


def _finish(c, out) -> bytes:
    c.showPage()
    c.save()
    return out.getvalue()


def test_a_plain_ruled_table_reads_the_same_both_ways():
    c, out = _canvas()
    _grid(c, [50, 200, 320], [350, 328, 306, 284])
    for r, (name, amount) in enumerate([("项目", "金额"), ("基本支出", "1,234.56"), ("项目支出", "78.90")]):
        c.drawString(54, 335 - 22 * r, name)
        c.drawRightString(316, 335 - 22 * r, amount)
    fast, slow = _both(_finish(c, out))
    assert fast == slow
    assert _texts(fast[0])[(1, 1)] == "1,234.56"
    assert fast[0].location.locator == "50.0,50.0,320.0,116.0"


def test_fake_bold_drawn_twice_is_read_once():
    """WPS prints a bold heading twice, a fraction of a point apart."""
    c, out = _canvas()
    _grid(c, [50, 200, 320], [350, 328, 306])
    for dx in (0, 0.3):
        c.drawString(54 + dx, 335, "收入合计")
    c.drawString(204, 335, "金额")
    c.drawString(54, 313, "其他")
    c.drawString(204, 313, "5.00")
    fast, slow = _both(_finish(c, out))
    assert fast == slow
    assert _texts(fast[0])[(0, 0)] == "收入合计"


def test_a_merged_cell_spans_the_grid_positions_it_covers():
    c, out = _canvas()
    _grid(c, [50, 150, 250, 350], [350, 328, 306], skip={(2, 0)})
    c.drawCentredString(200, 335, "本年支出")
    c.drawString(54, 335, "科目")
    for col, text in enumerate(["合计", "1.00", "2.00"]):
        c.drawString(54 + 100 * col, 313, text)
    fast, slow = _both(_finish(c, out))
    assert fast == slow
    merged = next(cell for cell in fast[0].cells if cell.text == "本年支出")
    assert (merged.row, merged.col, merged.col_span) == (0, 1, 2)


def test_a_wrapped_cell_is_joined():
    c, out = _canvas()
    _grid(c, [50, 110, 250], [350, 310, 288])
    c.drawString(54, 337, "本年收入合")
    c.drawString(54, 325, "计")
    c.drawString(114, 330, "9.00")
    c.drawString(54, 295, "其他")
    c.drawString(114, 295, "1.00")
    fast, slow = _both(_finish(c, out))
    assert fast == slow
    assert _texts(fast[0])[(0, 0)] == "本年收入合计"


def test_a_one_column_frame_is_not_a_table():
    c, out = _canvas()
    c.rect(50, 250, 300, 100)
    c.drawString(60, 330, "目录")
    c.drawString(60, 310, "一、部门概况")
    fast, slow = _both(_finish(c, out))
    assert fast == slow == []


def test_a_space_printed_on_its_own_is_kept():
    """WPS prints each character with its own Tj; PDFium leaves a lone space
    out of its text page, pdfminer keeps it, and it separates the words."""
    c, out = _canvas()
    _grid(c, [50, 250, 350], [350, 328, 306])
    t = c.beginText(54, 335)
    t.setFont(FONT, 10)
    for ch in "1. 一般公共预算":
        t.textOut(ch)
    c.drawText(t)
    c.drawString(254, 335, "3.00")
    c.drawString(54, 313, "合计")
    c.drawString(254, 313, "3.00")
    fast, slow = _both(_finish(c, out))
    assert fast == slow
    assert _texts(fast[0])[(0, 0)] == "1. 一般公共预算"


def test_rectangles_keep_pdfminers_arithmetic():
    """``x y w h re``: pdfminer adds w to x in doubles (105.27 + 0.96 is
    106.23000000000002); a box on a .x5 boundary rounds the same way."""
    c, out = _canvas()
    for y in (105.27, 127.77, 150.27):
        c.rect(54.75, y, 300.46, 0.96, stroke=0, fill=1)
    for x in (54.75, 200.25, 355.21):
        c.rect(x, 105.27, 0.96, 45.96, stroke=0, fill=1)
    c.drawString(60, 135, "项目")
    c.drawString(210, 135, "1.00")
    c.drawString(60, 112, "合计")
    c.drawString(210, 112, "1.00")
    fast, slow = _both(_finish(c, out))
    assert fast == slow
    assert len(fast) == 1 and len(fast[0].cells) == 4


def _fine_grid() -> bytes:
    """A grid printed with 5 decimals on 3-digit coordinates (ONLYOFFICE)."""
    c, out = _canvas()
    for y in ("350.12346", "328.55557", "306.98768"):
        c.addLiteral(f"q 0.74999 w 50.11111 {y} m 320.33337 {y} l S Q")
    for x in ("50.11111", "200.77779", "320.33337"):
        c.addLiteral(f"q 0.74999 w {x} 350.12346 m {x} 306.98768 l S Q")
    c.drawString(54, 335, "项目")
    c.drawString(204, 335, "123.45")
    c.drawString(54, 313, "合计")
    c.drawString(204, 313, "123.45")
    return _finish(c, out)


def test_coordinates_finer_than_a_float_come_from_the_content_stream():
    """PDFium's 32-bit floats lose the last digit of 320.33337; the stream has it."""
    fast, slow = _both(_fine_grid())
    assert fast is not None and fast == slow
    assert fast[0].cells[1].x1 == slow[0].cells[1].x1 == 320.33337


def test_without_the_stream_fine_coordinates_are_left_to_pdfplumber():
    fast, _ = _both(_fine_grid(), stream=False)
    assert fast is None


def test_the_stream_scan_follows_pdfminers_paths():
    paths = painted_paths(
        b"q 1 0 0 -1 0 595 cm 10 20 30.5 0.96 re f Q (a (nested) \\) m) Tj "
        b"1 2 m 3 4 l 5 6 7 8 9 10 c h S 1 1 m 2 2 l W n [(x) 2 (y)] TJ 0 0 m 1 1 l s")
    assert paths == [
        ((1.0, 0.0, 0.0, -1.0, 0.0, 595.0),
         [("m", 10.0, 20.0), ("l", 40.5, 20.0), ("l", 40.5, 20.96), ("l", 10.0, 20.96), ("h",)]),
        ((1, 0, 0, 1, 0, 0),
         [("m", 1.0, 2.0), ("l", 3.0, 4.0), ("c", 5.0, 6.0, 7.0, 8.0, 9.0, 10.0), ("h",)]),
        ((1, 0, 0, 1, 0, 0), [("m", 0.0, 0.0), ("l", 1.0, 1.0), ("h",)]),
    ]


def test_numbers_in_every_printed_form_read_the_same_by_the_scan_and_the_tokeniser():
    # blanks of every kind between numbers; no literal string: the direct scan, with
    # one: the tokeniser, and both give pdfminer's paths
    body = b"1.\t.5\n m +3 -4.25\r\nl\x0c0 \x0b-.75 l S 2 0 0 2 +0. -1 cm 1 1 m 2 2 l S"
    expected = [((1, 0, 0, 1, 0, 0), [("m", 1.0, 0.5), ("l", 3.0, -4.25), ("l", 0.0, -0.75)]),
                ((2.0, 0.0, 0.0, 2.0, 0.0, -1.0), [("m", 1.0, 1.0), ("l", 2.0, 2.0)])]
    assert painted_paths(body) == painted_paths(b"(a) Tj " + body) == expected


@pytest.mark.parametrize("stream", [b"BI /W 1 ID \x00\x01 EI", b"0 0 m 1 1 l F", b"1 m S",
                                    b"(unclosed", b"(a) Tj 0 0 m 1 1 l F"])
def test_what_the_stream_scan_does_not_model_is_refused(stream):
    assert painted_paths(stream) is None


def test_operator_letters_in_names_and_hex_strings_are_not_operators():
    paths = painted_paths(b"/GS1 gs <0c0f 0b> Tj [<0B> -120 <0f>] TJ /m BMC 1 2 m 3 4 l S EMC")
    assert paths == [((1, 0, 0, 1, 0, 0), [("m", 1.0, 2.0), ("l", 3.0, 4.0)])]


@pytest.mark.parametrize("rotate", [90])
def test_a_rotated_page_is_left_to_pdfplumber(rotate):
    c, out = _canvas()
    _grid(c, [50, 200, 320], [350, 328, 306])
    c.setPageRotation(rotate)
    fast, _ = _both(_finish(c, out))
    assert fast is None


def test_an_image_drawn_beside_the_rules_does_not_stop_the_scan():
    assert painted_paths(b"q 10 0 0 10 0 0 cm /Im0 Do Q 0 0 m 5 0 l S") == [
        ((1, 0, 0, 1, 0, 0), [("m", 0.0, 0.0), ("l", 5.0, 0.0)])]


def test_a_failure_of_the_fast_path_leaves_the_page_to_pdfplumber(monkeypatch):
    from ingest.readers import pdf as pdf_reader
    from ingest.readers import read

    def broken(*args, **kwargs):
        raise RuntimeError("a PDFium call failed")

    c, out = _canvas()
    _grid(c, [50, 200, 320], [350, 328, 306])
    c.drawString(54, 335, "项目")
    c.drawString(204, 335, "1.00")
    c.drawString(54, 313, "合计")
    c.drawString(204, 313, "1.00")
    data = _finish(c, out)
    expected = read(data, "x.pdf").blocks
    monkeypatch.setattr(pdf_reader, "read_objects", broken)
    assert read(data, "x.pdf").blocks == expected
    assert any(getattr(block, "cells", None) for block in expected)


def test_what_page_text_asked_of_the_characters_reads_the_same_objects():
    # read_objects given page_text's answers (codes, map errors, loose widths) must
    # read what it reads asking PDFium itself; spaces are asked either way
    from ingest.readers.pdf_text import page_text

    c, out = _canvas()
    _grid(c, [50, 200, 320], [350, 328, 306])
    for r, (name, amount) in enumerate([("项目 名称", "金额"), ("基本支出", "1,234.56")]):
        c.drawString(54, 335 - 22 * r, name)
        c.drawRightString(316, 335 - 22 * r, amount)
    data = _finish(c, out)
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    textpage = page.get_textpage()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        content = content_stream(pdf.pages[0])
    text = page_text(textpage, page.get_size()[1])
    assert text.codes and text.widths
    asked = read_objects(page, textpage, 0.0, content)
    told = read_objects(page, textpage, 0.0, content, text=text)
    assert asked is not None and told == asked
    assert "".join(ch["text"] for ch in told.chars).replace(" ", "") == "项目名称金额基本支出1,234.56"
    textpage.close()
    page.close()
    doc.close()
