"""Compaction, the last part of the close step: the staging file copied whole
into a fresh file (storage version pinned, no FSST), so the published file's
size depends on its content alone. See ``ingest.publish``."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ingest.publish_paths import STORAGE_COMPATIBILITY, PublishFailed, compact_path, wal

# The published copy's writer: no compression chosen from a random sample (see compact).
# (A SET statement: DuckDB ignores this option in connect's config.)
COMPACT_SETTINGS = "set global disabled_compression_methods = 'fsst'"


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
