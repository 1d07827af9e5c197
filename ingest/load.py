"""The raw layer: DuckDB tables written in bulk from Arrow tables.

Every raw table is declared in ``ingest.schema``; this module creates them,
turns a batch of parsed rows into one typed Arrow table per raw table (column
by column: a list per column converted by pyarrow, the lineage columns an
Arrow ``take`` of the batch's documents), and writes batches in **one
transaction**: a document's earlier facts (same source file, older content)
are deleted and its new facts inserted, or nothing is. Rows go in through
Arrow (``insert … select * from rows``), many batches per statement, never
one by one.
"""
from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from functools import cache
from itertools import chain, repeat
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from ingest.schema import (
    DOCUMENT_ALIASES,
    DOCUMENTS,
    FACT_TABLES,
    INGEST_ERRORS,
    LINEAGE,
    REQUIRED,
    fact_schema,
    raw_schema,
)

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


def arrow_type(dtype: pl.DataType) -> pa.DataType:
    """The Arrow type of a declared column (what DuckDB reads the batch as)."""
    if isinstance(dtype, pl.Decimal):
        return pa.decimal128(dtype.precision, dtype.scale)
    if isinstance(dtype, pl.Datetime):
        return pa.timestamp("us")
    return {
        pl.Utf8: pa.string(),
        pl.Int32: pa.int32(),
        pl.Int64: pa.int64(),
        pl.Float64: pa.float64(),
        pl.Boolean: pa.bool_(),
    }[dtype]


# The batches' Arrow buffers come from malloc, which hands freed memory back:
# pyarrow's default pool (mimalloc) kept ≈ 45 MiB of freed batches resident.
_POOL = pa.system_memory_pool()


@cache
def arrow_schema(columns: tuple[tuple[str, pl.DataType], ...]) -> pa.Schema:
    return pa.schema([(col, arrow_type(dtype)) for col, dtype in columns])


def _columns(rows: list[dict], schema: dict) -> list[pa.Array]:
    """Rows → one typed Arrow array per declared column, built column by column
    (a list per column, converted by pyarrow in C: never a frame of row objects;
    a value of another type raises, a missing one is NULL)."""
    types = arrow_schema(tuple(schema.items())).types
    return [pa.array([row.get(col) for row in rows], type=t, memory_pool=_POOL) for col, t in zip(schema, types)]


def table(rows: list[dict], schema: dict) -> pa.Table:
    """Rows (validated by ``validate``) → an Arrow table with exactly the declared schema."""
    return pa.Table.from_arrays(_columns(rows, schema), schema=arrow_schema(tuple(schema.items())))


def _fact_table(name: str, docs: list[dict], per_doc: list[list[dict]]) -> pa.Table:
    """One fact table of a batch: the documents' lineage repeated over their rows
    (an Arrow ``take``), then the fact columns."""
    counts = [len(rows) for rows in per_doc]
    rows = [row for doc_rows in per_doc for row in doc_rows]
    take = pa.array(chain.from_iterable(repeat(k, n) for k, n in enumerate(counts)), type=pa.int32())
    lineage = pa.Table.from_arrays(_columns(docs, LINEAGE), schema=arrow_schema(tuple(LINEAGE.items())))
    facts = _columns(rows, fact_schema(name))
    return pa.Table.from_arrays(pc.take(lineage, take, memory_pool=_POOL).columns + facts,
                                schema=arrow_schema(tuple(raw_schema(name).items())))


def batch_tables(parsed: list[dict], loaded_at: datetime) -> dict[str, pa.Table]:
    """Parsed items → one typed Arrow table per raw table (one per table per batch)."""
    loaded = [item for item in parsed if item["document"] is not None]
    docs = [item["document"] for item in loaded]
    errors = [{"source_file": item["source_file"], "sha256": item["sha256"], "loaded_at": loaded_at, **err}
              for item in parsed for err in item["errors"]]
    tables = {name: _fact_table(name, docs, [item["rows"].get(name, ()) for item in loaded])
              for name in FACT_TABLES}
    tables["documents"] = table(docs, DOCUMENTS)
    tables["ingest_errors"] = table(errors, INGEST_ERRORS)
    tables["document_aliases"] = table([], DOCUMENT_ALIASES)
    return tables


def batch_frames(parsed: list[dict], loaded_at: datetime) -> dict[str, pl.DataFrame]:
    """``batch_tables`` as polars frames."""
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


def replace_facts(con: duckdb.DuckDBPyConnection, parsed: list[dict], loaded_at: datetime,
                  present: set[str] | None = None) -> None:
    """Within the caller's transaction: replace the facts of every parsed file
    (see ``_stale_sources`` for which earlier rows go)."""
    tables = batch_tables(parsed, loaded_at)
    _delete_stale(con, *_stale_sources(parsed, present))
    for name, rows in tables.items():
        if rows.num_rows:
            _insert(con, name, rows)


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


# Fact rows the sink gathers before it writes them: one Arrow table and one
# insert per raw table for several batches (each insert statement costs ~1.5 ms
# and a batch has a dozen; pyarrow converts long columns faster than short
# ones), bounded, so the load's memory does not grow with the documents.
SINK_BUFFER_ROWS = 32_768


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

    The sink gathers parsed items up to ``SINK_BUFFER_ROWS`` fact rows, then
    turns them into one Arrow table per raw table and inserts each in one
    statement. ``flush`` writes what it holds — call it before reading or
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
        self.pending: list[tuple[list[dict], datetime]] = []
        self.pending_rows = 0
        self.uncapped: str | None = None        # the memory limit before the sink's cap
        con.execute("begin transaction")

    def write(self, parsed: list[dict], loaded_at: datetime) -> None:
        if self.present is None:
            self.present = present_sources(self.con)
        if self.uncapped is None:
            self._cap()
        replaced, attempted = _stale_sources(parsed, self.present)
        if replaced or attempted:
            self._write_pending()     # the rows it deletes may be among those gathered
            _delete_stale(self.con, replaced, attempted)
        self.pending.append((parsed, loaded_at))
        self.pending_rows += sum(len(rows) for item in parsed for rows in item["rows"].values())
        if self.pending_rows >= self.buffer_rows:
            self._write_pending()

    def flush(self) -> None:
        """Write what is gathered and lift the memory cap."""
        self._write_pending()
        self._uncap()

    def _write_pending(self) -> None:
        pending, self.pending, self.pending_rows = self.pending, [], 0
        if len({at for _, at in pending}) > 1:   # written at other times: one table each
            for parsed, at in pending:
                self._insert(batch_tables(parsed, at))
        elif pending:
            self._insert(batch_tables([item for parsed, _ in pending for item in parsed], pending[0][1]))

    def _insert(self, tables: dict[str, pa.Table]) -> None:
        for name, rows in tables.items():
            if rows.num_rows:
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
