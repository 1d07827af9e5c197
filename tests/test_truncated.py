"""Truncated files: a download cut off at 10 %, 50 % or 99 % of its bytes.

The originals are one small 部门决算 (``tests.report_formats``) written with
the libraries publishers' tools use (reportlab, python-docx, openpyxl, a web
page, a text conversion). A cut PDF or Office file is refused with a reason
that names the file and says it looks truncated; a cut web page or text is
read as far as it goes (a character cut in half is dropped, not a reason to
refuse the file) and a cut web page is recorded as truncated. Either way the
run goes on: the other report in the folder is loaded.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

import duckdb
import pytest

from ingest.pipeline import ingest, parse_file
from tests import report_formats as rf

CUTS = (0.10, 0.50, 0.99)


@lru_cache(maxsize=None)
def original(fmt: str) -> bytes:
    return {"pdf": rf.as_pdf, "docx": rf.as_docx, "xlsx": rf.as_xlsx,
            "html": lambda: rf.as_html("utf-8"),
            "txt": lambda: rf.as_text().encode("utf-8")}[fmt]()


def parse(data: bytes, name: str) -> dict:
    return parse_file((name, data, hashlib.sha256(data).hexdigest()))


@pytest.mark.parametrize("cut", CUTS, ids=[f"{c:.0%}" for c in CUTS])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "html", "txt"])
def test_a_truncated_file_is_reported_by_name_and_the_run_goes_on(fmt, cut, tmp_path):
    whole = original(fmt)
    complete = parse(whole, f"whole.{fmt}")
    assert complete["errors"] == []                            # the original reads cleanly
    data = whole[: int(len(whole) * cut)]
    name = f"县医保局决算-cut.{fmt}"
    item = parse(data, name)
    reasons = [e["reason"] for e in item["errors"]]
    if fmt in ("pdf", "docx", "xlsx"):                 # containers: nothing trustworthy to read
        assert item["document"] is None
        assert len(reasons) == 1 and reasons[0].startswith(name), reasons
        assert "looks truncated" in reasons[0], reasons
    else:                                              # read as far as it goes
        assert item["document"] is not None
        assert not [e for e in item["errors"] if e["stage"] in ("decode", "parse", "check")]
        if fmt == "html":
            assert any(r.startswith(name) and "truncated" in r for r in reasons), reasons
        if cut == 0.99:                                # nearly all of it: the tables are there
            lines = len(complete["rows"]["line_items"])
            assert lines > 20 and len(item["rows"].get("line_items", [])) >= 0.8 * lines

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / name).write_bytes(data)
    (folder / "good.txt").write_text(rf.as_text().replace("某某县", "甲县"), encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    summary = ingest([folder], wh, workers=1)
    con = duckdb.connect(str(wh), read_only=True)
    try:
        loaded = {r[0] for r in con.execute("select file_name from raw.documents").fetchall()}
        recorded = {r[0] for r in con.execute("select source_file from raw.ingest_errors").fetchall()}
    finally:
        con.close()
    assert "good.txt" in loaded
    assert (name in loaded) == (fmt in ("html", "txt"))
    assert (summary.failed == 1) == (fmt in ("pdf", "docx", "xlsx"))
    if fmt != "txt":
        assert any(r.endswith(name) for r in recorded), recorded
