"""PDF reader: the same report gives the same facts as its text conversion,
from ruled and unruled tables, a scanned page and a garbage text layer."""
from __future__ import annotations

import io

import pytest
import report_formats as rf

from ingest.document import Cell, Table
from ingest.extract import extract_document
from ingest.readers import UnreadableFile, read
from ingest.readers import ocr as ocr_module
from ingest.readers.pdf import continue_table
from ingest.text import lines_of

IGNORED = {"source_line", "start_line", "end_line", "evidence"}


def facts(lines: list[str]) -> dict[str, list[tuple]]:
    """Every fact the parsers read, without line numbers (those differ by format)."""
    result = extract_document(lines)
    assert result.errors == []
    return {table: sorted(tuple(sorted((k, str(v)) for k, v in row.items() if k not in IGNORED))
                          for row in rows)
            for table, rows in result.rows.items()}


@pytest.fixture(scope="module")
def expected():
    got = facts(lines_of(rf.as_text()))
    assert len(got["line_items"]) == 34      # the report's amount cells
    return got


def test_ruled_pdf_gives_the_facts_of_the_text(expected):
    doc = read(rf.as_pdf(ruled=True), "report.pdf")
    assert doc.source_format == "pdf"
    assert facts(doc.text_lines) == expected
    assert {r["source_ocr_confidence"] for r in extract_document(doc).rows["line_items"]} == {None}
    assert not any(line.text.strip() in {"- 1 -", "- 2 -"} for line in doc.lines)  # page numbers


def test_ruled_pdf_cells_carry_page_and_box():
    doc = read(rf.as_pdf(ruled=True), "report.pdf")
    row = next(line for line in doc.lines if line.cells and line.cells[0] == "2101501")
    cell = row.cell_locations[3]
    assert cell.page in {"1", "2"}
    x0, top, x1, bottom = map(float, cell.locator.split(","))
    assert 450 <= x0 < x1 <= 570 and top < bottom


def test_unruled_pdf_gives_the_facts_of_the_text(expected):
    doc = read(rf.as_pdf(ruled=False), "report.pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables and all("word_grid" in t.flags for t in tables)
    assert facts(doc.text_lines)["line_items"] == expected["line_items"]


def test_a_table_continued_on_the_next_page_is_one_table():
    def table(rows):
        return Table([Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)])

    head = [["科目编码", "科目名称", "金额"]]
    first = table(head + [["201", "一般公共服务支出", "10.00"]])
    merged = continue_table(first, table([["210", "卫生健康支出", "5.00"]]))
    assert merged.row_texts()[-1] == ["210", "卫生健康支出", "5.00"]
    repeated = continue_table(first, table(head + [["221", "住房保障支出", "1.00"]]))
    assert [r[0] for r in repeated.row_texts()] == ["科目编码", "201", "221"]
    assert continue_table(first, table([["a", "b"], ["1", "2"]])) is None   # other columns
    assert continue_table(first, table([["项目", "说明", "备注"], ["x", "y", "1"]])) is None


def test_not_a_pdf_is_refused_with_the_file_name():
    with pytest.raises(UnreadableFile, match="broken.pdf"):
        read(b"%PDF-1.4\nthis is not really a PDF", "broken.pdf")


needs_ocr = pytest.mark.skipif(not ocr_module.available(), reason="the OCR extra is not installed")
slow = pytest.mark.slow     # OCR: ~10 CPU-s a page


@slow
@needs_ocr
def test_scanned_pdf_is_ocred_into_the_same_facts(expected):
    doc = read(rf.as_scanned_pdf(), "scan.pdf")
    assert any(f.startswith("ocr:") for f in doc.flags)
    confidences = dict(p.split(":") for p in doc.metadata["ocr_confidence"].split(","))
    assert set(confidences) == {"1", "2"} and all(0.6 <= float(c) <= 1 for c in confidences.values())
    assert facts(doc.text_lines)["line_items"] == expected["line_items"]
    # each fact says it was OCR'd: its cell's recognition confidence
    rows = extract_document(doc).rows
    assert rows["line_items"] and all(0.6 <= r["source_ocr_confidence"] <= 1 for r in rows["line_items"])
    assert all(r["source_ocr_confidence"] is not None for r in rows["metrics"])


def _with_page_2_from(other: bytes) -> bytes:
    """The ruled PDF with its second page replaced by ``other``'s second page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(rf.as_pdf(ruled=True))
    pdf.import_pages(pdfium.PdfDocument(other), [1])
    pdf.del_page(1)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


@slow
@needs_ocr
def test_garbage_text_layer_is_detected_and_ocred(expected):
    """A text page, then a page image under a garbage text layer: that page
    alone is OCR'd (one page, ~10 CPU-s: the scan test above OCRs both)."""
    doc = read(_with_page_2_from(rf.as_scanned_pdf(garbage_layer=True)), "garbled.pdf")
    assert "ocr:2" in doc.flags
    assert "Ã" not in doc.text
    assert facts(doc.text_lines)["line_items"] == expected["line_items"]


