"""What a rebuild keeps: the views and seeds the last build made, when a new
build would make them again exactly as they are.

A view holds no rows (its SQL is read when it is queried) and a seed depends
on no report, so after new reports were loaded, re-creating them repeats the
last build's work: about 60 ms of dbt's bookkeeping each (their SQL takes
2–5 ms), 23 of the 91 nodes of this project. They are kept when the
warehouse's last dbt build (``meta.build_info``, the latest row with dbt
results) was made by this same project (``project_sha256``: models, macros,
seeds, tests and the ingest code), dbt and DuckDB, and every relation it
recorded as made that way is still in the file. Then dbt builds the tables
and runs **every** data test (those of the kept views and seeds too: their
rows changed with the reports). Anything else — a first build, a changed
project or version, a relation missing, a model materialised some other way
(``KEPT_MATERIALIZATIONS``), ``--rebuild`` — builds everything.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

# what a rebuild may keep, and what it then selects (every other node: tables and tests)
KEPT_MATERIALIZATIONS = frozenset({"view", "seed"})
BUILT_MATERIALIZATIONS = frozenset({"table"})
REBUILD_SELECT = ["--select", *(f"config.materialized:{m}" for m in sorted(BUILT_MATERIALIZATIONS)),
                  "resource_type:test"]


def dbt_version() -> str:
    from importlib.metadata import version

    return f"dbt-core {version('dbt-core')}, dbt-duckdb {version('dbt-duckdb')}"


def made_relations(manifest: Path) -> list[str] | None:
    """``schema.name`` of every view and seed of a build's manifest, or None when
    a model is materialised neither as those nor as a table (a rebuild that kept
    the views and seeds would select it nowhere), or there is no manifest."""
    try:
        nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    except (OSError, ValueError, KeyError):
        return None
    out = []
    for node in nodes:
        kind = node["resource_type"]
        if kind not in ("model", "seed"):
            continue
        materialized = "seed" if kind == "seed" else node["config"].get("materialized")
        if materialized in KEPT_MATERIALIZATIONS:
            out.append(f"{node['schema']}.{node['alias']}")
        elif materialized not in BUILT_MATERIALIZATIONS:
            return None
    return sorted(out)


def _last_dbt_build(con: duckdb.DuckDBPyConnection):
    try:
        return con.execute(
            "select project_sha256, duckdb_version, dbt_version, dbt_relations "
            "from meta.build_info where dbt_passed is not null "
            "order by built_at desc limit 1").fetchone()
    except duckdb.Error:   # no build yet, or one recorded before these columns
        return None


def _present(con: duckdb.DuckDBPyConnection, relations: list[str]) -> bool:
    held = {f"{s}.{n}" for s, n in con.execute(
        "select schema_name, view_name from duckdb_views() where not internal "
        "union all select schema_name, table_name from duckdb_tables()").fetchall()}
    return all(r in held for r in relations)


def reusable(warehouse: Path, project: str) -> list[str] | None:
    """The relations a build of ``warehouse`` may keep (see the module), or None."""
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = _last_dbt_build(con)
        if row is None:
            return None
        built_by, duckdb_built, dbt_built, relations = row
        if (built_by != project or duckdb_built != duckdb.__version__
                or dbt_built != dbt_version() or not relations):
            return None
        return list(relations) if _present(con, list(relations)) else None
    finally:
        con.close()
