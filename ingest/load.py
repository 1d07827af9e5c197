"""The raw layer: DuckDB tables appended in bulk from Arrow tables.

Every raw table is declared in ``ingest.schema``; this module creates them and
writes batches (``ingest.columns.Batch``: one typed Arrow table per raw table,
built in the parse workers) in **one transaction**: a document's earlier facts
(same source file, older content) are deleted and its new facts inserted, or
nothing is. Rows go in through Arrow (``insert … select * from rows``), many
batches per statement, never one by one; the parent does no per-row work.
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.columns import Batch, concat, row_problem, table, to_batch, validate
from ingest.schema import all_raw_schemas

# (their home is ingest.columns and ingest.schema)
__all__ = ["Batch", "all_raw_schemas", "row_problem", "table", "validate"]

RAW = "raw"
# DuckDB's memory on the loading connection: without a cap its buffer pool
# keeps every page the load wrote (≈ 36 kB per document, 357 MiB at 10 000
# documents). YIBAO_INGEST_MEMORY overrides it (any DuckDB size: "1GB").
INGEST_MEMORY = "256MB"
# While the sink appends, DuckDB may use this much beyond what the transaction
# already holds (``DuckDBSink``): the appended rows stay in memory until a row
# group of their table is full (122 880 rows) and written pages stay cached,
# so under 256 MB the load still grew up to ≈ 7 000 documents; capped at what
# it holds + 32 MB, DuckDB writes them out (or spills them to
# ``<warehouse>.tmp``) and stops growing by ≈ 700 documents. Not the cap
# for everything: an update (moving documents) keeps its undo in memory.
LOAD_MEMORY = 32 * 2**20
# DuckDB's threads while loading: an insert from one Arrow table gains nothing
# from a second thread but its overhead (0.65 against 0.20 CPU-s for 320 000
# rows), and the parse workers have the cores. YIBAO_INGEST_THREADS overrides it.
INGEST_THREADS = 1
# Rows per row group of what the load appends. An append stays in the
# transaction's own storage until a row group of its table is full (122 880
# rows by default, ≈ 3 300 documents for line_items and more for the others);
# then DuckDB compresses it and writes it to the file (an optimistic write).
# Rows still held at the commit are copied into the table and compressed there,
# and under the sink's memory cap they were spilled and read back first. At
# 16 384 rows (and each row group written as soon as it is full) nearly every
# row takes the direct path. Only the load's appends: dbt's connection and the
# published copy (``COPY FROM DATABASE``) keep DuckDB's default.
LOAD_ROW_GROUP = 16_384
LOAD_BUFFERED_ROW_GROUPS = 1
WAREHOUSE = "warehouse"   # the file's name on the loading connection (attached, then used)


def duckdb_type(dtype: pa.DataType) -> str:
    """The DuckDB type of a declared (Arrow) column type."""
    if pa.types.is_decimal(dtype):
        return f"decimal({dtype.precision}, {dtype.scale})"
    if pa.types.is_timestamp(dtype):
        return "timestamp"
    return {
        pa.string(): "varchar",
        pa.int32(): "integer",
        pa.int64(): "bigint",
        pa.float64(): "double",
        pa.bool_(): "boolean",
    }[dtype]


def _create_table_sql(name: str, schema: dict) -> str:
    cols = ",\n  ".join(f"{col} {duckdb_type(dtype)}" for col, dtype in schema.items())
    return f"create table if not exists {RAW}.{name} (\n  {cols}\n)"


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing and make sure the raw layer exists (the file
    is attached with the load's row group size, ``LOAD_ROW_GROUP``, and used, so
    unqualified names are its own)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set temp_directory = ?", [f"{warehouse}.tmp"])   # spills beside the file, as before
    con.execute(f"attach $1 as {WAREHOUSE} (row_group_size {LOAD_ROW_GROUP})", [str(warehouse)])
    con.execute(f"use {WAREHOUSE}")
    con.execute(f"set write_buffer_row_group_count = {LOAD_BUFFERED_ROW_GROUPS}")
    limit = os.environ.get("YIBAO_INGEST_MEMORY") or INGEST_MEMORY
    con.execute("set memory_limit = ?", [limit])
    con.execute(f"set threads = {int(os.environ.get('YIBAO_INGEST_THREADS') or INGEST_THREADS)}")
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


def batch_tables(parsed: list[dict], loaded_at: datetime) -> dict[str, pa.Table]:
    """Parsed items → one typed Arrow table per raw table that has rows."""
    return to_batch(parsed, loaded_at).tables


def batch_frames(parsed: list[dict], loaded_at: datetime) -> dict:
    """``batch_tables`` as polars frames."""
    import polars as pl
    return {name: pl.from_arrow(t) for name, t in batch_tables(parsed, loaded_at).items()}


def present_sources(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every source file the raw layer holds rows for, in any raw table."""
    union = " union ".join(f"select distinct source_file from {RAW}.{t}" for t in all_raw_schemas())
    return {row[0] for row in con.execute(union).fetchall()}


