"""HTML and SQL inside a report never reach SQL unquoted or a page unescaped.

A small 部门决算 (``tests.report_formats``) whose title, subject names and file
name carry ``<script>`` tags and SQL fragments (``'); drop table … --``) is run
through ``yibao run`` (ingest, dbt build, publish) in a child process. The
marts hold the text as printed (less whitespace: subject names are compared
squashed, ``ingest.text.squash``), every table is still there, the export
writes the text as data, and the docs site (``yibao docs``) carries none of it
unescaped.

What shows a report's text to a user: stderr (file names, reasons), the
marts and their exports (CSV/Parquet/xlsx: data, not markup), ``yibao
analyses``' plain-text tables. The docs site shows the models' documentation
and the check catalogue (a seed), not report data — the test proves that no
report text lands in its page, so nothing of a report can break out of the
inlined JSON (``</script>``) or be rendered as markup.
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.report_formats import as_text

pytestmark = pytest.mark.slow   # one `yibao run` and `yibao docs` in child processes
ROOT = Path(__file__).resolve().parent.parent

SCRIPT = "<script>alert('yibao')</script>"
SQL = "');DROP/**/TABLE/**/raw.documents;--"
TITLE = f"某某县医疗保障局{SCRIPT}2023年度部门决算"
LINE_HTML = f"{SCRIPT}行政运行"
LINE_SQL = f"住房保障支出{SQL}"
FILE_NAME = "'; drop table marts.dim_documents; -- <img src=x onerror=alert(1)>.txt"
BAD_FILE = "<img src=y onerror=alert(2)>'; select 1; --.pdf"   # (no '/' in a name)


def yibao(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DO_NOT_TRACK": "1"}
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def report() -> str:
    text = as_text().replace("某某县医疗保障局2023年度部门决算", TITLE, 1)
    text = text.replace("行政运行", LINE_HTML, 1)          # first table only
    return text.replace("住房保障支出", LINE_SQL, 1)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-text")
    folder = tmp / "reports"
    folder.mkdir()
    (folder / FILE_NAME).write_text(report(), encoding="utf-8")
    (folder / BAD_FILE).write_bytes(b"%PDF-1.7\n" + b"\x00" * 64)
    wh = tmp / "w.duckdb"
    proc = yibao("run", "reports", "--warehouse", str(wh), cwd=tmp)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return tmp, wh, proc


def q(wh: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_marts_hold_the_text_as_printed_and_no_table_was_dropped(run):
    _, wh, proc = run
    names = {r[0] for r in q(wh, "select distinct line_name from marts.fct_functional_lines")}
    assert {LINE_HTML, LINE_SQL} <= names
    assert q(wh, "select file_name from marts.dim_documents") == [(FILE_NAME,)]
    tables = {r[0] for r in q(wh, "select table_schema || '.' || table_name "
                                  "from information_schema.tables")}
    assert {"raw.documents", "marts.dim_documents", "marts.fct_functional_lines"} <= tables
    # the file that could not be read is named on stderr, as it is, on one line
    assert any(line.startswith("yibao: ") and BAD_FILE in line for line in proc.stderr.splitlines())


def test_the_export_writes_the_text_as_data(run, tmp_path):
    tmp, wh, _ = run
    out = tmp_path / "export"
    proc = yibao("export", str(out), "--format", "csv", "--warehouse", str(wh), cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    with open(out / "fct_functional_lines.csv", encoding="utf-8-sig", newline="") as f:
        names = {row["line_name"] for row in csv.DictReader(f)}
    assert {LINE_HTML, LINE_SQL} <= names
    with open(out / "dim_documents.csv", encoding="utf-8-sig", newline="") as f:
        assert [row["file_name"] for row in csv.DictReader(f)] == [FILE_NAME]
    assert sorted(p.name for p in out.iterdir() if "script" in p.name or "drop" in p.name) == []


def test_the_docs_site_carries_no_report_text_unescaped(run, tmp_path):
    tmp, wh, _ = run
    site = tmp_path / "site"
    proc = yibao("docs", "--out", str(site), "--warehouse", str(wh), cwd=tmp)
    assert proc.returncode == 0, proc.stderr[-2000:]
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "fct_functional_lines" in page                   # the site is there …
    for text in (SCRIPT, "alert('yibao')", SQL, "onerror=alert(1)", "alert(2)"):
        assert text not in page                              # … and no report text in it
