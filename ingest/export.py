"""Export the marts as files, for tools that prefer files to a database.

``parquet``: one folder per table; a table with a ``fiscal_year`` column is
partitioned by it (Hive style, ``fiscal_year=2023/``), rows without a year in
``fiscal_year=__HIVE_DEFAULT_PARTITION__/`` as DuckDB writes them.
``csv``: one CSV per table with a header row, UTF-8 **with a byte-order
mark** so that Excel on a Chinese-locale machine opens it as UTF-8.
``xlsx``: one workbook, one sheet per table (needs ``openpyxl``).
All come with ``data_dictionary.csv``: every table and column with its type
and description (the dbt docs, as persisted in the warehouse's comments).

Where it writes, and what it never touches:

* ``DIR`` missing or empty: the export is built in a hidden sibling folder
  and renamed to ``DIR`` when complete.
* ``DIR`` holding an earlier yibao export (its ``.yibao-export`` marker):
  the new export is built beside it and swapped in (rename, rename), then the
  old one is deleted — no stale partition of an earlier export survives.
* ``DIR`` holding anything else: the export goes to a new dated subfolder
  ``DIR/yibao-export-YYYYMMDD-HHMMSS/``; no file yibao did not write is ever
  overwritten or deleted.

No path is pasted into SQL: files are written through DuckDB's relation API
(``write_parquet``) and polars, which take the path as an argument.
"""
from __future__ import annotations

import csv
import os
import shutil
import uuid
from datetime import datetime
from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv", "xlsx")
MARKER = ".yibao-export"


def marts_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "order by table_name").fetchall()]


def _columns(con, table: str) -> list[tuple[str, str, str | None]]:
    return con.execute(
        "select column_name, data_type, comment from duckdb_columns() "
        "where schema_name = 'marts' and table_name = ? order by column_index", [table]).fetchall()


def write_dictionary(con, tables: list[str], out: Path) -> None:
    comments = dict(con.execute(
        "select table_name, comment from duckdb_tables() where schema_name = 'marts'").fetchall())
    with (out / "data_dictionary.csv").open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["table", "column", "data_type", "description"])
        for table in tables:
            w.writerow([table, "", "", comments.get(table) or ""])
            for name, dtype, comment in _columns(con, table):
                w.writerow([table, name, dtype, comment or ""])


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def destination(out: Path) -> Path:
    """Where an export to ``out`` goes (see the module docstring)."""
    if not out.exists() or (out.is_dir() and not any(out.iterdir())) or (out / MARKER).is_file():
        return out
    if not out.is_dir():
        raise FileExistsError(f"{out} is a file, not a folder; choose another DIR")
    return out / datetime.now().strftime("yibao-export-%Y%m%d-%H%M%S")


def _write_table(con, table: str, target: Path, fmt: str, has_year: bool) -> None:
    rel = con.table(f"marts.{_ident(table)}")
    if fmt == "parquet":
        if has_year:
            rel.write_parquet(str(target), partition_by=["fiscal_year"])
        else:
            target.mkdir()
            rel.write_parquet(str(target / "data.parquet"))
    else:
        rel.pl().write_csv(target.with_name(target.name + ".csv"), include_bom=True)


def _write_workbook(con, tables: list[str], path: Path) -> None:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise ValueError("xlsx export needs openpyxl: pip install 'yibao[xlsx]'") from None
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(title=table[:31])
        rel = con.table(f"marts.{_ident(table)}")
        sheet.append(rel.columns)
        for row in rel.fetchall():
            sheet.append([v if v is None or isinstance(v, (int, float, str)) else str(v) for v in row])
    book.save(path)


def _swap_in(built: Path, out: Path) -> None:
    """``built`` becomes ``out``; an earlier export there is removed after the swap."""
    if out.exists() and (out / MARKER).is_file():
        old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(out, old)
        os.replace(built, out)
        shutil.rmtree(old)
    else:
        if out.exists():
            out.rmdir()          # empty (destination() checked)
        os.replace(built, out)


def export(warehouse: Path, out: Path, fmt: str) -> tuple[Path, dict[str, int]]:
    """Write every marts table; returns the folder written and rows per table."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse; run `yibao run PATH` first")
    target = destination(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    built = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
    built.mkdir()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = marts_tables(con)
        written = {}
        for table in tables:
            cols = {c[0] for c in _columns(con, table)}
            if fmt != "xlsx":
                _write_table(con, table, built / table, fmt, "fiscal_year" in cols)
            written[table] = con.execute(
                f"select count(*) from marts.{_ident(table)}").fetchone()[0]
        if fmt == "xlsx":
            _write_workbook(con, tables, built / "marts.xlsx")
        write_dictionary(con, tables, built)
        (built / MARKER).write_text(f"written by yibao export ({fmt}); this folder is "
                                    "replaced whole by the next export to it\n", encoding="utf-8")
        con.close()
        _swap_in(built, target)
    except BaseException:
        con.close()
        shutil.rmtree(built, ignore_errors=True)
        raise
    return target, written
