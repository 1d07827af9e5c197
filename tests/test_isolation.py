"""Per-file isolation and discovery: one odd file fails alone, nothing outside gets in."""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import types
from pathlib import Path

import duckdb
import pytest

from ingest.pipeline import discover, ingest, parse_file
from tests.sampletext import sample_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLE = sorted((CORPUS / "seeds").glob("004_*.txt"))[0]


def q(wh: Path, sql: str, params=None):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    shutil.copy(SAMPLE, d / "a.txt")
    return d


def _job(data: bytes, name: str = "x.txt"):
    return (name, data, hashlib.sha256(data).hexdigest())


# --- discovery ----------------------------------------------------------------

def test_links_out_of_the_folder_are_skipped_and_listed(folder, tmp_path):
    secret = tmp_path / "elsewhere" / "account.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (folder / "out.txt").symlink_to(secret)
    (folder / "in.txt").symlink_to(folder / "a.txt")
    (folder / "dir-out").symlink_to(secret.parent, target_is_directory=True)
    skipped: list = []
    names = sorted(p.name for p in discover([folder], skipped=skipped))
    assert names == ["a.txt", "in.txt"]
    reasons = {Path(n).name: why for n, why in skipped}
    assert "outside the folders given" in reasons["out.txt"]
    assert "outside the folders given" in reasons["dir-out"]
    followed = sorted(p.name for p in discover([folder], follow_links=True))
    assert followed == ["a.txt", "account.txt", "in.txt", "out.txt"]


def test_special_files_are_skipped(folder):
    os.mkfifo(folder / "pipe.txt")
    skipped: list = []
    assert [p.name for p in discover([folder], skipped=skipped)] == ["a.txt"]
    assert skipped and "FIFO" in skipped[0][1]


