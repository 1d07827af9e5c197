"""Export the marts as files, for tools that prefer files to a database.

``parquet``: one folder per table; a table with a ``fiscal_year`` column is
partitioned by it (Hive style, ``fiscal_year=2023/``), rows without a year in
``fiscal_year=__HIVE_DEFAULT_PARTITION__/`` as DuckDB writes them.
``csv``: one UTF-8 CSV per table with a header row.
Both come with ``data_dictionary.csv``: every table and column with its type
and description (the dbt docs, as persisted in the warehouse's comments).
"""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv")


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
    with (out / "data_dictionary.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["table", "column", "data_type", "description"])
        for table in tables:
            w.writerow([table, "", "", comments.get(table) or ""])
            for name, dtype, comment in _columns(con, table):
                w.writerow([table, name, dtype, comment or ""])


def export(warehouse: Path, out: Path, fmt: str) -> dict[str, int]:
    """Write every marts table to ``out``; returns rows written per table."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse; run `yibao run PATH` first")
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = marts_tables(con)
        written = {}
        for table in tables:
            cols = {c[0] for c in _columns(con, table)}
            target = out / table
            if fmt == "parquet" and "fiscal_year" in cols:
                con.execute(f"copy marts.{table} to '{target}' "
                            "(format parquet, partition_by (fiscal_year), overwrite_or_ignore)")
            elif fmt == "parquet":
                target.mkdir(exist_ok=True)
                con.execute(f"copy marts.{table} to '{target / 'data.parquet'}' (format parquet)")
            else:
                con.execute(f"copy marts.{table} to '{target}.csv' (format csv, header)")
            written[table] = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
        write_dictionary(con, tables, out)
        return written
    finally:
        con.close()
