"""The same report re-published with other bytes is linked to the first and counted once.

A report is written once as text (``tests.report_formats``: a 部门决算 of an
identified unit, with its 支出决算表 and narrative) and published again as
GB18030, with CRLF line ends, with trailing spaces and with a BOM; another
unit's report is published as a PDF and as the text converted from it. Each is a document of its own
(its own sha256 and facts); all but the first carry ``copy_of_document_id``,
and the comparison marts give the same figures as with the one report alone.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingest import lineage, readers
from tests import report_formats as rf
from tests import report_formats_pdf

pytestmark = pytest.mark.slow   # two `yibao run`s (dbt builds)
UNIT = "甲省乙市丙县医疗保障局"
COMPARED = {"rpt_department_years": "department_id, fiscal_year, phase",
            "rpt_budget_vs_final": "department_id, fiscal_year, line_key"}


def text() -> str:
    return rf.as_text().replace("某某县医疗保障局", UNIT)


def budget() -> str:
    """The same unit's 部门预算 of the year (so that rpt_budget_vs_final has rows)."""
    return text().replace("决算", "预算")


def copies() -> dict[str, bytes]:
    t = text()
    return {
        "a.txt": t.encode("utf-8"),
        "gb18030.txt": t.encode("gb18030"),
        "crlf.txt": t.replace("\n", "\r\n").encode("utf-8"),
        "trailing-spaces.txt": "\n".join(line + "  " for line in t.split("\n")).encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + t.encode("utf-8"),
    }


PDF_UNIT = "甲省乙市丁县医疗保障局"


def _pdf_and_its_text() -> tuple[bytes, bytes]:
    """Another unit's report as a PDF, and its text conversion (the rendering yibao reads)."""
    saved = report_formats_pdf.TITLE   # the title the PDF writer prints
    report_formats_pdf.TITLE = saved.replace("某某县医疗保障局", PDF_UNIT)
    try:
        pdf = rf.as_pdf()
    finally:
        report_formats_pdf.TITLE = saved
    rendering = "\n".join(readers.read(pdf, "report.pdf").text_lines)
    assert PDF_UNIT in rendering
    return pdf, rendering.encode("utf-8")


def test_the_fingerprint_ignores_what_re_publishing_changes():
    prints = {name: lineage.text_fingerprint(readers.read(data, name).text_lines)
              for name, data in copies().items()}
    assert len(set(prints.values())) == 1 and None not in prints.values(), prints
    other = text().replace("1,476.02", "1,476.03")                    # one figure changed
    assert lineage.text_fingerprint(readers.read(other.encode(), "x.txt").text_lines) \
        not in prints.values()
    pdf, converted = _pdf_and_its_text()
    assert (lineage.text_fingerprint(readers.read(pdf, "r.pdf").text_lines)
            == lineage.text_fingerprint(readers.read(converted, "r.txt").text_lines))
    assert lineage.text_fingerprint(["短文本"]) is None                # too short to tell apart


def _run(folder: Path, wh: Path) -> None:
    from ingest.cli import main
    assert main(["run", str(folder), "--warehouse", str(wh)]) == 0


def _q(wh: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _compared(wh: Path) -> dict[str, list[tuple]]:
    out = {}
    for table, key in COMPARED.items():
        con = duckdb.connect(str(wh), read_only=True)
        try:
            rel = con.sql(f"select * from marts.{table} order by {key}")
            out[table] = rel.fetchall()
        finally:
            con.close()
    return out


def test_copies_are_linked_to_the_first_and_counted_once(tmp_path):
    alone, many = tmp_path / "alone", tmp_path / "many"
    alone.mkdir()
    many.mkdir()
    pdf, converted = _pdf_and_its_text()
    (alone / "a.txt").write_bytes(copies()["a.txt"])
    (alone / "converted.txt").write_bytes(converted)
    (alone / "budget.txt").write_text(budget(), encoding="utf-8")
    for name, data in copies().items():
        (many / name).write_bytes(data)
    (many / "budget.txt").write_text(budget(), encoding="utf-8")
    (many / "budget_gbk.txt").write_bytes(budget().encode("gb18030"))
    (many / "converted.txt").write_bytes(converted)
    (many / "published.pdf").write_bytes(pdf)
    _run(alone, tmp_path / "alone.duckdb")
    _run(many, tmp_path / "many.duckdb")

    docs = dict(_q(tmp_path / "many.duckdb",
                   "select file_name, copy_of_document_id from marts.dim_documents"))
    assert len(docs) == 9                                     # each copy is its own document
    first = dict(_q(tmp_path / "many.duckdb", "select file_name, document_id from marts.dim_documents"))
    # the first of each text (all are loaded at once: the first by path) is the original
    assert docs["a.txt"] is None and docs["converted.txt"] is None and docs["budget.txt"] is None
    assert {docs[n] for n in ("bom.txt", "crlf.txt", "gb18030.txt", "trailing-spaces.txt")} \
        == {first["a.txt"]}
    assert docs["published.pdf"] == first["converted.txt"]
    assert docs["budget_gbk.txt"] == first["budget.txt"]
    assert _q(tmp_path / "many.duckdb", "select count(*) from marts.rpt_department_years") \
        == _q(tmp_path / "alone.duckdb", "select count(*) from marts.rpt_department_years") == [(3,)]
    assert _q(tmp_path / "alone.duckdb", "select count(*) from marts.rpt_budget_vs_final") != [(0,)]
    assert _compared(tmp_path / "many.duckdb") == _compared(tmp_path / "alone.duckdb")
    # the copies keep their own facts (nothing is dropped, only not counted twice)
    per_doc = _q(tmp_path / "many.duckdb",
                 "select count(distinct document_id) from marts.fct_functional_lines")
    assert per_doc == [(9,)]
    shutil.rmtree(many)
