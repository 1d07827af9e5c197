"""The Ray engine on a local Ray cluster started here (loopback only, 2 CPUs).

The cluster starts once for this module. The sample corpus through Ray and
through the default local pool must give the same raw tables and the same
marts; a worker killed mid-task is retried without duplicating anything; a
re-run skips everything; the command line joins a running cluster by address.
Marked ``ray`` (``-m "not ray"`` skips them).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest import load, rawdir
from ingest.cli import main
from ingest.engines import ingest_to_raw, ray_engine
from ingest.pipeline import discover, ingest

# Ray picks the loopback address for all its services when it believes it is on
# a desktop OS; this switch, read when ray is imported, says so on Linux too.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
ray = pytest.importorskip("ray")
pytestmark = pytest.mark.ray

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FILES = len(discover([CORPUS]))


@pytest.fixture(scope="module")
def cluster():
    """A private 2-CPU Ray instance bound to 127.0.0.1; yields its address."""
    if ray.is_initialized():
        ray.shutdown()
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             object_store_memory=100 * 2**20, logging_level="warning")
    address = ray.get_runtime_context().gcs_address
    assert address.startswith("127.0.0.1:"), address
    yield address
    ray.shutdown()


def raw_rows(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for table, schema in load.all_raw_schemas().items():
            cols = ", ".join(c for c in schema if c != "loaded_at")
            out[table] = sorted(con.execute(f"select {cols} from raw.{table}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def marts_rows(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by 1").fetchall()]
        out = {}
        for table in tables:
            cols = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = ? order by ordinal_position", [table]).fetchall()]
            keep = ", ".join(f'"{c}"' for c in cols if c != "loaded_at")
            out[table] = sorted(con.execute(f"select {keep} from marts.{table}").fetchall(),
                                key=repr)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def ray_raw(cluster, tmp_path_factory) -> Path:
    """The sample corpus through `yibao run --engine ray --raw-dir`: (raw folder, warehouse)."""
    base = tmp_path_factory.mktemp("ray")
    raw, wh = base / "raw", base / "yibao.duckdb"
    assert main(["run", "--engine", "ray", "--raw-dir", str(raw), str(CORPUS),
                 "--warehouse", str(wh)]) == 0
    return raw, wh


def test_ray_gives_the_local_pools_raw_tables_and_marts(ray_raw, built_warehouse):
    raw, wh = ray_raw
    assert len(rawdir.manifests(str(raw))) > 1  # the corpus was spread over several tasks
    ray_tables, local_tables = raw_rows(wh), raw_rows(built_warehouse)
    assert local_tables["line_items"] and local_tables["indicators"]
    assert ray_tables == local_tables
    assert marts_rows(wh) == marts_rows(built_warehouse)


def test_a_rerun_skips_everything(ray_raw, cluster):
    raw, _ = ray_raw
    before = sorted(p.name for p in raw.rglob("*") if p.is_file())
    again = ingest_to_raw([str(CORPUS)], str(raw), engine="ray")
    assert (again.loaded, again.skipped, again.failed) == (0, FILES, 0)
    assert sorted(p.name for p in raw.rglob("*") if p.is_file()) == before


def test_a_worker_killed_mid_task_is_retried_and_nothing_is_duplicated(
        cluster, tmp_path, monkeypatch, built_warehouse):
    marker = tmp_path / "killed"
    monkeypatch.setenv(ray_engine.FAULT_ENV, str(marker))
    raw = tmp_path / "raw"
    summary = ingest_to_raw([str(CORPUS)], str(raw), engine="ray", size=2)
    assert marker.exists() and marker.read_text().isdigit()  # a worker process died
    assert (summary.loaded, summary.failed) == (FILES, 0)  # … and its batch was run again
    listed = {m["parts"][t]["path"] for m in rawdir.manifests(str(raw)) for t in m["parts"]}
    assert {str(p.relative_to(raw)) for p in raw.glob("*/part-*")} == listed
    rawdir.load_warehouse(str(raw), tmp_path / "w.duckdb")
    assert raw_rows(tmp_path / "w.duckdb") == raw_rows(built_warehouse)


def test_unreadable_files_give_the_same_errors_as_locally(cluster, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_bytes(sorted(CORPUS.rglob("*.txt"))[0].read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02")
    summary = ingest_to_raw([str(folder)], str(tmp_path / "raw"), engine="ray", size=1)
    assert (summary.loaded, summary.failed) == (1, 2)
    rawdir.load_warehouse(str(tmp_path / "raw"), tmp_path / "ray.duckdb")
    ingest([folder], tmp_path / "local.duckdb", workers=1)
    ray_tables, local_tables = raw_rows(tmp_path / "ray.duckdb"), raw_rows(tmp_path / "local.duckdb")
    assert len(local_tables["ingest_errors"]) == 2
    assert ray_tables == local_tables


def test_the_command_joins_a_running_cluster_by_address(cluster, tmp_path):
    raw = tmp_path / "raw"
    sample = sorted(CORPUS.rglob("*.txt"))[0]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "ingest.cli", "ingest", "--engine", "ray",
                           "--address", cluster, "--raw-dir", str(raw), str(sample)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "files: 1 loaded" in proc.stdout
    assert len(rawdir.known_hashes(str(raw))) == 1
