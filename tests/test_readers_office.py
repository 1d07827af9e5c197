"""Word, Excel and web-page readers: the same report gives the same facts as
its text conversion, and the readers keep what publishers put in each format."""
from __future__ import annotations

import pytest

import report_formats as rf
from ingest.document import Table
from ingest.readers import UnreadableFile, read, sniff
from ingest.readers.excel import cell_text
from ingest.text import lines_of
from test_readers_pdf import facts


@pytest.fixture(scope="module")
def expected():
    return facts(lines_of(rf.as_text()))


def test_docx_gives_the_facts_of_the_text(expected):
    data = rf.as_docx()
    assert sniff(data, "report.bin") == "docx"
    doc = read(data, "report.docx")
    assert facts(doc.text_lines) == expected
    row = next(line for line in doc.lines if line.cells and line.cells[1] == "科目名称")
    assert row.cells[2] == ""          # the header cell spanning two rows, not repeated


def test_gbk_web_page_with_spans_gives_the_facts_of_the_text(expected):
    data = rf.as_html("gbk")
    assert "某某县".encode("gbk") in data
    doc = read(data, "report.html")
    assert facts(doc.text_lines) == expected
    assert doc.metadata["发布机构"] == "某某县医疗保障局"
    assert doc.metadata["发布日期"] == "2024-09-20"
    assert doc.metadata["title"].startswith(rf.TITLE)
    assert not any(word in doc.text for word in ("首页", "分享到", "网站标识码"))   # chrome


def test_utf8_web_page_reads_the_same(expected):
    doc = read(rf.as_html("utf-8"), "report.htm")
    assert facts(doc.text_lines) == expected


def test_workbook_gives_the_facts_of_the_text(expected):
    data = rf.as_xlsx()
    doc = read(data, "report.xlsx")
    assert facts(doc.text_lines) == expected
    row = next(line for line in doc.lines if line.cells and line.cells[0] == "2101599")
    assert row.cell_locations[2].page == "收入决算表" and row.cell_locations[2].locator.startswith("C")


@pytest.mark.parametrize("value, printed", [
    (45.830000000000005, "45.83"), (0.1 + 0.2, "0.3"), (2540192, "2540192"), (2540192.0, "2540192"),
    (-12.5, "-12.5"), ("2101501", "2101501"), (None, "")])
def test_workbook_numbers_come_back_as_printed(value, printed):
    assert cell_text(value) == printed


def test_a_broken_file_is_refused_with_its_name():
    with pytest.raises(UnreadableFile, match="bad.xlsx"):
        read(b"PK\x03\x04" + b"xl/" + b"\x00" * 100, "bad.xlsx")
    with pytest.raises(UnreadableFile, match="bad.docx"):
        read(b"PK\x03\x04" + b"word/" + b"\x00" * 100, "bad.docx")


def test_legacy_office_without_libreoffice_says_how_to_convert(monkeypatch):
    from ingest.readers import legacy

    monkeypatch.setattr(legacy, "soffice", lambda: None)
    with pytest.raises(UnreadableFile, match=r"report\.doc.*LibreOffice.*\.docx"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "report.doc")
