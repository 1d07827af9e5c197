"""Locks, orphans, leftovers, hostile paths, safe export and safe serving."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest import publish
from ingest.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SMALL = sorted((CORPUS / "seeds").glob("004_*.txt"))[0]


# --- locks ----------------------------------------------------------------------

def test_the_build_lock_is_not_held_by_a_forked_child(tmp_path):
    live = tmp_path / "w.duckdb"
    with publish.build_lock(live):
        pid = os.fork()
        if pid == 0:                      # a parse worker forked while the lock is held
            time.sleep(30)
            os._exit(0)
    try:
        with publish.build_lock(live):    # the child lives on, yet holds no lock
            pass
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


def test_a_held_lock_is_refused_with_the_holders_pid_and_a_dead_one_is_cleared(tmp_path, capsys):
    live = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from ingest import publish\n"
        "with publish.build_lock(Path(sys.argv[1])):\n"
        "    print('locked', flush=True); time.sleep(60)\n"), str(live)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(CORPUS.parent)})
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(publish.BuildInProgress, match=f"pid {holder.pid}"):
            with publish.build_lock(live):
                pass
    finally:
        holder.kill()
        holder.wait()
    (live.with_name(live.name + ".lock")).write_text(f"{holder.pid}\n")   # as a SIGKILL leaves it
    with publish.build_lock(live):
        pass
    assert f"stale lock on {live} left by process {holder.pid}" in capsys.readouterr().err


def test_only_a_held_lock_is_reported_as_the_warehouse_being_in_use(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    blocked = folder / "no-such-dir" / "w.duckdb"
    (folder / "no-such-dir").write_text("a file where a folder should be")
    assert main(["ingest", str(SMALL), "--warehouse", str(blocked)]) == 1
    err = capsys.readouterr().err
    assert "in use by another process" not in err and "yibao:" in err


# --- leftovers ------------------------------------------------------------------

def test_a_failed_staging_copy_is_removed(tmp_path, monkeypatch):
    live = tmp_path / "w.duckdb"
    publish.create_empty(live)

    def full_disk(src, dst):
        Path(dst).write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(publish.shutil, "copyfile", full_disk)
    with pytest.raises(OSError):
        publish.stage(live)
    assert not publish.staging_path(live).exists()


def test_a_stray_wal_is_moved_aside_before_publishing(tmp_path, capsys):
    live = tmp_path / "w.duckdb"
    publish.create_empty(live)
    publish.wal(live).write_bytes(b"garbage from a crashed writer")
    staging = publish.stage(live)
    assert not publish.wal(live).exists() and not publish.wal(staging).exists()
    assert list(tmp_path.glob("w.duckdb.wal.stray-*"))
    assert "moved aside" in capsys.readouterr().err
    staging.unlink()


# --- hostile paths ----------------------------------------------------------------

HOSTILE = "x'; copy (select 1) to 'PWNED.csv'; --"


def test_two_warehouses_of_one_folder_get_links_of_their_own(tmp_path):
    """dbt opens each warehouse by the same plain name (one parse serves all),
    each in a folder of its own: two builds at once share no link and no .wal."""
    from ingest.build import DBT_LINK, safe_path

    a, b = tmp_path / "a'.duckdb", tmp_path / "b;.duckdb"
    for wh in (a, b):
        con = duckdb.connect(str(wh))
        con.execute("create table t (name varchar)")
        con.execute("insert into t values (?)", [wh.stem])
        con.close()
    with safe_path(a) as link_a, safe_path(b) as link_b:
        assert link_a.name == link_b.name == DBT_LINK and link_a != link_b
        for link, wh in ((link_a, a), (link_b, b)):
            assert os.path.samefile(link, wh)
            con = duckdb.connect(str(link))
            assert con.execute("select name from t").fetchone()[0] == wh.stem
            con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a'.duckdb", "b;.duckdb"]


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory) -> Path:
    """Two reports built by `yibao run` into a warehouse whose folder and file
    names carry quotes and semicolons (run from the fixture's own folder, where
    an injected ``copy … to`` would land); the tests below read it."""
    base = tmp_path_factory.mktemp("small")
    folder = base / "it's \"odd\"; drop table x; --"
    folder.mkdir()
    wh = folder / "w'h;\"x.duckdb"
    cwd = os.getcwd()
    os.chdir(base)
    try:
        assert main(["run", str(SMALL), str(sorted((CORPUS / "samples").glob("28_*"))[0]),
                     "--warehouse", str(wh)]) == 0
    finally:
        os.chdir(cwd)
    return wh


@pytest.mark.slow
def test_a_warehouse_path_with_quotes_and_semicolons_builds(small_warehouse):
    con = duckdb.connect(str(small_warehouse), read_only=True)
    assert con.execute("select count(*) from marts.dim_documents").fetchone()[0] == 2
    con.close()
    assert not list(small_warehouse.parent.parent.rglob("PWNED*"))


@pytest.mark.slow
def test_export_folder_names_never_reach_sql(small_warehouse, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for fmt in ("parquet", "csv"):
        out = tmp_path / fmt / HOSTILE
        assert main(["export", str(out), "--format", fmt, "--warehouse", str(small_warehouse)]) == 0
        assert (out / "data_dictionary.csv").exists()
    assert not list(tmp_path.rglob("PWNED*")) and not list(Path.cwd().rglob("PWNED*"))


def _parquet_rows(folder: Path, table: str) -> int:
    return duckdb.connect().execute(
        "select count(*) from read_parquet(?, hive_partitioning = true)",
        [str(folder / table / "**" / "*.parquet")]).fetchone()[0]


@pytest.mark.slow
def test_export_replaces_its_own_earlier_export_whole(small_warehouse, tmp_path):
    out = tmp_path / "export"
    assert main(["export", str(out), "--warehouse", str(small_warehouse)]) == 0
    stale = out / "fct_functional_lines" / "fiscal_year=1999"
    stale.mkdir()
    shutil.copy(next((out / "fct_functional_lines").rglob("*.parquet")), stale / "data_0.parquet")
    assert main(["export", str(out), "--warehouse", str(small_warehouse)]) == 0
    con = duckdb.connect(str(small_warehouse), read_only=True)
    expected = con.execute("select count(*) from marts.fct_functional_lines").fetchone()[0]
    con.close()
    assert not stale.exists()
    assert _parquet_rows(out, "fct_functional_lines") == expected
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # no partial left


@pytest.mark.slow
def test_export_never_overwrites_a_users_files(small_warehouse, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "fct_functional_lines.csv").write_text("my own numbers\n")
    assert main(["export", str(out), "--format", "csv", "--warehouse", str(small_warehouse)]) == 0
    assert (out / "fct_functional_lines.csv").read_text() == "my own numbers\n"
    [sub] = [p for p in out.iterdir() if p.is_dir()]
    assert sub.name.startswith("yibao-export-")
    data = (sub / "fct_functional_lines.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")            # UTF-8 BOM: Excel reads it as UTF-8
    assert "功能分类" in data.decode("utf-8-sig") or data.count(b"\n") > 10


# --- serving ---------------------------------------------------------------------

@pytest.mark.slow
def test_the_published_file_is_read_only_and_a_superset_style_reader_cannot_reach_outside(
        small_warehouse, tmp_path):
    sqlalchemy = pytest.importorskip("sqlalchemy")
    pytest.importorskip("duckdb_engine")
    assert (small_warehouse.stat().st_mode & 0o777) == 0o444
    outside = tmp_path / "secret.csv"
    outside.write_text("a,b\n1,2\n")
    # exactly the engine parameters the README gives for Superset
    engine = sqlalchemy.create_engine(
        f"duckdb:///{small_warehouse}",
        connect_args={"read_only": True,
                      "config": {"enable_external_access": False, "lock_configuration": True}},
        pool_pre_ping=True)
    with engine.connect() as con:
        assert con.execute(sqlalchemy.text("select count(*) from marts.dim_documents")).scalar() == 2
        for sql in (f"select * from read_csv('{outside}')",
                    f"copy (select 1) to '{tmp_path / 'out.csv'}'",
                    "set enable_external_access = true"):
            with pytest.raises(sqlalchemy.exc.DBAPIError):   # DuckDB refuses; SQLAlchemy wraps it
                con.execute(sqlalchemy.text(sql))
    engine.dispose()
    assert not (tmp_path / "out.csv").exists()
