"""Parsed files in columns: what a parse worker hands back and the sink appends.

A worker validates each file's fact rows (``validate``: a row that its
declared schema can't hold is that file's ingest error, never the run's) and
turns its whole chunk into a ``Batch``: one typed Arrow table per raw table,
with every row's lineage (``document_id``, ``source_file``, ``sha256``,
``loaded_at``) and location (``source_line``, ``source_page``,
``source_locator``) in its columns, plus one small record per file for the
run's summary and the sink's bookkeeping. The conversion (a list per column,
converted by pyarrow in C) runs in the workers, in parallel; the process that
writes the warehouse only receives Arrow buffers and appends them.

This module imports pyarrow and nothing that starts a thread pool or opens a
database (no DuckDB, no polars): the fork server's workers import it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache, partial
from itertools import chain, repeat
from operator import attrgetter, eq, is_not, itemgetter

import pyarrow as pa

from ingest.schema import (
    DOCUMENTS,
    FACT_TABLES,
    INGEST_ERRORS,
    LINEAGE,
    REQUIRED,
    fact_schema,
    raw_schema,
)

# The batches' Arrow buffers come from malloc, which hands freed memory back:
# pyarrow's default pool (mimalloc) kept ≈ 45 MiB of freed batches resident.
_POOL = pa.system_memory_pool()


def _bad_value(value, dtype: pa.DataType) -> str | None:
    """Why a value doesn't fit its declared type (None when it fits)."""
    if value is None:
        return None
    if pa.types.is_decimal(dtype):
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
    if pa.types.is_string(dtype):
        return None if isinstance(value, str) else f"{value!r} is not text"
    if pa.types.is_integer(dtype):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{value!r} is not an integer"
        return None if dtype != pa.int32() or -2**31 <= value < 2**31 else f"{value!r} is out of range"
    if pa.types.is_floating(dtype):
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else f"{value!r} is not a number"
    if pa.types.is_boolean(dtype):
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
    each error naming the table, the line and what is wrong.

    Checked by column (``_suspects``: each column's types in one C-level pass):
    only the rows a column can't vouch for go through ``row_problem``, which
    decides, so every error is the same one the row-by-row check gives."""
    good: dict[str, list[dict]] = {}
    errors: list[dict] = []
    for table, table_rows in rows.items():
        known = table in FACT_TABLES
        suspects = _suspects(table, table_rows) if known else range(len(table_rows))
        if not suspects:
            good[table] = list(table_rows)
            continue
        bad = set()
        for i in sorted(suspects):
            row = table_rows[i]
            why = row_problem(table, row) if known else f"unknown raw table {table!r}"
            if why is None:
                continue
            bad.add(i)
            line = row.get("source_line") or row.get("start_line")
            line = line if isinstance(line, int) and not isinstance(line, bool) else None
            where = f" at line {line}" if line else ""
            errors.append({"stage": "validate", "source_line": line,
                           "reason": f"{table} row{where}: {why}; the row is not loaded"})
        good[table] = [row for i, row in enumerate(table_rows) if i not in bad]
    return good, errors


_NONE = type(None)
_STRING_TYPES = frozenset({str, _NONE})
_INTEGER_TYPES = frozenset({int, _NONE})
_FLOAT_TYPES = frozenset({int, float, _NONE})
_BOOLEAN_TYPES = frozenset({bool, _NONE})
_DECIMAL_TYPES = frozenset({Decimal, int, _NONE})


@cache
def _columns(table: str) -> tuple[frozenset, tuple[str, ...], tuple[str, ...],
                                  tuple[tuple[str, pa.DataType, str], ...]]:
    """The table's column names as a set and in order, its required columns, and
    (name, type, ``_kind`` of the type)."""
    schema = fact_schema(table)
    return (frozenset(schema), tuple(schema), tuple(REQUIRED.get(table, ())),
            tuple((name, dtype, _kind(dtype)) for name, dtype in schema.items()))


def _kind(dtype: pa.DataType) -> str:
    """Which of ``_column_suspects``' tests a column type takes (decided once per table)."""
    if pa.types.is_string(dtype):
        return "string"
    if pa.types.is_integer(dtype):
        return "int32" if dtype == pa.int32() else "integer"
    for kind in ("floating", "boolean", "decimal"):
        if getattr(pa.types, f"is_{kind}")(dtype):
            return kind
    return "other"


def _suspects(table: str, rows: list[dict]) -> set[int]:
    """Indices of the rows that may break the declared schema: every row
    ``row_problem`` finds a problem in, and perhaps some it finds none in."""
    keys, names, required, columns = _columns(table)
    # a row's keys in the declared order (every parser's rows): one tuple compare, in
    # C and by identity; only a row in another order is compared as a set
    in_order = list(map(eq, map(tuple, rows), repeat(names)))
    suspects = set() if all(in_order) else {
        i for i, same in enumerate(in_order) if not same and rows[i].keys() != keys}
    checked = [row for i, row in enumerate(rows) if i not in suspects] if suspects else rows
    index = [i for i in range(len(rows)) if i not in suspects] if suspects else None
    found: set[int] = set()
    by_column = _by_column(checked, names)
    types = {col: set(map(type, values)) for col, values in by_column.items()}
    for col in required:
        values = by_column[col]
        if _may_be_blank(values, types[col]):
            found.update(k for k, v in enumerate(values) if v is None or v == "")
    for col, dtype, kind in columns:
        off = _column_suspects(by_column[col], dtype, kind, types[col])
        if off:
            found.update(off)
    if index is not None:
        found = {index[k] for k in found}
    return suspects | found


def _by_column(rows: list[dict], names: tuple[str, ...]) -> dict[str, tuple]:
    """Each named column's values over the rows (each row holds every name): one
    C-level pass (``itemgetter`` of all the names, transposed by ``zip``)."""
    if len(names) < 2 or not rows:
        return {name: tuple(map(itemgetter(name), rows)) for name in names}
    return dict(zip(names, zip(*map(itemgetter(*names), rows))))


_PLAIN = frozenset({str, int, float, bool, Decimal, _NONE})   # equal to "" or None only if it is one


def _may_be_blank(values: tuple, types: set) -> bool:
    """``None in values or "" in values`` (a value that may be None or empty), with
    no Decimal compared with "" or None: each such compare is an isinstance test
    against ``numbers.Rational``. Among ``_PLAIN`` types only None is None and
    only a str is equal to ""."""
    if not types <= _PLAIN:
        return None in values or "" in values
    return _NONE in types or (str in types and "" in values)


def _column_suspects(values: tuple, dtype: pa.DataType, kind: str | None = None,
                     types: set | None = None) -> list[int] | set[int]:
    """Positions of the values ``_bad_value`` may reject (a superset); ``kind``:
    the type's ``_kind``, ``types``: the values' types (both computed when not given)."""
    kind = kind or _kind(dtype)
    types = set(map(type, values)) if types is None else types
    if kind == "string":
        return () if types <= _STRING_TYPES else _off_types(values, _STRING_TYPES)
    if kind in ("integer", "int32"):
        off = _off_types(values, _INTEGER_TYPES) if not types <= _INTEGER_TYPES else []
        if kind == "int32" and not (not off and _within_int32(values)):
            off = set(off)
            off.update(k for k, v in enumerate(values)
                       if k not in off and v is not None and not -2**31 <= v < 2**31)
        return off
    if kind == "floating":
        return () if types <= _FLOAT_TYPES else _off_types(values, _FLOAT_TYPES)
    if kind == "boolean":
        return () if types <= _BOOLEAN_TYPES else _off_types(values, _BOOLEAN_TYPES)
    if kind == "decimal":
        if types <= _DECIMALS_ONLY and _decimals_fit(values, dtype):
            return ()
        return _decimal_suspects(values, dtype, types)
    return ()


_DECIMALS_ONLY = frozenset({Decimal, _NONE})


def _decimals_fit(values: tuple, dtype: pa.DataType) -> bool:
    """True only if no value (Decimals and None only) is one ``_decimal_suspects``
    names: each finite, none with more places than the scale (its exponent) nor
    more integer digits than the type holds (``adjusted``), decided by C-level
    maps and ``min`` / ``max`` instead of a Python loop."""
    present = list(filter(_not_none, values))
    if not present:
        return True
    if not all(map(Decimal.is_finite, present)):
        return False
    return (min(map(_exponent, map(Decimal.as_tuple, present))) >= -dtype.scale
            and max(map(Decimal.adjusted, present)) < dtype.precision - dtype.scale)


_not_none = partial(is_not, None)
_exponent = attrgetter("exponent")


def _decimal_suspects(values: tuple, dtype: pa.DataType, types: set) -> set[int]:
    """Positions of the decimal column's values that may not fit (the definition,
    value by value)."""
    off = set(_off_types(values, _DECIMAL_TYPES)) if not types <= _DECIMAL_TYPES else set()
    digits = dtype.precision - dtype.scale
    limit, places = 10 ** digits, -dtype.scale
    for k, v in enumerate(values):
        if v is None or k in off:
            continue
        if type(v) is int:
            if not -limit < v < limit:
                off.add(k)
        elif not v.is_finite() or v.as_tuple().exponent < places or v.adjusted() >= digits:
            off.add(k)
    return off


def _within_int32(values: tuple) -> bool:
    """Every value (ints and None only) within int32: by ``min`` / ``max`` in C."""
    present = [v for v in values if v is not None]
    return not present or (-2**31 <= min(present) and max(present) < 2**31)


def _off_types(values: tuple, allowed: frozenset) -> list[int]:
    return [k for k, v in enumerate(values) if type(v) not in allowed]


@cache
def arrow_schema(columns: tuple[tuple[str, pa.DataType], ...]) -> pa.Schema:
    return pa.schema(list(columns))


def schema_of(declared: dict) -> pa.Schema:
    """The Arrow schema of a declared table (``ingest.schema``)."""
    return arrow_schema(tuple(declared.items()))


def _array(values: list, dtype: pa.DataType) -> pa.Array:
    return pa.array(values, type=dtype, memory_pool=_POOL)


def table(rows: list[dict], schema: dict) -> pa.Table:
    """Rows (validated by ``validate``) → an Arrow table with exactly the declared
    schema, built column by column (a value of another type raises, a missing
    one is NULL)."""
    return pa.Table.from_arrays([_array([row.get(col) for row in rows], t) for col, t in schema.items()],
                                schema=schema_of(schema))


def _fact_table(name: str, docs: list[dict], per_doc: list[list[dict]]) -> pa.Table:
    """One fact table of a batch: each document's lineage repeated over its rows, then the facts."""
    rows = list(chain.from_iterable(per_doc))
    counts = list(map(len, per_doc))
    lineage = [_array(list(chain.from_iterable(map(repeat, map(itemgetter(col), docs), counts))), t)
               for col, t in LINEAGE.items()]
    schema = fact_schema(name)
    facts = [_array(values, t) for values, t in zip(_fact_columns(rows, tuple(schema)), schema.values())]
    return pa.Table.from_arrays(lineage + facts, schema=schema_of(raw_schema(name)))


def _fact_columns(rows: list[dict], names: tuple[str, ...]) -> list[list]:
    """Each named column's values over the rows, None where a row lacks it: validated
    rows hold every name, so one C-level transposition (``_by_column``); a row
    lacking one sends the whole table through ``row.get``."""
    if len(names) >= 2 and rows:
        try:
            return list(map(list, zip(*map(itemgetter(*names), rows))))
        except KeyError:
            pass
    return [[row.get(col) for row in rows] for col in names]


@dataclass
class Batch:
    """Parsed files in columns.

    ``files``: one record per file, in order — ``source_file``, ``sha256``,
    ``document`` (its ``raw.documents`` row, None when the file failed),
    ``errors``, ``notices`` and ``facts`` (rows per fact table); ``tables``:
    raw table → Arrow table with the declared raw schema (tables without rows
    left out). Iterating a batch iterates its files. A batch pickles its
    tables as Arrow IPC streams (a pickled ``pa.Table`` cost ~5× as much to
    send and to receive).
    """

    files: list[dict]
    tables: dict[str, pa.Table]

    def __iter__(self):
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    @property
    def rows(self) -> int:
        return sum(t.num_rows for t in self.tables.values())

    def __reduce__(self):
        return _received, (self.files, {name: _ipc(t) for name, t in self.tables.items()})


def _ipc(t: pa.Table) -> pa.Buffer:
    out = pa.BufferOutputStream(memory_pool=_POOL)
    with pa.ipc.new_stream(out, t.schema) as writer:
        writer.write_table(t)
    return out.getvalue()


def _received(files: list[dict], streams: dict[str, pa.Buffer]) -> Batch:
    return Batch(files, {name: pa.ipc.open_stream(data, memory_pool=_POOL).read_all()
                         for name, data in streams.items()})


def _record(item: dict, loaded_at: datetime) -> dict:
    document = item["document"]
    return {"source_file": item["source_file"], "sha256": item["sha256"],
            "document": None if document is None else {**document, "loaded_at": loaded_at},
            "errors": item["errors"], "notices": item.get("notices", []),
            "facts": {name: len(rows) for name, rows in item["rows"].items()}}


def to_batch(parsed: list[dict], loaded_at: datetime) -> Batch:
    """Parsed items (``ingest.pipeline.parse_file``) → a ``Batch``, every row
    stamped ``loaded_at``."""
    files = [_record(item, loaded_at) for item in parsed]
    loaded = [(record["document"], item) for record, item in zip(files, parsed)
              if record["document"] is not None]
    docs = [doc for doc, _ in loaded]
    errors = [{"source_file": item["source_file"], "sha256": item["sha256"], "loaded_at": loaded_at, **err}
              for item in parsed for err in item["errors"]]
    tables = {}
    for name in FACT_TABLES:
        per_doc = [item["rows"].get(name, ()) for _, item in loaded]
        if any(per_doc):
            tables[name] = _fact_table(name, docs, per_doc)
    if docs:
        tables["documents"] = table(docs, DOCUMENTS)
    if errors:
        tables["ingest_errors"] = table(errors, INGEST_ERRORS)
    return Batch(files, tables)


def concat(batches: list[Batch]) -> Batch:
    """Several batches as one (the Arrow tables' chunks are kept, not copied)."""
    if len(batches) == 1:
        return batches[0]
    names = dict.fromkeys(name for b in batches for name in b.tables)
    return Batch([f for b in batches for f in b.files],
                 {name: pa.concat_tables([b.tables[name] for b in batches if name in b.tables])
                  for name in names})


def fact_counts(item: dict) -> dict[str, int]:
    """Rows per fact table of a parsed item or of a batch's file record."""
    if "facts" in item:
        return item["facts"]
    return {name: len(rows) for name, rows in item["rows"].items()}
