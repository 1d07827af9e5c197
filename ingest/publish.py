"""Write–audit–publish: readers never see a half-built warehouse.

DuckDB allows one writing process or many readers, never both. So no command
writes the live file: each works on a **staging copy** next to it
(``<name>.building.duckdb``), and only a copy that passed every step replaces
the live file, atomically (``os.replace``), after the live file was kept as
``<name>.previous.duckdb``:

1. lock    — ``<name>.lock`` (an OS file lock, released if the process dies);
             a second build exits with a clear message.
2. stage   — copy the live file (or create a new one) as the staging file.
3. write   — ingest and/or ``dbt build`` against the staging file.
4. audit   — no orphan keys in the marts, marts row counts against the
             previous build within ``YIBAO_AUDIT_TOLERANCE`` (default 0.5: no
             table may lose more than half its rows while the documents did
             not shrink), reconciliation summary recorded.
5. close   — ``meta.build_info`` written, CHECKPOINT, connection closed: no
             ``.wal`` may remain; then **compacted**: copied whole
             (``COPY FROM DATABASE``) into a fresh file, so the published
             file's size depends on its content, not on how many builds
             replaced its tables before.
6. smoke   — reopened read-only, every marts table queried.
7. publish — live kept as previous, staging renamed over live.

A failure at any step leaves the live file untouched and names the step. A
new file is created with ``storage_compatibility_version`` pinned
(``STORAGE_COMPATIBILITY``) so that the older DuckDB releases bundled in BI
drivers can open it.

For fault-injection tests, ``YIBAO_FAULT_PAUSE=<step>`` makes the process
announce ``paused before <step>`` on stderr and sleep, so a test can kill it
there.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingest import __version__

STORAGE_COMPATIBILITY = "v1.1.0"
# The live file (and so the previous one, a hard link to it) is read-only for
# everyone: a reader's connection can't write it, nor COPY … TO over it.
PUBLISHED_MODE = 0o444
DEFAULT_TOLERANCE = 0.5
# The published copy's writer: no compression chosen from a random sample (see compact).
# (A SET statement: DuckDB ignores this option in connect's config.)
COMPACT_SETTINGS = "set global disabled_compression_methods = 'fsst'"
FACT_KEYS = {
    "fct_functional_lines": ("document_id", "department_id"),
    "fct_economic_lines": ("document_id", "department_id"),
    "fct_indicator_results": ("document_id", "department_id"),
    "fct_project_executions": ("document_id", "department_id"),
    "fct_department_metrics": ("document_id", "department_id"),
    "fct_data_quality_issues": ("document_id",),
    "dim_documents": ("department_id",),
}


class BuildInProgress(Exception):
    """Another yibao process is writing this warehouse."""


class PublishFailed(Exception):
    """A step failed; the live warehouse is untouched."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"{step} failed: {reason} (the live warehouse is unchanged)")
        self.step = step


def compact_path(path: Path) -> Path:
    return path.with_name(path.stem + ".compact" + path.suffix)


def staging_path(live: Path) -> Path:
    return live.with_name(live.stem + ".building" + live.suffix)


def previous_path(live: Path) -> Path:
    return live.with_name(live.stem + ".previous" + live.suffix)


def wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def fault_pause(step: str) -> None:
    if os.environ.get("YIBAO_FAULT_PAUSE") == step:
        print(f"paused before {step}", file=sys.stderr, flush=True)
        time.sleep(3600)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def build_lock(live: Path):
    """The build lock: a POSIX record lock (``lockf``), which belongs to this
    process alone — forked parse workers and the dbt child never inherit it,
    and the kernel releases it when the process dies. The holder's pid is
    written into the lock file; a pid left by a dead process is reported as a
    stale lock and cleared."""
    live.parent.mkdir(parents=True, exist_ok=True)
    lock_file = live.with_name(live.name + ".lock")
    fd = os.open(lock_file, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise BuildInProgress(f"another yibao build (pid {holder or '?'}) is writing {live} "
                                  f"(lock {lock_file}); wait for it to finish") from None
        stale = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if stale.isdigit() and int(stale) != os.getpid() and not _alive(int(stale)):
            print(f"yibao: cleared a stale lock on {live} left by process {stale}, which is no "
                  "longer running", file=sys.stderr)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)   # releases the lock


def create_empty(path: Path) -> None:
    con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    con.close()


def set_aside_stray_wal(live: Path) -> Path | None:
    """A ``.wal`` beside the live file (a crashed writer's, or copied in) is moved
    aside with a warning, never replayed into a build nor published next to it."""
    stray = wal(live)
    if not stray.exists():
        return None
    aside = stray.with_name(f"{stray.name}.stray-{datetime.now():%Y%m%d-%H%M%S}")
    os.replace(stray, aside)
    print(f"yibao: warning: {stray} was beside the live warehouse; moved aside to {aside.name} "
          "(a published file never has a .wal)", file=sys.stderr)
    return aside


def leftovers(staging: Path) -> tuple[Path, ...]:
    """The files a killed build may leave beside the live one."""
    return staging, wal(staging), compact_path(staging), wal(compact_path(staging))