def _stale_sources(parsed: list[dict], present: set[str] | None) -> tuple[list[str], list[str]]:
    """(files whose facts this batch replaces, files whose error rows it replaces).

    A file that failed to read keeps its earlier facts (they are still the
    last good reading); its error rows are replaced either way. ``present``
    (``present_sources``, kept up to date here) spares the deletes for files
    the raw layer has no rows of: each delete scans the table, so deleting
    for every batch of a first load made it quadratic in the documents.
    """
    replaced = [item["source_file"] for item in parsed if item["document"] is not None]
    attempted = [item["source_file"] for item in parsed]
    if present is not None:
        old = {s for s in attempted if s in present}
        present.update(attempted)
        replaced = [s for s in replaced if s in old]
        attempted = [s for s in attempted if s in old]
    return replaced, attempted


def _delete_stale(con: duckdb.DuckDBPyConnection, replaced: list[str], attempted: list[str]) -> None:
    for name in all_raw_schemas():
        sources = attempted if name == "ingest_errors" else replaced
        if sources:
            con.execute(f"delete from {RAW}.{name} where source_file = any($1::varchar[])", [sources])


def _insert(con: duckdb.DuckDBPyConnection, name: str, rows: pa.Table) -> None:
    """Append an Arrow table to a raw table by column name (``rows`` is read by
    DuckDB's replacement scan)."""
    con.execute(f"insert into {RAW}.{name} by name select * from rows")


def as_batch(parsed: Batch | list[dict], loaded_at: datetime) -> Batch:
    """A ``Batch`` as it is, parsed items converted (``ingest.columns.to_batch``)."""
    return parsed if isinstance(parsed, Batch) else to_batch(parsed, loaded_at)


def replace_facts(con: duckdb.DuckDBPyConnection, parsed: Batch | list[dict], loaded_at: datetime,
                  present: set[str] | None = None) -> None:
    """Within the caller's transaction: replace the facts of every parsed file
    (see ``_stale_sources`` for which earlier rows go)."""
    batch = as_batch(parsed, loaded_at)
    _delete_stale(con, *_stale_sources(batch.files, present))
    for name, rows in batch.tables.items():
        _insert(con, name, rows)


def write_batch(con: duckdb.DuckDBPyConnection, parsed: Batch | list[dict], loaded_at: datetime) -> None:
    """Replace the facts of every parsed file, all in one transaction.

    ``parsed``: a ``Batch``, or items {"document": DOCUMENTS row or None,
    "source_file", "sha256", "rows": {table: [...]}, "errors": [...]}.
    """
    sink = DuckDBSink(con)
    try:
        sink.write(parsed, loaded_at)
    except Exception:
        sink.abort()
        raise
    sink.commit()


# Fact rows the sink gathers before it writes them: one Arrow table and one
# insert per raw table for several batches (each insert statement costs ≈ 0.5 ms
# before its rows, and a batch has a dozen; pyarrow converts long columns faster
# than short ones), bounded, so the load's memory does not grow with the documents.
# Session 19, the benchmark's load of 10 000 documents (1.9 M rows), three
# interleaved runs each: 32 768 rows 0.54–0.55 M rows/CPU-s at 200–202 MiB peak,
# 65 536 rows 0.59–0.60 at 214–215, 131 072 rows 0.61–0.62 at 237–241 (a
# quarter of the insert statements; ≈ 38 MiB more at the peak, still flat).
SINK_BUFFER_ROWS = 131_072


