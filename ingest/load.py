"""The raw layer: DuckDB tables written in bulk from polars frames.

Every raw table is declared in ``ingest.schema``; this module creates them,
turns parsed rows into one typed polars frame per table, and writes a batch of
documents in **one transaction**: a document's earlier facts (same source
file, older content) are deleted and its new facts inserted, or nothing is.
Rows go in through Arrow (``insert … select * from frame``), never one by one.
"""
from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

from ingest.schema import (
    DOCUMENT_ALIASES,
    DOCUMENTS,
    FACT_TABLES,
    INGEST_ERRORS,
    REQUIRED,
    fact_schema,
    raw_schema,
)

RAW = "raw"
# DuckDB's memory while loading: without a cap its buffer pool keeps every page
# the load wrote (≈ 36 kB per document, 357 MiB at 10 000 documents); capped,
# it writes them out and the load's memory stays flat in the number of
# documents. YIBAO_INGEST_MEMORY overrides it (any DuckDB size: "1GB").
INGEST_MEMORY = "256MB"


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
    limit = os.environ.get("YIBAO_INGEST_MEMORY") or INGEST_MEMORY
    con.execute("set memory_limit = ?", [limit])
    con.execute(f"create schema if not exists {RAW}")
    for name, schema in all_raw_schemas().items():
        con.execute(_create_table_sql(name, schema))
        for col, dtype in schema.items():  # a warehouse made by an older version
            con.execute(f"alter table {RAW}.{name} add column if not exists {col} {duckdb_type(dtype)}")
    return con


def loaded_hashes(con: duckdb.DuckDBPyConnection, extractor: str | None = None) -> set[str]:
    """The contents the raw layer holds facts of (read by ``extractor``, if given:
    a document read by another version of the extractor is read again)."""
    if extractor is None:
        rows = con.execute(f"select sha256 from {RAW}.documents").fetchall()
    else:
        rows = con.execute(f"select sha256 from {RAW}.documents where extractor_sha256 = ?",
                           [extractor]).fetchall()
    return {row[0] for row in rows}


def _bad_value(value, dtype: pl.DataType) -> str | None:
    """Why a value doesn't fit its declared type (None when it fits)."""
    if value is None:
        return None
    if isinstance(dtype, pl.Decimal):
        if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
            return f"{value!r} is not a decimal"
        d = Decimal(value)
        if not d.is_finite():
            return f"{value!r} is not a finite decimal"
        exponent = d.as_tuple().exponent
        if -exponent > dtype.scale and d != d.quantize(Decimal(1).scaleb(-dtype.scale)):
            return f"{value!r} has more than {dtype.scale} decimals"
        if d.adjusted() >= dtype.precision - dtype.scale:
            return f"{value!r} has more than {dtype.precision - dtype.scale} integer digits"
        return None
    if dtype == pl.Utf8:
        return None if isinstance(value, str) else f"{value!r} is not text"
    if dtype in (pl.Int32, pl.Int64):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{value!r} is not an integer"
        return None if dtype != pl.Int32 or -2**31 <= value < 2**31 else f"{value!r} is out of range"
    if dtype == pl.Float64:
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else f"{value!r} is not a number"
    if dtype == pl.Boolean:
        return None if isinstance(value, bool) else f"{value!r} is not true/false"
    return None


def row_problem(table: str, row: dict) -> str | None:
    """What is wrong with a fact row against its declared schema (strict)."""
    schema = fact_schema(table)
    if row.keys() != schema.keys():
        missing = sorted(set(schema) - row.keys())
        extra = sorted(row.keys() - set(schema))
        return f"missing columns {missing} / unexpected {extra}"
    for col in REQUIRED.get(table, ()):
        if row[col] is None or row[col] == "":
            return f"{col} is empty"
    for col, dtype in schema.items():
        why = _bad_value(row[col], dtype)
        if why:
            return f"{col}: {why}"
    return None


def validate(rows: dict[str, list[dict]]) -> tuple[dict[str, list[dict]], list[dict]]:
    """Split fact rows into valid rows and ingest errors (stage ``validate``),
    each error naming the table, the line and what is wrong."""
    good: dict[str, list[dict]] = {}
    errors: list[dict] = []
    for table, table_rows in rows.items():
        good[table] = []
        for row in table_rows:
            why = row_problem(table, row) if table in FACT_TABLES else f"unknown raw table {table!r}"
            if why is None:
                good[table].append(row)
                continue
            line = row.get("source_line") or row.get("start_line")
            line = line if isinstance(line, int) and not isinstance(line, bool) else None
            where = f" at line {line}" if line else ""
            errors.append({"stage": "validate", "source_line": line,
                           "reason": f"{table} row{where}: {why}; the row is not loaded"})
    return good, errors


def frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    """Rows (validated by ``validate``) → a frame with exactly the declared schema."""
    return pl.DataFrame(rows, schema=schema, orient="row", strict=True) if rows else pl.DataFrame(schema=schema)


def _with_lineage(rows: list[dict], doc: dict) -> list[dict]:
    lineage = {k: doc[k] for k in ("document_id", "source_file", "sha256", "loaded_at")}
    return [{**lineage, **row} for row in rows]


def batch_frames(parsed: list[dict], loaded_at: datetime) -> dict[str, pl.DataFrame]:
    """Parsed items → one typed frame per raw table (one frame per table per batch)."""
    rows: dict[str, list[dict]] = {name: [] for name in all_raw_schemas()}
    for item in parsed:
        for err in item["errors"]:
            rows["ingest_errors"].append({"source_file": item["source_file"],
                                          "sha256": item["sha256"], "loaded_at": loaded_at, **err})
        doc = item["document"]
        if doc is None:
            continue
        rows["documents"].append(doc)
        for table in FACT_TABLES:
            rows[table].extend(_with_lineage(item["rows"].get(table, []), doc))
    schemas = all_raw_schemas()
    return {table: frame(table_rows, schemas[table]) for table, table_rows in rows.items()}


def present_sources(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every source file the raw layer holds rows for, in any raw table."""
    union = " union ".join(f"select distinct source_file from {RAW}.{t}" for t in all_raw_schemas())
    return {row[0] for row in con.execute(union).fetchall()}


def replace_facts(con: duckdb.DuckDBPyConnection, parsed: list[dict], loaded_at: datetime,
                  present: set[str] | None = None) -> None:
    """Within the caller's transaction: replace the facts of every parsed file.

    A file that failed to read keeps its earlier facts (they are still the
    last good reading); its error rows are replaced either way. ``present``
    (``present_sources``, kept up to date here) spares the deletes for files
    the raw layer has no rows of: each delete scans the table, so deleting
    for every batch of a first load made it quadratic in the documents.
    """
    frames = batch_frames(parsed, loaded_at)
    replaced = [item["source_file"] for item in parsed if item["document"] is not None]
    attempted = [item["source_file"] for item in parsed]
    if present is not None:
        old = {s for s in attempted if s in present}
        present.update(attempted)
        replaced = [s for s in replaced if s in old]
        attempted = [s for s in attempted if s in old]
    for table in all_raw_schemas():
        sources = attempted if table == "ingest_errors" else replaced
        if sources:
            con.execute(f"delete from {RAW}.{table} where source_file = any($1::varchar[])", [sources])
    for table, batch in frames.items():  # noqa: B007 — batch is read by DuckDB's replacement scan
        if batch.height:
            con.execute(f"insert into {RAW}.{table} by name select * from batch")


def write_batch(con: duckdb.DuckDBPyConnection, parsed: list[dict], loaded_at: datetime) -> None:
    """Replace the facts of every parsed file, all in one transaction.

    ``parsed`` items: {"document": DOCUMENTS row or None, "source_file",
    "sha256", "rows": {table: [...]}, "errors": [...]}.
    """
    sink = DuckDBSink(con)
    try:
        sink.write(parsed, loaded_at)
    except Exception:
        sink.abort()
        raise
    sink.commit()


class DuckDBSink:
    """The raw layer in the warehouse file, written batch by batch inside one
    transaction (``commit`` publishes them all, ``abort`` none).

    While it is open, the sink is the only writer of the raw tables' rows
    (it remembers which source files they hold).
    The sink interface the pipeline writes through (``write(items, loaded_at)``,
    ``commit()``, ``abort()``); another raw layer (Parquet parts) implements
    the same three methods.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.present: set[str] | None = None   # read at the first write (after moves)
        con.execute("begin transaction")

    def write(self, parsed: list[dict], loaded_at: datetime) -> None:
        if self.present is None:
            self.present = present_sources(self.con)
        replace_facts(self.con, parsed, loaded_at, self.present)

    def commit(self) -> None:
        self.con.execute("commit")

    def abort(self) -> None:
        self.con.execute("rollback")
