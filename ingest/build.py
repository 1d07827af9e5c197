"""Build: run ``dbt build`` (models, seeds and data tests) against a warehouse.

dbt is run in-process through its programmatic entry point (``dbtRunner``),
with the project and ``profiles.yml`` of this repository; the warehouse path
reaches the profile through the ``YIBAO_WAREHOUSE`` environment variable.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent


class BuildFailed(Exception):
    """dbt build did not pass: the reason names the failing nodes."""


@dataclass
class BuildResult:
    passed: int
    warned: int
    skipped: int


def dbt_args(command: list[str], warehouse: Path) -> list[str]:
    return [*command,
            "--project-dir", str(PROJECT_DIR),
            "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(warehouse.parent / "target"),
            "--log-path", str(warehouse.parent / "logs")]


def run_dbt(command: list[str], warehouse: Path, quiet: bool = True):
    """Invoke dbt in-process with YIBAO_WAREHOUSE pointing at ``warehouse``."""
    os.environ["YIBAO_WAREHOUSE"] = str(warehouse.resolve())
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from dbt.cli.main import dbtRunner

    args = dbt_args(command, warehouse)
    if quiet:
        args = ["--log-level", "warn", *args]
    return dbtRunner().invoke(args)


def build(warehouse: Path) -> BuildResult:
    if not warehouse.exists():
        raise BuildFailed(f"{warehouse}: no warehouse yet; run `yibao ingest PATH` first")
    res = run_dbt(["build"], warehouse)
    if res.exception is not None:
        raise BuildFailed(f"dbt build could not run: {res.exception}")
    statuses: dict[str, int] = {}
    failed = []
    for r in res.result or []:
        status = str(r.status).lower()
        statuses[status] = statuses.get(status, 0) + 1
        if status in ("error", "fail", "runtime error"):
            failed.append(r.node.name)
    if failed or not res.success:
        raise BuildFailed(f"dbt build failed: {len(failed)} node(s): " + ", ".join(failed[:8])
                          + (" …" if len(failed) > 8 else ""))
    return BuildResult(
        passed=statuses.get("pass", 0) + statuses.get("success", 0),
        warned=statuses.get("warn", 0),
        skipped=statuses.get("skipped", 0),
    )


def marts_row_counts(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name").fetchall()]
        return {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
