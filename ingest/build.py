"""Build: run ``dbt build`` (seeds, models and data tests) against a warehouse.

dbt runs in a child process (``python -m ingest.dbt_child``: dbt's
``dbtRunner`` with a cheaper log, see that module) with this
repository's project and ``profiles.yml``; the warehouse path reaches the
profile through ``YIBAO_WAREHOUSE``. A child process keeps dbt's DuckDB
handle out of ours (DuckDB refuses a second handle on the same file with a
different configuration) and lets a failed or killed build end cleanly.
The outcome is read from dbt's ``run_results.json``. The child is forked
from the dbt zygote (``ingest.dbt_zygote``: dbt imported once per process,
started by ``warm_up`` while the reports are read); without one (it could not
start, or ``YIBAO_DBT_ZYGOTE=0``) it is a fresh ``python -m ingest.dbt_child``.

dbt's file log (``logs/dbt.log`` beside the warehouse) is kept at ``info``:
every node's start, result and error, without the debug lines (each query's
text and timings) that made up most of the log and about 5 % of dbt's
time per node.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ingest.dbt_zygote import Zygote, ZygoteGone
from ingest.workers import die_with_parent

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT_LINK = "yibao_dbt.duckdb"   # the name dbt opens a warehouse by (safe_path)
FAILED_STATUSES = {"error", "fail", "runtime error"}


class BuildFailed(Exception):
    """dbt build did not pass: the reason names the failing nodes."""


@dataclass
class BuildResult:
    passed: int
    warned: int
    skipped: int
    # the views and seeds as the project makes them (kept or made by this build;
    # None: not known, the next build makes them again), and how many were kept
    relations: list[str] | None = None
    kept: int = 0


def target_dir(warehouse: Path) -> Path:
    return warehouse.parent / "target"


def dbt_args(args: list[str], warehouse: Path) -> list[str]:
    return [*args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(target_dir(warehouse))]


@contextmanager
def safe_path(warehouse: Path):
    """The warehouse under a name no SQL can trip on: dbt-duckdb turns the
    file's name into SQL (the database name it quotes and compares with
    DuckDB's catalog), so a name with ``'``, ``"`` or ``;`` breaks it. dbt
    gets a hard link with a plain name (a symlink would not do: DuckDB
    resolves it and names the catalog after the target); a ``.wal`` left
    beside the link is moved beside the real file.

    The link's name is the same for every warehouse and dbt runs in the
    link's folder with the path relative to it, because dbt keeps its parse
    of the project only while the profile, the path included, stays the
    same: a new name each build cost a full parse (about 5 s) every time.
    So a parse made for one warehouse serves another too (dbt reads it from
    ``DBT_PARTIAL_PARSE_FILE_PATH`` when set; the tests share one this way).
    The link stands in a folder of its own per warehouse, beside the file
    (``.yibao_dbt_<digest of its path>/``, the same file system, as a hard
    link needs): two warehouses of one folder built at once never share a
    link or its ``.wal``. Builds of one file never overlap (the build lock),
    so a link left by a killed build is simply replaced."""
    real = warehouse.resolve()
    folder = real.with_name(f".yibao_dbt_{hashlib.sha256(str(real).encode()).hexdigest()[:12]}")
    folder.mkdir(exist_ok=True)
    link = folder / DBT_LINK
    link.unlink(missing_ok=True)
    os.link(real, link)
    try:
        yield link
    finally:
        left = link.with_name(link.name + ".wal")
        if left.exists():
            os.replace(left, real.with_name(real.name + ".wal"))
        link.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


def _child_env() -> dict[str, str]:
    return {**os.environ,
            # the child imports this very package (ingest.dbt_child), wherever it is installed
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")])),
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


_zygote: Zygote | None = None


def zygote_wanted() -> bool:
    return os.environ.get("YIBAO_DBT_ZYGOTE", "1") != "0"


def warm_up() -> Zygote | None:
    """Start the dbt zygote (``ingest.dbt_zygote``) unless it runs already: dbt
    is imported meanwhile this process goes on. ``YIBAO_DBT_ZYGOTE=0`` turns it
    off: each dbt command is then a fresh ``python -m ingest.dbt_child``."""
    global _zygote
    if not zygote_wanted():
        return None
    if _zygote is None or not _zygote.alive():
        _zygote = Zygote(_child_env())
        atexit.register(_zygote.close)
    return _zygote


def run_dbt(args: list[str], warehouse: Path, quiet: bool = True) -> subprocess.CompletedProcess:
    """Run one dbt command against ``warehouse`` in a child process (of the
    zygote when there is one, else of this process; in this process's group,
    and killed if this process dies)."""
    with safe_path(warehouse) as link:
        env = {**_child_env(),
               "YIBAO_WAREHOUSE": link.name,   # relative to cwd: the same profile for every warehouse
               "DBT_LOG_PATH": str(warehouse.parent / "logs"),
               "DBT_LOG_LEVEL_FILE": os.environ.get("DBT_LOG_LEVEL_FILE", "info")}
        dbt = dbt_args(args, warehouse)
        zygote = warm_up()
        if zygote is not None:
            try:
                return _run_in_zygote(zygote, dbt, link.parent, env, quiet)
            except ZygoteGone:
                pass   # could not fork there: a process of its own, as without a zygote
        return subprocess.run([sys.executable, "-m", "ingest.dbt_child", *dbt], cwd=link.parent, env=env,
                              capture_output=quiet, text=True, preexec_fn=die_with_parent)


def _run_in_zygote(zygote: Zygote, dbt: list[str], cwd: Path, env: dict[str, str],
                   quiet: bool) -> subprocess.CompletedProcess:
    if not quiet:
        sys.stdout.flush()
        sys.stderr.flush()
        return subprocess.CompletedProcess(dbt, zygote.run(dbt, cwd, env, sys.stdout.fileno(),
                                                           sys.stderr.fileno()))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        status = zygote.run(dbt, cwd, env, out.fileno(), err.fileno())
        return subprocess.CompletedProcess(dbt, status, _text(out), _text(err))


def _text(file) -> str:
    file.seek(0)
    return file.read().decode("utf-8", errors="replace")


def _results(warehouse: Path) -> list[dict]:
    path = target_dir(warehouse) / "run_results.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("results", [])


def _last_error_line(proc: subprocess.CompletedProcess) -> str:
    lines = [line.strip() for line in (proc.stdout or "").splitlines() if line.strip()]
    for line in reversed(lines):
        if "error" in line.lower():
            return line[-300:]
    return lines[-1][-300:] if lines else f"exit status {proc.returncode}"


def _node_name(unique_id: str) -> str:
    """`test.yibao.not_null_x_y.ab12cd` → `not_null_x_y`; `model.yibao.m` → `m`."""
    parts = unique_id.split(".")
    return parts[2] if len(parts) > 2 else unique_id


# The models, seeds and data tests: what a build checks is the data. The dbt unit
# tests check the models' logic on fixed inputs written in their YAML, so their
# result can't depend on the reports loaded; they run in the test suite
# (tests/test_dbt_unit_tests.py), not in every user's build.
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]


def build(warehouse: Path, full: bool = False) -> BuildResult:
    """``dbt build`` on ``warehouse``; the views and seeds its last build made are
    kept where nothing they depend on changed (``ingest.build_reuse``), unless
    ``full``."""
    from ingest.build_reuse import REBUILD_SELECT, made_relations, reusable
    from ingest.publish_record import project_sha256

    if not warehouse.exists():
        raise BuildFailed(f"{warehouse}: no warehouse yet; run `yibao ingest PATH` first")
    kept = None if full else reusable(warehouse, project_sha256())
    results_file = target_dir(warehouse) / "run_results.json"
    results_file.unlink(missing_ok=True)
    proc = run_dbt(BUILD_ARGS + (REBUILD_SELECT if kept else []), warehouse)
    results = _results(warehouse)
    failed = [f'{_node_name(r["unique_id"])} ({(r.get("message") or "").strip()[:120]})'
              for r in results if str(r.get("status")).lower() in FAILED_STATUSES]
    if failed:
        raise BuildFailed(f"dbt build failed on {len(failed)} node(s): " + ", ".join(failed[:6])
                          + (" …" if len(failed) > 6 else ""))
    if proc.returncode != 0:
        raise BuildFailed(f"dbt build could not run: {_last_error_line(proc)}")
    statuses = [str(r.get("status")).lower() for r in results]
    return BuildResult(passed=sum(s in ("pass", "success") for s in statuses),
                       warned=statuses.count("warn"),
                       skipped=statuses.count("skipped"),
                       relations=made_relations(target_dir(warehouse) / "manifest.json"),
                       kept=len(kept or ()))
