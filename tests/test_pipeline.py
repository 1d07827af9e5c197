"""Ingest behaviour: skipping, replacing, bad files, parser failures, lineage."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingest import extract
from ingest.pipeline import NoReports, discover, ingest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLE = sorted((CORPUS / "seeds").glob("001_*.txt"))[0]
OTHER = sorted((CORPUS / "seeds").glob("003_*.txt"))[0]


def _counts(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema='raw'").fetchall()]
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def _query(warehouse: Path, sql: str):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def reports(tmp_path) -> Path:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "a.txt")
    shutil.copy(OTHER, folder / "sub" / "b.txt")
    (folder / "notes.xyz").write_bytes(b"%PDF-1.4 not a text report")
    return folder


def test_discover_recurses_into_folders_and_takes_every_supported_format(reports):
    (reports / "sub" / "notes.pdf").write_bytes(b"%PDF-1.4 not a text report")
    skipped = []
    found = [p.name for p in discover([reports], skipped=skipped)]
    assert sorted(found) == ["a.txt", "b.txt", "notes.pdf"]
    assert [(name.rsplit("/", 1)[-1], "not a format" in why) for name, why in skipped] == [
        ("notes.xyz", True)]


def test_discover_names_a_missing_path(tmp_path):
    with pytest.raises(NoReports, match="no such file"):
        discover([tmp_path / "nope"])


def test_unchanged_files_are_skipped_and_change_nothing(reports, tmp_path):
    wh = tmp_path / "w.duckdb"
    first = ingest([reports], wh, workers=1)
    assert (first.loaded, first.skipped, first.failed) == (2, 0, 0)
    before = _counts(wh)
    second = ingest([reports], wh, workers=1)
    assert (second.loaded, second.skipped) == (0, 2)
    assert _counts(wh) == before


def test_files_read_by_another_extractor_are_read_again(reports, tmp_path, monkeypatch):
    # an upgraded yibao (any edit of the ingest code) must not keep the facts
    # the old one read: unchanged files are read again and their facts replaced
    import ingest.pipeline as pipeline

    wh = tmp_path / "w.duckdb"
    ingest([reports], wh, workers=1)
    before = _counts(wh)
    monkeypatch.setattr(pipeline, "extractor_sha256", lambda: "f" * 64)
    again = ingest([reports], wh, workers=1)
    assert (again.loaded, again.skipped) == (2, 0)
    assert _counts(wh) == before, "facts replaced, not added"
    assert _query(wh, "select distinct extractor_sha256 from raw.documents") == [("f" * 64,)]
    assert (ingest([reports], wh, workers=1).skipped) == 2   # the same extractor skips them


def test_changed_file_replaces_only_its_own_facts(reports, tmp_path):
    wh = tmp_path / "w.duckdb"
    ingest([reports], wh, workers=1)
    b_rows_before = _query(wh, "select count(*) from raw.line_items where source_file like '%b.txt'")
    (reports / "a.txt").write_text("2099年度 某某县医疗保障局部门决算\n\n目录\n", encoding="utf-8")
    summary = ingest([reports], wh, workers=1)
    assert (summary.loaded, summary.skipped) == (1, 1)
    docs = _query(wh, "select source_file, count(*) from raw.documents group by 1 order by 1")
    assert [n for _, n in docs] == [1, 1], "one document row per file, the old version gone"
    assert _query(wh, "select count(*) from raw.line_items where source_file like '%a.txt'") == [(0,)]
    assert _query(wh, "select count(*) from raw.line_items where source_file like '%b.txt'") == b_rows_before


def test_bad_files_are_recorded_and_good_files_still_load(reports, tmp_path):
    (reports / "empty.txt").write_bytes(b"")
    (reports / "latin.txt").write_bytes(bytes(range(0x80, 0xFF)) * 3)
    (reports / "gbk.txt").write_bytes("2023年度部门决算\n单位：万元\n".encode("gb18030"))
    wh = tmp_path / "w.duckdb"
    summary = ingest([reports], wh, workers=2)
    assert (summary.loaded, summary.failed) == (3, 2)
    errors = dict(_query(wh, "select regexp_extract(source_file, '[^/]+$'), reason "
                             "from raw.ingest_errors where stage = 'decode'"))
    assert errors["empty.txt"] == "empty.txt: file is empty"  # the reader names the file
    assert "neither UTF-8 nor GB18030" in errors["latin.txt"]
    assert dict(_query(wh, "select file_name, encoding from raw.documents"))["gbk.txt"] == "gb18030"


def test_failing_parser_is_recorded_and_others_keep_their_rows(monkeypatch):
    import sys
    import types

    boom = types.ModuleType("fake_parser_boom")
    boom.extract = lambda lines: (_ for _ in ()).throw(RuntimeError("bad table"))
    ok = types.ModuleType("fake_parser_ok")
    ok.extract = lambda lines: {"table_notes": [{
        "table_no": "07", "table_title": "t", "note_kind": "no_data", "note": "本表无数据",
        "source_line": 3}]}
    monkeypatch.setitem(sys.modules, "fake_parser_boom", boom)
    monkeypatch.setitem(sys.modules, "fake_parser_ok", ok)
    result = extract.extract_document(["x"], parsers=("fake_parser_boom", "fake_parser_ok"))
    assert len(result.rows["table_notes"]) == 1
    assert len(result.errors) == 1 and "bad table" in result.errors[0]["reason"]


def test_parser_rows_with_wrong_keys_are_rejected(monkeypatch):
    import sys
    import types

    wrong = types.ModuleType("fake_parser_wrong")
    wrong.extract = lambda lines: {"metrics": [{"metric": "x", "value": 1}]}
    monkeypatch.setitem(sys.modules, "fake_parser_wrong", wrong)
    result = extract.extract_document(["x"], parsers=("fake_parser_wrong",))
    assert not result.rows.get("metrics")
    assert "missing" in result.errors[0]["reason"]


def test_every_fact_row_has_lineage(reports, tmp_path):
    wh = tmp_path / "w.duckdb"
    ingest([reports], wh, workers=1)
    for table in ("line_items", "metrics", "document_identity"):
        assert _query(wh, f"select count(*) from raw.{table}")[0][0] > 0, table
        bad = _query(wh, f"select count(*) from raw.{table} where document_id is null or "
                         f"sha256 is null or source_file is null or loaded_at is null or "
                         f"source_line is null or source_line < 1")
        assert bad == [(0,)], table
