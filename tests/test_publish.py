"""Serving safely (write–audit–publish): readers never see a half-built or
broken warehouse, a failed or killed build leaves the live file as it was,
published files open in older DuckDB releases and through SQLAlchemy."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from ingest.publish_paths import STORAGE_COMPATIBILITY, previous_path, staging_path, wal
from ingest.readers import supported

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OLD_DUCKDB = "1.1.3"  # an old release of the kind bundled in BI drivers


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def yibao(*args, env=None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ingest.cli", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, start_new_session=True, **kw)


def wait_for(proc: subprocess.Popen, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if text in line:
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"process ended before {text!r}: {proc.stderr.read()}")
    raise AssertionError(f"timed out waiting for {text!r}")


@pytest.fixture
def live(built_warehouse, tmp_path) -> Path:
    path = tmp_path / "live" / "yibao.duckdb"
    path.parent.mkdir()
    shutil.copy(built_warehouse, path)
    return path


def build_id(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select build_id from meta.build_info order by built_at desc limit 1").fetchone()[0]
    finally:
        con.close()


STEPS = ["ingest", "dbt", "audit", "close", "smoke", "publish"]


def _killed_at(step: str) -> list[str]:
    """The command a kill before ``step`` stops. `yibao run` is killed before its
    own two steps (ingest, dbt), and `yibao build` before the first step after
    dbt (audit: dbt has just written the staging file). The steps after the
    audit are one code path for every writing command (``Publication.publish``),
    so those kills stop a `yibao ingest` of a report already in the warehouse:
    it stages, skips the report, and publishes without a dbt build (three
    dbt builds, ~40 CPU-s, fewer for this test)."""
    if step in ("ingest", "dbt"):
        return ["run", str(CORPUS), "--rebuild"]
    if step == "audit":
        return ["build"]
    return ["ingest", str(sorted(CORPUS.rglob("*.txt"))[0])]


def test_a_build_killed_at_any_step_leaves_the_live_file_unchanged(live):
    """One kill before each step in turn (each killed build starts by cleaning
    up after the one before it), then a run that cleans up after the last."""
    before = sha(live)
    for step in STEPS:
        command = _killed_at(step)
        proc = yibao(*command, "--warehouse", str(live), env={"YIBAO_FAULT_PAUSE": step})
        wait_for(proc, f"paused before {step}")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert sha(live) == before, step
        assert not wal(live).exists(), step
        duckdb.connect(str(live), read_only=True).close()
    after = yibao("run", str(CORPUS), "--warehouse", str(live))
    assert after.wait() == 0, after.stderr.read()
    assert not staging_path(live).exists() and not wal(live).exists()


def test_a_second_build_exits_while_one_runs(live):
    first = yibao("build", "--warehouse", str(live), env={"YIBAO_FAULT_PAUSE": "dbt"})
    wait_for(first, "paused before dbt")
    second = yibao("build", "--warehouse", str(live))
    try:
        assert second.wait(timeout=60) == 1
        assert "another yibao build" in second.stderr.read()
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()


def test_a_build_whose_tests_fail_publishes_nothing(live):
    con = duckdb.connect(str(live))
    con.execute("insert into raw.documents select * from raw.documents limit 1")  # duplicate key
    con.execute("checkpoint")
    con.close()
    before = sha(live)
    proc = yibao("build", "--warehouse", str(live))
    assert proc.wait() == 1
    err = proc.stderr.read()
    assert "dbt build failed" in err and "unchanged" in err
    assert sha(live) == before


def test_audit_refuses_a_build_that_loses_rows(live, tmp_path):
    con = duckdb.connect(str(live))
    con.execute("delete from raw.line_items")
    con.execute("checkpoint")
    con.close()
    before = sha(live)
    proc = yibao("build", "--warehouse", str(live))
    assert proc.wait() == 1
    assert "audit failed" in proc.stderr.read()
    assert sha(live) == before


def _watch_duckdb(live: Path, errors: list, seen: set, stop: threading.Event,
                  renewed: threading.Event, old: str) -> None:
    """A BI reader that opens the live file read-only, again and again
    (``renewed`` is set once it has seen a build other than ``old``)."""
    while not stop.is_set():
        try:
            con = duckdb.connect(str(live), read_only=True)
            try:
                con.execute("select count(*) from marts.fct_functional_lines").fetchone()
                build = con.execute("select build_id from meta.build_info "
                                    "order by built_at desc limit 1").fetchone()[0]
                seen.add(build)
                if build != old:
                    renewed.set()
            finally:
                con.close()
        except Exception as exc:  # noqa: BLE001 — what we count
            errors.append(repr(exc))
        time.sleep(0.01)


DASHBOARD = """
import sys, time, pathlib
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
live, stop = sys.argv[1], pathlib.Path(sys.argv[2])
engine = create_engine(f"duckdb:///{live}", connect_args={"read_only": True}, poolclass=NullPool)
errors = queries = 0
while not stop.exists():
    try:
        with engine.connect() as conn:
            conn.execute(text(
                "select d.province, count(*) as n, sum(l.amount_wan_yuan) as total "
                "from marts.fct_functional_lines l join marts.dim_departments d "
                "using (department_id) group by 1")).fetchall()
        queries += 1
    except Exception as exc:
        errors += 1
        print(repr(exc), file=sys.stderr)
    time.sleep(0.01)
