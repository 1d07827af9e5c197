"""The Parquet raw layer: parts and manifest, skipping, replacing, loading into DuckDB.

These run the local engine (the process pool into a raw folder); the Ray
engine runs the same batch step and is tested in ``test_ray_engine.py``.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest import load, rawdir
from ingest.cli import main
from ingest.engines import ingest_to_raw
from ingest.pipeline import ingest

pytestmark = pytest.mark.slow  # parses sample reports several times (~20 s)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLES = sorted(CORPUS.rglob("*.txt"))[:3]


def raw_rows(warehouse: Path) -> dict[str, list[tuple]]:
    """Every raw table's rows (without the ingest time), sorted."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for table, schema in load.all_raw_schemas().items():
            cols = ", ".join(c for c in schema if c != "loaded_at")
            out[table] = sorted(con.execute(f"select {cols} from raw.{table}").fetchall(),
                                key=repr)
        return out
    finally:
        con.close()


@pytest.fixture
def reports(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for f in SAMPLES:
        shutil.copy(f, folder / f.name)
    (folder / "broken.txt").write_bytes(b"\x00\x01binary, not a report")
    return folder


def test_raw_folder_loads_the_same_raw_tables_as_the_direct_ingest(reports, tmp_path):
    raw = tmp_path / "raw"
    summary = ingest_to_raw([str(reports)], str(raw), engine="local", workers=2, size=1)
    assert (summary.loaded, summary.failed) == (3, 1)
    assert any("broken.txt" in src and "binary" in reason for src, reason in summary.failures)
    rawdir.load_warehouse(str(raw), tmp_path / "from_raw.duckdb")
    ingest([reports], tmp_path / "direct.duckdb", workers=1)
    from_raw, direct = raw_rows(tmp_path / "from_raw.duckdb"), raw_rows(tmp_path / "direct.duckdb")
    assert direct["line_items"] and direct["ingest_errors"]
    assert from_raw == direct


def test_parts_are_per_table_and_the_manifest_names_them(reports, tmp_path):
    raw = tmp_path / "raw"
    ingest_to_raw([str(reports)], str(raw), workers=1, size=2)
    manifests = rawdir.manifests(str(raw))
    assert len(manifests) == 2
    listed = {m["parts"][t]["path"] for m in manifests for t in m["parts"]}
    on_disk = {str(p.relative_to(raw)) for p in raw.glob("*/part-*.parquet")}
    assert listed == on_disk
    for m in manifests:
        for table, part in m["parts"].items():
            frame = duckdb.sql(f"select * from '{raw / part['path']}'")
            assert frame.columns == list(load.all_raw_schemas()[table])
            assert len(frame.fetchall()) == part["rows"]
    files = [f for m in manifests for f in m["files"]]
    assert sum(f["document_id"] is None for f in files) == 1  # the broken file


def test_a_rerun_skips_documents_and_retries_unreadable_files(reports, tmp_path):
    raw = str(tmp_path / "raw")
    ingest_to_raw([str(reports)], raw, workers=1)
    again = ingest_to_raw([str(reports)], raw, workers=1)
    assert (again.loaded, again.skipped, again.failed) == (0, 3, 1)


def test_uncommitted_parts_are_never_loaded(reports, tmp_path):
    raw = tmp_path / "raw"
    ingest_to_raw([str(reports)], str(raw), workers=1, size=1)
    before = raw_rows_of(raw, tmp_path / "a.duckdb")
    victim = rawdir.manifests(str(raw))[0]
    (raw / rawdir.MANIFEST_DIR / f"batch-{victim['batch']}.json").unlink()
    after = raw_rows_of(raw, tmp_path / "b.duckdb")
    assert len(after["documents"]) == len(before["documents"]) - sum(
        bool(f["document_id"]) for f in victim["files"])
    assert rawdir.known_hashes(str(raw)).isdisjoint(f["sha256"] for f in victim["files"])


def raw_rows_of(raw: Path, warehouse: Path) -> dict[str, list[tuple]]:
    rawdir.load_warehouse(str(raw), warehouse)
    return raw_rows(warehouse)


def test_a_changed_file_replaces_its_earlier_facts(reports, tmp_path):
    raw, direct = tmp_path / "raw", tmp_path / "direct.duckdb"
    ingest_to_raw([str(reports)], str(raw), workers=1)
    ingest([reports], direct, workers=1)
    target = reports / SAMPLES[0].name
    changed = SAMPLES[1].read_bytes() + "\n（修订版）\n".encode("utf-8")
    target.write_bytes(changed)
    second = ingest_to_raw([str(reports)], str(raw), workers=1)
    ingest([reports], direct, workers=1)
    assert (second.loaded, second.skipped, second.failed) == (1, 2, 1)
    rows = raw_rows_of(raw, tmp_path / "r.duckdb")
    docs = [r for r in rows["documents"] if r[1].endswith(SAMPLES[0].name)]
    assert [d[3] for d in docs] == [hashlib.sha256(changed).hexdigest()]
    assert rows == raw_rows(direct)


def test_sources_and_raw_folder_as_file_uris(reports, tmp_path):
    raw_uri = (tmp_path / "raw").as_uri()
    summary = ingest_to_raw([reports.as_uri()], raw_uri, workers=1)
    assert (summary.loaded, summary.failed) == (3, 1)
    manifest = rawdir.manifests(raw_uri)[0]
    assert all(f["source_file"].startswith("file://") for f in manifest["files"])
    counts = rawdir.load_warehouse(raw_uri, tmp_path / "w.duckdb")
    assert counts["documents"] == 3 and counts["line_items"] > 0
    assert json.loads(json.dumps(manifest)) == manifest


def test_engine_ray_needs_a_raw_folder(capsys):
    assert main(["ingest", "--engine", "ray", str(CORPUS)]) == 1
    assert "--raw-dir" in capsys.readouterr().err


POOL_AFTER_POLARS = """
import sys
import polars as pl
from ingest.engines import ingest_to_raw
# the parent uses polars' thread pool first, as a long-lived process does
pl.DataFrame({"x": list(range(100_000))}).write_parquet(sys.argv[3])
summary = ingest_to_raw([sys.argv[1]], sys.argv[2], workers=2, size=1)
print(summary.loaded)
"""


def test_the_pool_starts_clean_workers_after_the_parent_used_polars(reports, tmp_path):
    # a worker forked from a process whose polars threads had run deadlocked in
    # write_parquet (the test suite hung there); workers come from a fork server
    import subprocess
    import sys
    res = subprocess.run([sys.executable, "-c", POOL_AFTER_POLARS, str(reports),
                          str(tmp_path / "raw"), str(tmp_path / "x.parquet")],
                         capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parent.parent)
    assert res.returncode == 0, res.stderr[-2000:]
    assert int(res.stdout.split()[-1]) == len(SAMPLES)


def test_a_raw_folder_reads_again_what_another_extractor_read(reports, tmp_path, monkeypatch):
    import ingest.engines as engines

    raw = str(tmp_path / "raw")
    ingest_to_raw([str(reports)], raw, workers=1)
    monkeypatch.setattr(engines, "extractor_sha256", lambda: "f" * 64)
    again = ingest_to_raw([str(reports)], raw, workers=1)
    assert (again.loaded, again.skipped) == (len(SAMPLES), 0)
    wh = tmp_path / "w.duckdb"
    counts = rawdir.load_warehouse(raw, wh)
    assert counts["documents"] == len(SAMPLES), "the latest reading of each file, once"
