"""The raw layer: DuckDB tables written in bulk from polars frames.

Every raw table is declared in ``ingest.schema``; this module creates them,
turns parsed rows into one typed polars frame per table, and writes a batch of
documents in **one transaction**: a document's earlier facts (same source
file, older content) are deleted and its new facts inserted, or nothing is.
Rows go in through Arrow (``insert … select * from frame``), never one by one.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from ingest import lineage
from ingest.schema import DOCUMENT_ALIASES, DOCUMENTS, FACT_TABLES, INGEST_ERRORS, raw_schema

RAW = "raw"


def duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Decimal):
        return f"decimal({dtype.precision}, {dtype.scale})"
    if isinstance(dtype, pl.Datetime):
        return "timestamp"
    return {
        pl.Utf8: "varchar",
        pl.Int32: "integer",
        pl.Int64: "bigint",
        pl.Float64: "double",
        pl.Boolean: "boolean",
    }[dtype]


def _create_table_sql(name: str, schema: dict) -> str:
    cols = ",\n  ".join(f"{col} {duckdb_type(dtype)}" for col, dtype in schema.items())
    return f"create table if not exists {RAW}.{name} (\n  {cols}\n)"


def all_raw_schemas() -> dict[str, dict]:
    tables = {name: raw_schema(name) for name in FACT_TABLES}
    tables["documents"] = DOCUMENTS
    tables["ingest_errors"] = INGEST_ERRORS
    tables["document_aliases"] = DOCUMENT_ALIASES
    return tables


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing and make sure the raw layer exists."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    con.execute(f"create schema if not exists {RAW}")
    for name, schema in all_raw_schemas().items():
        con.execute(_create_table_sql(name, schema))
    return con


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(f"select sha256 from {RAW}.documents").fetchall()}


def frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    """Rows → a frame with exactly the declared schema (fails on a bad value)."""
    return pl.DataFrame(rows, schema=schema, orient="row", strict=False) if rows else pl.DataFrame(schema=schema)


def _with_lineage(rows: list[dict], doc: dict) -> list[dict]:
    lineage = {k: doc[k] for k in ("document_id", "source_file", "sha256", "loaded_at")}
    return [{**lineage, **row} for row in rows]


def write_batch(con: duckdb.DuckDBPyConnection, parsed: list[dict], loaded_at: datetime,
                seen: dict[str, list[str]] | None = None) -> None:
    """Replace the facts of every parsed file, all in one transaction.

    ``parsed`` items: {"document": DOCUMENTS row or None, "source_file",
    "sha256", "rows": {table: [...]}, "errors": [...]}. ``seen``: every
    content (sha256) read in this run → the paths it was read at, first one
    first (``ingest.lineage`` moves, replaces and aliases documents by it).
    """
    frames: dict[str, list[pl.DataFrame]] = {name: [] for name in all_raw_schemas()}
    for item in parsed:
        for err in item["errors"]:
            frames["ingest_errors"].append(frame([{
                "source_file": item["source_file"], "sha256": item["sha256"],
                "loaded_at": loaded_at, **err}], INGEST_ERRORS))
        doc = item["document"]
        if doc is None:
            continue
        frames["documents"].append(frame([doc], DOCUMENTS))
        for table in FACT_TABLES:
            rows = _with_lineage(item["rows"].get(table, []), doc)
            frames[table].append(frame(rows, raw_schema(table)))

    if seen is None:
        seen = {}
        for item in parsed:
            if item["sha256"]:
                seen.setdefault(item["sha256"], []).append(item["source_file"])
    # A file that failed to read keeps its earlier facts (they are still the
    # last good reading); its error rows are replaced either way.
    attempted = sorted({item["source_file"] for item in parsed})
    new = {item["sha256"] for item in parsed if item["document"] is not None}
    con.execute("begin transaction")
    try:
        con.execute(f"delete from {RAW}.ingest_errors where source_file = any($1::varchar[])",
                    [attempted])
        lineage.follow_content(con, seen, new, loaded_at)
        for table, parts in frames.items():
            if not parts:
                continue
            batch = pl.concat(parts, how="vertical")  # noqa: F841 — read by DuckDB's replacement scan
            if batch.height:
                con.execute(f"insert into {RAW}.{table} by name select * from batch")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def prune(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Drop the documents whose files are all gone (one transaction); their paths."""
    con.execute("begin transaction")
    try:
        dropped = lineage.prune(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return dropped