_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40, "PiB": 2**50}


def _size_bytes(setting: str) -> int:
    """DuckDB's printed size ("244.1 MiB") in bytes (a form it does not know: no limit)."""
    number, _, unit = setting.partition(" ")
    try:
        return int(float(number) * _UNITS[unit])
    except (KeyError, ValueError):
        return 2**62


class DuckDBSink:
    """The raw layer in the warehouse file, written batch by batch inside one
    transaction (``commit`` publishes them all, ``abort`` none).

    The sink gathers batches (``ingest.columns.Batch``, or parsed items it
    converts) up to ``SINK_BUFFER_ROWS`` rows, then inserts each raw table's
    rows in one statement. ``flush`` writes what it holds — call it before reading or
    updating the raw tables in the same transaction (``commit`` does). A batch
    that replaces earlier rows writes what is gathered before it deletes them.
    From its first write to ``flush`` it caps DuckDB's memory at what the
    transaction holds + ``LOAD_MEMORY`` (see there).

    While it is open, the sink is the only writer of the raw tables' rows
    (it remembers which source files they hold).
    The sink interface the pipeline writes through (``write(items, loaded_at)``,
    ``flush()``, ``commit()``, ``abort()``); another raw layer (Parquet parts)
    implements the same methods.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, buffer_rows: int | None = None):
        self.con = con
        self.present: set[str] | None = None   # read at the first write (after moves)
        self.buffer_rows = SINK_BUFFER_ROWS if buffer_rows is None else buffer_rows
        self.pending: list[Batch] = []
        self.pending_rows = 0
        self.uncapped: str | None = None        # the memory limit before the sink's cap
        con.execute("begin transaction")

    def write(self, parsed: Batch | list[dict], loaded_at: datetime) -> None:
        batch = as_batch(parsed, loaded_at)
        if self.present is None:
            self.present = present_sources(self.con)
        if self.uncapped is None:
            self._cap()
        replaced, attempted = _stale_sources(batch.files, self.present)
        if replaced or attempted:
            self._write_pending()     # the rows it deletes may be among those gathered
            _delete_stale(self.con, replaced, attempted)
        self.pending.append(batch)
        self.pending_rows += batch.rows
        if self.pending_rows >= self.buffer_rows:
            self._write_pending()

    def flush(self) -> None:
        """Write what is gathered and lift the memory cap."""
        self._write_pending()
        self._uncap()

    def _write_pending(self) -> None:
        pending, self.pending, self.pending_rows = self.pending, [], 0
        if pending:
            for name, rows in concat(pending).tables.items():
                _insert(self.con, name, rows)

    def _cap(self) -> None:
        """Cap DuckDB at what the transaction holds beyond the pages it can write
        out (cached table pages, appended rows) + ``LOAD_MEMORY``, never above
        the connection's own limit."""
        limit, = self.con.execute("select current_setting('memory_limit')").fetchone()
        held, = self.con.execute("select coalesce(sum(memory_usage_bytes), 0) from duckdb_memory() "
                                 "where tag not in ('BASE_TABLE', 'IN_MEMORY_TABLE')").fetchone()
        if self.uncapped is None:
            self.uncapped = limit
        cap = min(int(held) + LOAD_MEMORY, _size_bytes(self.uncapped))
        self.con.execute("set memory_limit = ?", [f"{cap}B"])

    def _uncap(self) -> None:
        if self.uncapped is not None:
            self.con.execute("set memory_limit = ?", [self.uncapped])
            self.uncapped = None

    def commit(self) -> None:
        """Write what is gathered and commit, under the cap (committing writes
        the appended rows out)."""
        try:
            self._write_pending()
            self._cap()
            self.con.execute("commit")
        except BaseException:
            self.abort()
            raise
        self._uncap()

    def abort(self) -> None:
        self.pending, self.pending_rows = [], 0
        self.con.execute("rollback")
        self._uncap()