def stage(live: Path) -> Path:
    """A fresh staging copy of the live warehouse (left-overs of killed builds removed;
    a copy that fails half-way, e.g. on a full disk, is removed too)."""
    staging = staging_path(live)
    for leftover in leftovers(staging):
        leftover.unlink(missing_ok=True)
    set_aside_stray_wal(live)
    try:
        if live.exists():
            shutil.copyfile(live, staging)
        else:
            create_empty(staging)
    except BaseException:
        for leftover in leftovers(staging):
            leftover.unlink(missing_ok=True)
        raise
    return staging


def marts_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "order by table_name").fetchall()]
    return {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}


def _document_count(con: duckdb.DuckDBPyConnection) -> int:
    try:
        return con.execute("select count(*) from raw.documents").fetchone()[0]
    except duckdb.CatalogException:
        return 0


def read_snapshot(path: Path) -> dict | None:
    """Marts row counts and document count of a published warehouse, if any."""
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {"counts": marts_counts(con), "documents": _document_count(con)}
    finally:
        con.close()


PROJECT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds",
                  "data-tests", "ingest")


def project_sha256() -> str:
    """One hash of everything besides the reports that a build's output depends
    on: the dbt project (models, macros, seeds, tests, config) and the ingest code."""
    from ingest.build import PROJECT_DIR
    from ingest.version import files_digest, tree_files

    digest = hashlib.sha256()
    for name in PROJECT_INPUTS:
        files_digest(tree_files(PROJECT_DIR / name), PROJECT_DIR, digest)
    return digest.hexdigest()