def test_without_ocr_a_garbage_layer_is_recorded_with_the_reason(monkeypatch):
    monkeypatch.setattr(ocr_module, "available", lambda: False)
    with pytest.raises(UnreadableFile) as exc:
        read(rf.as_scanned_pdf(garbage_layer=True), "garbled.pdf")
    message = str(exc.value)
    assert "garbled.pdf" in message and "garbage text layer" in message
    assert "pip install 'yibao[ocr]'" in message


def test_without_ocr_the_readable_pages_still_load(monkeypatch):
    """One scanned page among text pages: recorded, the other pages read."""
    monkeypatch.setattr(ocr_module, "available", lambda: False)
    doc = read(_with_page_2_from(rf.as_scanned_pdf()), "mixed.pdf")
    assert [f.split(":")[1] for f in doc.flags if f.startswith("page_not_read:")] == ["2"]
    assert "scanned page" in doc.flags[0] and "yibao[ocr]" in doc.flags[0]
    assert any(line.cells and line.cells[0] == "2101501" for line in doc.lines)   # page 1


def test_an_ingested_pdf_keeps_its_rendering_and_each_facts_page_and_box(tmp_path):
    import duckdb

    from ingest.pipeline import ingest

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(rf.as_pdf(ruled=True))
    summary = ingest([folder], tmp_path / "w.duckdb", workers=1)
    assert (summary.loaded, summary.failed) == (1, 0)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        rows = con.execute("""
            select l.code, l.amount_text, d.page, d.locator, d.text
            from raw.line_items l join raw.document_lines d
              on d.document_id = l.document_id and d.line_number = l.source_line
            where l.table_no = '03' and l.code = '2101599'""").fetchall()
    finally:
        con.close()
    assert rows and all(page == "2" for _, _, page, _, _ in rows)   # the 支出决算表 page
    for _, amount, _, locator, text in rows:
        assert amount in text.split("\t") and len(locator.split(",")) == 4


def test_text_drawn_outside_the_page_is_not_read():
    """A content stream can hold text placed above or below the page (a copy of
    an earlier page's passage, a hidden layer): it is never printed, so it is
    not content."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ingest import readers
    _font = rf._font

    out = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont(_font(), 11)
    c.drawString(60, height - 100, "本单位是主管全县医疗保障工作的县政府工作部门。")
    c.drawString(60, height + 300, "本单位是主管全县医疗保障工作的县政府工作部门。")  # above the page
    c.drawString(60, -300, "这一行在页面下方之外。")                              # below the page
    c.showPage()
    c.save()
    text = readers.read(out.getvalue(), "offpage.pdf").text
    assert text.count("主管全县医疗保障工作") == 1
    assert "页面下方之外" not in text


# --- unruled tables typeset from text (benchmarks/bench_unruled.py) -------------------------

def _typeset(lines: list[str]) -> bytes:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from bench_unruled import typeset

    return typeset(lines)


def test_unruled_tables_in_sequence_stay_apart():
    # the note, the next title and its number caption (公开 03 表: a number, not an
    # amount) end the table above; before, the income table ran into the expenditure one
    text = rf.as_text().replace("公开02表", "公开 02 表").replace("公开03表", "公开 03 表")
    lines = lines_of(text.replace("\n支出决算表", "\n注：本表反映部门本年度取得的各项收入情况。\n支出决算表"))
    doc = read(_typeset(lines), "report.pdf")
    assert facts(doc.text_lines)["line_items"] == facts(lines)["line_items"]


UNRULED_SUBHEADER = """某某县医疗保障局2023年度部门决算
收入决算表
公开 02 表
单位：万元
项目\t\t\t\t本年收入合计\t财政拨款收入\t其他收入
支出功能分类\t\t\t科目名称\t\t\t
科目编码\t\t\t\t\t\t
类\t款\t项\t合计\t1,417.95\t1,332.83\t85.12
208\t\t\t社会保障和就业支出\t96.40\t96.40\t
208\t05\t\t行政事业单位养老支出\t96.40\t96.40\t
208\t05\t05\t机关事业单位基本养老保险缴费支出\t96.40\t96.40\t
210\t\t\t卫生健康支出\t1,321.55\t1,236.43\t85.12
210\t15\t\t医疗保障管理事务\t1,321.55\t1,236.43\t85.12
210\t15\t01\t行政运行\t636.50\t636.50\t
210\t15\t99\t其他医疗保障管理事务支出\t685.05\t599.93\t85.12
注：本表反映部门本年度取得的各项收入情况。
"""


def test_unruled_header_with_a_one_phrase_sub_header_line():
    # 科目编码 alone on its line, between the header lines above and the 类 款 项 row:
    # the whole header joins the table, so every amount keeps its column
    lines = lines_of(UNRULED_SUBHEADER)
    doc = read(_typeset(lines), "report.pdf")
    got = facts(doc.text_lines)["line_items"]
    assert len(got) == 20 and got == facts(lines)["line_items"]