print(queries, errors)
"""


def _dashboard(live: Path, stop: Path) -> subprocess.Popen:
    """A dashboard's query through SQLAlchemy (duckdb-engine), as Superset runs
    it, in a process of its own as a BI server is (DuckDB refuses a second
    handle with another configuration inside one process)."""
    return subprocess.Popen([sys.executable, "-c", DASHBOARD, str(live), str(stop)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sqlalchemy_reader_lists_marts_with_comments(live):
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.pool import NullPool

    engine = create_engine(f"duckdb:///{live}", connect_args={"read_only": True}, poolclass=NullPool)
    insp = inspect(engine)
    tables = set(insp.get_table_names(schema="marts"))
    assert {"dim_departments", "fct_functional_lines", "rpt_department_years"} <= tables
    comments = {c["name"]: c.get("comment") for c in insp.get_columns("fct_functional_lines", schema="marts")}
    assert comments["source_line"] and "line" in comments["source_line"]
    engine.dispose()


def test_readers_see_no_error_during_a_rebuild_which_keeps_the_previous_build(live):
    """One rebuild, watched by two DuckDB readers and a SQLAlchemy dashboard:
    none sees an error, they see the old build and then the new one, the
    previous build is kept beside the live file, and build_info records it."""
    old = build_id(live)
    stop_file = live.parent / "stop-dashboard"
    dashboard = _dashboard(live, stop_file)
    errors, seen, stop, renewed = [], set(), threading.Event(), threading.Event()
    threads = [threading.Thread(target=_watch_duckdb, args=(live, errors, seen, stop, renewed, old))
               for _ in range(2)]
    for t in threads:
        t.start()
    try:
        proc = yibao("build", "--warehouse", str(live))
        assert proc.wait(timeout=600) == 0, proc.stderr.read()
        assert renewed.wait(timeout=60), "no reader saw the new build"
    finally:
        stop.set()
        stop_file.touch()
        for t in threads:
            t.join()
        out, err = dashboard.communicate(timeout=60)
    queries, dashboard_errors = map(int, out.split())
    assert errors == []
    assert dashboard_errors == 0 and queries > 0, err[-2000:]
    new = build_id(live)
    assert new != old and new in seen and old in seen
    assert build_id(previous_path(live)) == old
    con = duckdb.connect(str(live), read_only=True)
    try:
        row = con.execute("select input_file_count, audit_passed, storage_compatibility "
                          "from meta.build_info order by built_at desc limit 1").fetchone()
    finally:
        con.close()
    assert row == (len([f for f in CORPUS.rglob("*") if f.is_file() and supported(f.name)]), True, STORAGE_COMPATIBILITY)
    assert not wal(live).exists()


@pytest.fixture(scope="session")
def old_duckdb(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("old-duckdb")
    res = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                          "--target", str(target), f"duckdb=={OLD_DUCKDB}"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    return target


def test_the_published_file_opens_in_an_older_duckdb(live, old_duckdb):
    # `live` is a copy of a file published (and compacted) by `yibao run`: no rebuild needed
    code = ("import duckdb, sys; assert duckdb.__version__ == sys.argv[2]; "
            "c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('select count(*) from marts.dim_documents').fetchone()[0])")
    res = subprocess.run([sys.executable, "-c", code, str(live), OLD_DUCKDB], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(old_duckdb)})
    assert res.returncode == 0, res.stderr[-2000:]
    assert int(res.stdout) == len([f for f in CORPUS.rglob("*") if f.is_file() and supported(f.name)])


def test_the_published_file_size_depends_on_its_content_alone(live):
    """DuckDB picks FSST for a string column from a random sample of it, so the
    same tables written twice came out of different sizes; the published copy
    is written without it, and compacting it again keeps its size."""
    from ingest.publish_compact import compact

    con = duckdb.connect(str(live), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() "
                             "where database_name = current_database()").fetchall()
        sampled = [f"{s}.{t}" for s, t in tables if con.execute(
            "select count(*) from pragma_storage_info(?) where compression = 'FSST'",
            [f"{s}.{t}"]).fetchone()[0]]
    finally:
        con.close()
    assert len(tables) > 20 and sampled == []
    os.chmod(live, 0o644)
    sizes = {live.stat().st_size}
    for _ in range(2):
        compact(live)
        sizes.add(live.stat().st_size)
    assert len(sizes) == 1, sizes


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_round_trips(built_warehouse, tmp_path, fmt):
    from ingest.cli import main

    out = tmp_path / fmt
    assert main(["export", str(out), "--format", fmt, "--warehouse", str(built_warehouse)]) == 0
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from information_schema.tables "
                                            "where table_schema='marts'").fetchall()]
        files = duckdb.connect()
        for table in tables:
            expected = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
            if fmt == "parquet":
                got = files.execute(f"select count(*) from read_parquet('{out / table}/**/*.parquet', "
                                    "hive_partitioning = true)").fetchone()[0]
            else:
                got = files.execute(f"select count(*) from read_csv('{out / table}.csv', "
                                    "header = true)").fetchone()[0]
            assert got == expected, table
    finally:
        con.close()
    assert (out / "data_dictionary.csv").read_text(encoding="utf-8").count("\n") > 50