def unchanged_since_last_build(live: Path, input_hashes: set[str], project: str) -> str | None:
    """The id of the live build if it was a full build (dbt passed) of these same
    inputs with this same project, so building again would publish the same file."""
    if not live.exists() or wal(live).exists():
        return None
    try:
        con = duckdb.connect(str(live), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(
            "select build_id, input_sha256, failed_sha256, project_sha256, dbt_passed "
            "from meta.build_info order by built_at desc limit 1").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if not row or row[3] != project or row[4] is None:
        return None
    seen = set(row[1] or ()) | set(row[2] or ())
    return row[0] if input_hashes <= seen else None


@dataclass
class Audit:
    passed: bool
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    issues_by_severity: dict[str, int] = field(default_factory=dict)


def audit(con: duckdb.DuckDBPyConnection, previous: dict | None, tolerance: float,
          marts_expected: bool) -> Audit:
    counts = marts_counts(con)
    result = Audit(passed=True, counts=counts, documents=_document_count(con))
    if marts_expected:
        for table, keys in FACT_KEYS.items():
            if table not in counts:
                result.problems.append(f"marts.{table} is missing")
                continue
            for key in keys:
                dim = "dim_documents" if key == "document_id" else "dim_departments"
                orphans = con.execute(
                    f"select count(*) from marts.{table} f where f.{key} is not null and not exists "
                    f"(select 1 from marts.{dim} d where d.{key} = f.{key})").fetchone()[0]
                if orphans:
                    result.problems.append(f"marts.{table}: {orphans} rows with an orphan {key}")
        if "fct_data_quality_issues" in counts:
            result.issues_by_severity = dict(con.execute(
                "select severity, count(*) from marts.fct_data_quality_issues group by 1").fetchall())
    if previous and result.documents >= previous["documents"]:
        for table, before in previous["counts"].items():
            after = counts.get(table, 0)
            if before and after < before * (1 - tolerance):
                result.problems.append(
                    f"marts.{table} fell from {before} to {after} rows (more than "
                    f"{tolerance:.0%}) though no document was removed")
    result.passed = not result.problems
    return result


def write_build_info(con: duckdb.DuckDBPyConnection, info: dict) -> None:
    con.execute("create schema if not exists meta")
    con.execute("""
        create table if not exists meta.build_info (
            build_id varchar, built_at timestamp, command varchar, project_version varchar,
            duckdb_version varchar, storage_compatibility varchar,
            input_file_count integer, input_sha256 varchar[],
            dbt_passed integer, dbt_warned integer,
            audit_passed boolean, audit_problems varchar[],
            data_quality_issues json, marts_row_counts json)""")
    con.execute("alter table meta.build_info add column if not exists project_sha256 varchar")
    con.execute("alter table meta.build_info add column if not exists failed_sha256 varchar[]")
    try:
        hashes = [r[0] for r in con.execute("select sha256 from raw.documents order by 1").fetchall()]
    except duckdb.CatalogException:
        hashes = []
    try:
        failed = [r[0] for r in con.execute(
            "select distinct sha256 from raw.ingest_errors where stage = 'decode' order by 1").fetchall()]
    except duckdb.CatalogException:
        failed = []
    con.execute("""
        insert into meta.build_info by name select
            ? as build_id, ? as built_at, ? as command, ? as project_version,
            ? as duckdb_version, ? as storage_compatibility, ? as input_file_count,
            ? as input_sha256, ? as dbt_passed, ? as dbt_warned, ? as audit_passed,
            ? as audit_problems, ? as data_quality_issues, ? as marts_row_counts,
            ? as project_sha256, ? as failed_sha256""", [
        info["build_id"], info["built_at"], info["command"], __version__, duckdb.__version__,
        STORAGE_COMPATIBILITY, len(hashes), hashes, info.get("dbt_passed"), info.get("dbt_warned"),
        info["audit"].passed, info["audit"].problems,
        json.dumps(info["audit"].issues_by_severity), json.dumps(info["audit"].counts),
        info.get("project_sha256") or project_sha256(), failed])
    con.execute("comment on table meta.build_info is 'One row per published build of this "
                "warehouse: when, from which files, with which test and audit results.'")


def sql_literal(text: str) -> str:
    """A string literal by SQL's rule (quotes doubled): ATTACH takes no parameter."""
    return "'" + text.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """A quoted identifier by SQL's rule (double quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def compact(path: Path) -> None:
    """Rewrite ``path`` as a fresh file holding the same catalog and data.

    DuckDB does not give back the blocks of a replaced table, so a file that
    dbt rebuilt N times keeps N tables' worth of dead space; a copy into a
    new file (storage version pinned) holds only what is live. Comments,
    views and constraints are copied too.

    The copy is written without FSST string compression: DuckDB chooses a
    string column's compression from a *random* sample of its vectors
    (``COMPACT_SETTINGS``), so the same tables copied twice came out
    FSST-, dictionary- or un-compressed by chance and the file's size moved by
    ±5 % from one no-change rebuild to the next. Without FSST the choice
    (dictionary, or plain) is computed from all the data, so the size depends
    on the content alone (and was smaller on the sample and generated corpora).
    The bytes still differ between copies (DuckDB leaves the unused tail of a
    string segment's buffer uninitialised); the size does not.
    """
    fresh = compact_path(path)
    for leftover in (fresh, wal(fresh)):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(fresh), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    try:
        con.execute(COMPACT_SETTINGS)
        target = con.execute("select current_database()").fetchone()[0]
        con.execute(f"attach {sql_literal(str(path))} as yibao_src (read_only)")
        con.execute(f"copy from database yibao_src to {sql_identifier(target)}")
        con.execute("detach yibao_src")
        con.execute("checkpoint")
    finally:
        con.close()
    if wal(fresh).exists():
        raise PublishFailed("close", f"{wal(fresh).name} remains after compaction")
    os.replace(fresh, path)


def close_and_checkpoint(path: Path, info: dict) -> None:
    con = duckdb.connect(str(path))
    try:
        write_build_info(con, info)
        con.execute("checkpoint")
    finally:
        con.close()
    if wal(path).exists():
        raise PublishFailed("close", f"{wal(path).name} remains after checkpoint")
    compact(path)


def smoke(path: Path) -> None:
    con = duckdb.connect(str(path), read_only=True)
    try:
        for table in marts_counts(con):
            con.execute(f'select * from marts."{table}" limit 1').fetchall()
        con.execute("select count(*) from meta.build_info").fetchone()
    finally:
        con.close()


def swap_in(staging: Path, live: Path) -> None:
    """Keep live as previous, then rename staging over live (atomic on POSIX)."""
    if live.exists():
        prev = previous_path(live)
        prev.unlink(missing_ok=True)
        os.link(live, prev)
    os.chmod(staging, PUBLISHED_MODE)
    os.replace(staging, live)
    dir_fd = os.open(live.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@dataclass
class Publication:
    """One write–audit–publish cycle around a command's work on ``staging``."""
    live: Path
    command: str
    staging: Path | None = None
    build_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    def publish(self, marts_expected: bool, dbt_passed: int | None = None,
                dbt_warned: int | None = None) -> Audit:
        assert self.staging is not None
        tolerance = float(os.environ.get("YIBAO_AUDIT_TOLERANCE", DEFAULT_TOLERANCE))
        fault_pause("audit")
        previous = read_snapshot(self.live)
        con = duckdb.connect(str(self.staging))
        try:
            result = audit(con, previous, tolerance, marts_expected)
        finally:
            con.close()
        if not result.passed:
            raise PublishFailed("audit", "; ".join(result.problems))
        fault_pause("close")
        close_and_checkpoint(self.staging, {
            "build_id": self.build_id, "command": self.command,
            "built_at": datetime.now(timezone.utc).replace(tzinfo=None),
            "dbt_passed": dbt_passed, "dbt_warned": dbt_warned, "audit": result})
        fault_pause("smoke")
        try:
            smoke(self.staging)
        except duckdb.Error as exc:
            raise PublishFailed("smoke", str(exc).splitlines()[0]) from None
        fault_pause("publish")
        swap_in(self.staging, self.live)
        return result


@contextmanager
def publication(live: Path, command: str):
    """Lock, stage, yield the Publication; on any failure discard the staging file."""
    with build_lock(live):
        pub = Publication(live=live, command=command)
        pub.staging = stage(live)
        try:
            yield pub
        finally:
            for leftover in leftovers(pub.staging):
                leftover.unlink(missing_ok=True)
