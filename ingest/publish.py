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

This module holds the lock, the staging copy, the swap and the cycle that
runs the steps; the steps' parts are beside it: ``publish_paths`` (the
files of a warehouse, the storage version, ``PublishFailed``),
``publish_audit`` (audit and smoke), ``publish_record`` (``meta.build_info``
and the no-change check), ``publish_compact`` (compaction). Their names are
importable from here too.
"""
from __future__ import annotations

import fcntl
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

from ingest.publish_audit import (  # noqa: F401  (re-exported)
    FACT_KEYS,
    Audit,
    audit,
    marts_counts,
    read_snapshot,
    smoke,
)
from ingest.publish_compact import COMPACT_SETTINGS, compact, sql_identifier, sql_literal  # noqa: F401
from ingest.publish_paths import (  # noqa: F401  (re-exported)
    STORAGE_COMPATIBILITY,
    PublishFailed,
    compact_path,
    previous_path,
    staging_path,
    wal,
)
from ingest.publish_record import (  # noqa: F401  (re-exported)
    PROJECT_INPUTS,
    project_sha256,
    unchanged_since_last_build,
    write_build_info,
)

# The live file (and so the previous one, a hard link to it) is read-only for
# everyone: a reader's connection can't write it, nor COPY … TO over it.
PUBLISHED_MODE = 0o444
DEFAULT_TOLERANCE = 0.5


class BuildInProgress(Exception):
    """Another yibao process is writing this warehouse."""


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
                dbt_warned: int | None = None, dbt_relations: list[str] | None = None) -> Audit:
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
            "dbt_passed": dbt_passed, "dbt_warned": dbt_warned, "dbt_relations": dbt_relations,
            "audit": result})
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
