"""Word, Excel and web-page readers: the same report gives the same facts as
its text conversion, and the readers keep what publishers put in each format."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import pytest
import report_formats as rf
from test_readers_pdf import facts

from ingest.readers import UnreadableFile, read, sniff
from ingest.readers.excel import cell_text
from ingest.text import lines_of


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


def _by_value(got: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Facts with figures compared by value: ``1,487.30`` = ``1487.3``, in
    ``amount_text`` and in issue descriptions alike."""
    def norm(v: str) -> str:
        v = v.replace(",", "")
        try:
            return str(Decimal(v).normalize())
        except InvalidOperation:
            return re.sub(r"\d+\.\d+", lambda m: str(Decimal(m.group()).normalize()), v)
    return {t: sorted(tuple((k, norm(v)) for k, v in row) for row in rows) for t, rows in got.items()}


def test_ods_workbook_gives_the_facts_of_the_xlsx_as_printed(expected):
    data = rf.as_ods()
    assert sniff(data, "report.bin") == "ods"
    doc = read(data, "report.ods")
    assert doc.source_format == "ods"
    assert facts(doc.text_lines) == facts(read(rf.as_xlsx(), "report.xlsx").text_lines) == expected
    row = next(line for line in doc.lines if line.cells and line.cells[1] == "合计")
    assert row.cells[2] == "1,487.30"          # the displayed text, not the float 1487.3
    assert (row.cell_locations[2].page, row.cell_locations[2].locator) == ("收入决算表", "C6")
    header = next(line for line in doc.lines if line.cells and line.cells[0] == "项目")
    assert header.cells[1] == ""               # covered by the spanned 项目 cell


def test_xls_workbook_gives_the_facts_of_the_xlsx(expected):
    data = rf.as_xls()
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    assert sniff(data, "report.xls") == sniff(data, "attachment.bin") == "xls"
    assert sniff(data, "report.et") == "legacy_office"    # a WPS sheet goes to LibreOffice
    doc = read(data, "report.xls")
    assert doc.source_format == "xls"
    xlsx = facts(read(rf.as_xlsx(), "report.xlsx").text_lines)
    got = facts(doc.text_lines)
    assert sum(map(len, got.values())) == sum(map(len, xlsx.values()))
    # calamine gives an .xls number's value, not its format: 1,487.30 reads 1487.3
    assert _by_value(got) == _by_value(xlsx) == _by_value(expected)
    row = next(line for line in doc.lines if line.cells and line.cells[0] == "2101599")
    assert list(row.cells[2:]) == ["685.05", "599.93", "85.12"]
    assert (row.cell_locations[2].page, row.cell_locations[2].locator) == ("收入决算表", "C12")


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