def test_a_symlinked_report_from_outside_never_reaches_the_warehouse(folder, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(sample_text().encode("utf-8"))
    (folder / "link.txt").symlink_to(secret)
    wh = tmp_path / "w.duckdb"
    summary = ingest([folder], wh, workers=1)
    assert summary.loaded == 1 and len(summary.not_taken) == 1
    assert q(wh, "select file_name from raw.documents") == [("a.txt",)]


# --- reading ------------------------------------------------------------------

def test_an_unreadable_file_is_that_files_error(folder, tmp_path):
    wh = tmp_path / "w.duckdb"
    summary = ingest([folder, Path("/proc/self/mem")], wh, workers=1)   # read() fails: EIO
    assert (summary.loaded, summary.failed) == (1, 1)
    assert q(wh, "select stage, reason from raw.ingest_errors") == [
        ("read", "cannot be read: Input/output error")]


def test_a_file_above_the_size_limit_is_refused_with_the_reason(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("YIBAO_MAX_FILE_MB", "0.001")
    wh = tmp_path / "w.duckdb"
    summary = ingest([folder], wh, workers=1)
    assert summary.failed == 1
    assert "above the limit" in q(wh, "select reason from raw.ingest_errors")[0][0]


def test_a_non_utf8_file_name_is_read_and_stored_printable(folder, tmp_path):
    name = os.fsdecode(b"\xb1\xa8\xb8\xe6.txt")         # 报告 in GBK: not UTF-8
    shutil.move(folder / "a.txt", folder / name)
    wh = tmp_path / "w.duckdb"
    assert ingest([folder], wh, workers=1).loaded == 1
    assert q(wh, "select file_name from raw.documents") == [("\\xb1\\xa8\\xb8\\xe6.txt",)]


def test_the_same_report_twice_is_loaded_once_with_an_alias(folder, tmp_path):
    shutil.copy(folder / "a.txt", folder / "b.txt")
    wh = tmp_path / "w.duckdb"
    summary = ingest([folder], wh, workers=2)
    assert (summary.loaded, summary.aliases) == (1, 1)
    assert q(wh, "select count(*) from raw.documents") == [(1,)]
    assert [Path(p).name for (p,) in q(wh, "select source_file from raw.document_aliases")] == ["b.txt"]


# --- cells and time -------------------------------------------------------------

def test_an_amount_too_large_for_its_column_is_an_error_for_that_cell():
    text = sample_text()
    line = next(t for t in text.splitlines() if t.startswith("204\t06\t01"))
    amount = line.split("\t")[4]
    for digits in ("1234567890123456789.00", "9" * 100_000):
        item = parse_file(_job(text.replace(line, line.replace(amount, digits, 1)).encode()))
        errors = [e for e in item["errors"] if e["stage"] == "validate"]
        assert errors and all("integer digits" in e["reason"] for e in errors)
        assert errors[0]["source_line"] == text.splitlines().index(line) + 1
        kept = [r for r in item["rows"]["line_items"] if r["source_line"] == errors[0]["source_line"]]
        assert all(r["amount_wan_yuan"] is None or r["amount_wan_yuan"] < 10**14 for r in kept)
        assert len(item["rows"]["line_items"]) > 100       # the other cells still load


def test_a_runaway_parser_is_stopped_by_the_time_budget(monkeypatch):
    def forever(lines, *args, **kwargs):
        while True:
            pass
    monkeypatch.setattr("ingest.pipeline.extract_document", forever)
    monkeypatch.setenv("YIBAO_FILE_TIMEOUT", "0.5")
    item = parse_file(_job(SAMPLE.read_bytes()))
    assert item["document"] is None
    assert item["errors"][0]["stage"] == "timeout"


def test_the_time_budget_is_not_swallowed_by_a_parsers_error_handling(monkeypatch):
    def forever(lines):
        while True:
            pass
    stuck = types.ModuleType("stuck_parser")
    stuck.extract = forever
    monkeypatch.setitem(sys.modules, "stuck_parser", stuck)
    from ingest import extract
    from ingest.isolation import FileTimedOut, time_budget
    with pytest.raises(FileTimedOut):
        with time_budget(0.5):
            extract.extract_document(["x"], parsers=("stuck_parser",))


def test_no_exception_escapes_the_per_file_function(monkeypatch):
    def boom(lines, *args, **kwargs):
        raise MemoryError("simulated")
    monkeypatch.setattr("ingest.pipeline.extract_document", boom)
    item = parse_file(_job(SAMPLE.read_bytes()))
    assert item["document"] is None and "MemoryError" in item["errors"][0]["reason"]


# --- encodings ----------------------------------------------------------------

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["big5", "shift_jis", "euc_kr"])
def test_other_cjk_encodings_are_recorded_as_undecodable(encoding):
    item = parse_file(_job(SAMPLE_TEXT.encode(encoding, errors="replace")))
    assert item["document"] is None
    assert item["errors"][0]["stage"] == "decode"


def test_random_high_bytes_are_not_loaded():
    import random
    rng = random.Random(7)
    for _ in range(20):
        data = bytes(rng.randrange(0x81, 0xFF) for _ in range(3000))
        assert parse_file(_job(data))["document"] is None


def test_utf16_with_a_bom_is_read_and_recorded_without_is_refused():
    item = parse_file(_job(SAMPLE_TEXT.encode("utf-16")))
    assert item["document"]["encoding"] == "utf-16"
    utf8 = parse_file(_job(SAMPLE_TEXT.encode("utf-8")))
    assert {k: len(v) for k, v in item["rows"].items()} == {k: len(v) for k, v in utf8["rows"].items()}
    bare = parse_file(_job(SAMPLE_TEXT.encode("utf-16-le")))
    assert bare["document"] is None and "UTF-16" in bare["errors"][0]["reason"]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb_encodings_give_the_same_facts_as_utf8(encoding):
    text = sample_text()
    utf8 = parse_file(_job(text.encode("utf-8")))
    other = parse_file(_job(text.encode(encoding)))
    assert other["document"]["encoding"] == "gb18030"
    assert other["rows"] == utf8["rows"]
