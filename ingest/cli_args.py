"""The ``yibao`` command line: the parser of every command and its options,
the warehouse a command names (``warehouse_path``), and ``UserError``, the
one-line failure every command raises. See ``ingest.cli``."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from ingest.build import PROJECT_DIR

DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "yibao.duckdb"


class UserError(Exception):
    """A failure to report in one line, without a traceback."""


def warehouse_path(arg: str | None) -> Path:
    """--warehouse, else $YIBAO_WAREHOUSE, else warehouse/yibao.duckdb under the project."""
    chosen = arg or os.environ.get("YIBAO_WAREHOUSE") or DEFAULT_WAREHOUSE
    return Path(chosen).expanduser().resolve()


def _add_warehouse(p: argparse.ArgumentParser) -> None:
    p.add_argument("--warehouse", metavar="FILE",
                   help="the DuckDB warehouse file (default: $YIBAO_WAREHOUSE, "
                        "else warehouse/yibao.duckdb under the project)")


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--follow-links", action="store_true",
                   help="also read symbolic links that lead outside the folders given "
                        "(by default they are skipped and listed)")
    p.add_argument("--prune", action="store_true",
                   help="drop the documents whose files (and copies) no longer exist")


def _add_engine(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("cluster mode (a Parquet raw folder instead of the DuckDB file)")
    g.add_argument("--raw-dir", metavar="DIR",
                   help="write the facts as Parquet parts to DIR (a folder or a URI such as "
                        "s3://bucket/raw) instead of into the warehouse")
    g.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="local: a process pool on this machine (default); ray: Ray tasks on a "
                        "cluster (needs --raw-dir and `pip install yibao[ray]`)")
    g.add_argument("--address", metavar="ADDRESS",
                   help="Ray cluster to join (e.g. auto or HOST:6379; default: a private Ray "
                        "instance on this machine)")
    g.add_argument("--batch-size", type=int, metavar="N",
                   help="files per task (default: about four tasks per CPU, at most 64 files)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="yibao",
        description="A warehouse of medical-insurance bureaus' 决算, 预算 and 绩效自评 reports.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="read report files into the raw layer",
                       description="Read report files (files, or folders searched recursively "
                                   "for every format yibao reads; symbolic links leading "
                                   "outside the folders and special files are skipped and "
                                   "listed), extract their facts and load them into the raw "
                                   "layer. Unchanged files (same sha256) are skipped; a changed "
                                   "file replaces its earlier facts; a file that can't be read or "
                                   "parsed is reported, recorded in raw.ingest_errors and skipped.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--workers", type=int, default=None,
                   help="parser processes (default: one per core)")
    _add_input_options(p)
    _add_engine(p)
    _add_warehouse(p)

    p = sub.add_parser("build", help="run dbt build (models and data tests)",
                       description="Run `dbt build` (seeds, models and their data tests) "
                                   "against the warehouse and print rows per marts table.")
    p.add_argument("--raw-dir", metavar="DIR",
                   help="first replace the raw layer by the Parquet raw folder DIR "
                        "(written by `yibao ingest --raw-dir DIR`)")
    p.add_argument("--rebuild", action="store_true",
                   help="make every view and seed again too (a build keeps those the "
                        "warehouse's last build made, when it used this same project, dbt "
                        "and DuckDB)")
    _add_warehouse(p)

    p = sub.add_parser("run", help="ingest then build",
                       description="`yibao ingest PATH...` then `yibao build`. When no report "
                                   "file and nothing of the project changed since the live "
                                   "build, says so and publishes nothing (--rebuild to build "
                                   "anyway).")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--rebuild", action="store_true",
                   help="build and publish even when nothing changed, every view and seed "
                        "made again")
    p.add_argument("--workers", type=int, default=None,
                   help="parser processes (default: one per core)")
    _add_input_options(p)
    _add_engine(p)
    _add_warehouse(p)

    p = sub.add_parser("remove", help="drop reports from the warehouse",
                       description="Drop the documents named by path (as stored, or any copy "
                                   "of it) or by document id / sha256 (8 or more hex digits), "
                                   "with all their facts, then rebuild and publish like any "
                                   "build. The files themselves are left alone.")
    p.add_argument("what", nargs="+", metavar="PATH|DOCUMENT_ID")
    _add_warehouse(p)

    p = sub.add_parser("evaluate", help="score the extraction against an answer key",
                       description="Score the warehouse's marts against an answer key laid out "
                                   "as shared/gold/SCHEMA.md describes (documents.csv, "
                                   "sections.csv, line_items.csv, indicators.csv, projects.csv, "
                                   "metrics.csv): precision, recall and F1 per fact kind and per "
                                   "file, then the misses and the extras.")
    p.add_argument("--gold", required=True, metavar="DIR", help="folder of the answer key")
    p.add_argument("--details", type=int, default=20, metavar="N",
                   help="misses and extras to list per kind (default 20; 0 for none)")
    _add_warehouse(p)

    p = sub.add_parser("export", help="write the marts as Parquet or CSV files",
                       description="Write every marts table to DIR as Parquet (partitioned by "
                                   "fiscal_year where the table has one), CSV or xlsx, with "
                                   "data_dictionary.csv describing every column. An earlier "
                                   "export in DIR is replaced whole; a DIR holding other files "
                                   "gets a new dated subfolder instead (nothing of yours is "
                                   "overwritten).")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--format", choices=["parquet", "csv", "xlsx"], default="parquet",
                   help="parquet (by fiscal_year), csv (UTF-8 with BOM, for Excel) or xlsx "
                        "(one sheet per table; needs openpyxl)")
    _add_warehouse(p)

    p = sub.add_parser("docs", help="write (and serve) the dbt docs site",
                       description="Generate the dbt docs site of the warehouse as one static "
                                   "page (DIR/index.html, default: docs-site/ beside the "
                                   "warehouse) and, with --serve, serve it on localhost.")
    p.add_argument("--out", metavar="DIR", default=None)
    p.add_argument("--serve", action="store_true", help="serve the site after writing it")
    p.add_argument("--port", type=int, default=8080)
    _add_warehouse(p)

    p = sub.add_parser("analyses", help="list the comparison queries, or run one",
                       description="Without NAME, list the comparison queries of analyses/ "
                                   "(plain SQL over the marts schema). With NAME, run that "
                                   "query read-only against the warehouse and print its rows, "
                                   "or write them all to --csv FILE.")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--csv", metavar="FILE", help="write the result to FILE as CSV")
    _add_warehouse(p)
    return top
