"""The ``yibao`` command: ingest reports, build the warehouse, score it.

Exit status 0 on success; otherwise non-zero with a one-line reason on stderr
(1: the work failed, 2: the command line was wrong).
"""
from __future__ import annotations

import argparse
import os
import sys
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
    _add_warehouse(p)

    p = sub.add_parser("run", help="ingest then build",
                       description="`yibao ingest PATH...` then `yibao build`. When no report "
                                   "file and nothing of the project changed since the live "
                                   "build, says so and publishes nothing (--rebuild to build "
                                   "anyway).")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--rebuild", action="store_true",
                   help="build and publish even when nothing changed")
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


def _ingest_into(staging: Path, args) -> None:
    from ingest.pipeline import NoReports, ingest
    from ingest.publish import fault_pause

    fault_pause("ingest")
    try:
        summary = ingest([Path(p) for p in args.paths], staging, workers=args.workers,
                         follow_links=args.follow_links, prune=args.prune)
    except NoReports as exc:
        raise UserError(str(exc)) from None
    for source, reason in summary.not_taken:
        print(f"yibao: {source}: skipped: {reason}", file=sys.stderr)
    for source in summary.pruned:
        print(f"yibao: {source}: file gone, document removed (--prune)", file=sys.stderr)
    for source, reason in summary.failures:
        print(f"yibao: {source}: {reason}", file=sys.stderr)
    for source, notice in summary.notices:
        print(f"yibao: {source}: {notice}", file=sys.stderr)
    print(summary.line())
    if summary.loaded == 0 and summary.skipped == 0:
        raise UserError("no file could be read")


def _ingest_to_raw_dir(args) -> None:
    from ingest.engines import ingest_to_raw
    from ingest.engines.ray_engine import RayMissing
    from ingest.pipeline import NoReports

    try:
        summary = ingest_to_raw(args.paths, args.raw_dir, engine=args.engine,
                                workers=args.workers, address=args.address, size=args.batch_size)
    except (NoReports, RayMissing) as exc:
        raise UserError(str(exc)) from None
    for source, reason in summary.failures:
        print(f"yibao: {source}: {reason}", file=sys.stderr)
    print(summary.line())
    if summary.loaded == 0 and summary.skipped == 0:
        raise UserError("no file could be read")


def _load_raw_dir(staging: Path, raw_dir: str) -> None:
    from ingest.rawdir import load_warehouse

    counts = load_warehouse(raw_dir, staging)
    print(f"raw layer loaded from {raw_dir}: {counts['documents']} documents, "
          f"{sum(n for t, n in counts.items() if t not in ('documents', 'ingest_errors'))} facts")


def _check_engine(args) -> None:
    if args.engine != "local" and not args.raw_dir:
        raise UserError(f"--engine {args.engine} writes Parquet parts: give --raw-dir DIR")
    if args.address and args.engine != "ray":
        raise UserError("--address is for --engine ray")


def _build_into(staging: Path):
    from ingest.build import BuildFailed, build
    from ingest.publish import fault_pause

    fault_pause("dbt")
    try:
        return build(staging)
    except BuildFailed as exc:
        raise UserError(f"{exc} (the live warehouse is unchanged)") from None


def _report(live: Path, result) -> None:
    from ingest.publish_audit import read_snapshot

    if result is not None:
        print(f"dbt build passed: {result.passed} nodes ok, {result.warned} warnings")
    print(f"warehouse: {live}")
    for table, n in read_snapshot(live)["counts"].items():
        print(f"  marts.{table:<28} {n:>7} rows")


def _publishing(args, command: str, do_ingest: bool, do_build: bool, work=None) -> None:
    """Every writing command works on a staging copy and publishes it whole."""
    from ingest.publish import BuildInProgress, PublishFailed, publication

    live = warehouse_path(args.warehouse)
    raw_dir = getattr(args, "raw_dir", None)
    try:
        with publication(live, command) as pub:
            if raw_dir:
                _load_raw_dir(pub.staging, raw_dir)
            elif do_ingest:
                _ingest_into(pub.staging, args)
            if work is not None:
                work(pub.staging, args)
            result = _build_into(pub.staging) if do_build else None
            pub.publish(marts_expected=do_build,
                        dbt_passed=result and result.passed, dbt_warned=result and result.warned)
    except (BuildInProgress, PublishFailed) as exc:
        raise UserError(str(exc)) from None
    if do_build:
        _report(live, result)
    elif do_ingest:
        print(f"warehouse: {live} (raw layer updated; `yibao build` refreshes the marts)")


def cmd_ingest(args) -> None:
    _check_engine(args)
    if args.raw_dir:  # the warehouse is untouched: `yibao build --raw-dir DIR` loads the folder
        _ingest_to_raw_dir(args)
        print(f"raw folder: {args.raw_dir} (`yibao build --raw-dir {args.raw_dir}` builds from it)")
        return
    _publishing(args, "ingest", do_ingest=True, do_build=False)


def cmd_build(args) -> None:
    live = warehouse_path(args.warehouse)
    if not live.exists() and not args.raw_dir:
        raise UserError(f"{live}: no warehouse yet; run `yibao ingest PATH` first")
    _publishing(args, "build", do_ingest=False, do_build=True)


def _nothing_changed(args) -> bool:
    """True (and says so) when the live build already holds exactly these inputs:
    every report's sha256 and the project's hash are those of its last full build.
    Leftovers of a killed build are removed meanwhile, under the build lock."""
    import hashlib

    from ingest.pipeline import NoReports, discover
    from ingest.publish import (
        BuildInProgress,
        build_lock,
        leftovers,
        project_sha256,
        staging_path,
        unchanged_since_last_build,
    )

    live = warehouse_path(args.warehouse)
    if not live.exists():
        return False
    try:
        files = discover([Path(p) for p in args.paths])
    except NoReports as exc:
        raise UserError(str(exc)) from None
    hashes = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    try:
        with build_lock(live):
            for leftover in leftovers(staging_path(live)):
                leftover.unlink(missing_ok=True)
            build = unchanged_since_last_build(live, hashes, project_sha256())
    except BuildInProgress as exc:
        raise UserError(str(exc)) from None
    if build is None:
        return False
    print(f"nothing changed since build {build} ({len(files)} report files, same project): "
          f"nothing published (--rebuild to build anyway)")
    print(f"warehouse: {live}")
    return True


def cmd_run(args) -> None:
    _check_engine(args)
    if args.raw_dir:
        _ingest_to_raw_dir(args)
    elif not args.rebuild and _nothing_changed(args):
        return
    _publishing(args, "run", do_ingest=True, do_build=True)


def _remove_from(staging: Path, args) -> None:
    import duckdb

    from ingest import lineage
    from ingest.pipeline import display_path

    con = duckdb.connect(str(staging))
    try:
        ids, missing = [], []
        for what in args.what:
            try:
                found = lineage.find(con, what, display_path(Path(what)))
            except lineage.Ambiguous as exc:
                raise UserError(str(exc)) from None
            (ids.extend(found) if found else missing.append(what))
        if missing:
            raise UserError("no document with the path or id " + ", ".join(missing)
                            + " (see marts.dim_documents for paths and ids)")
        lineage.remove(con, sorted(set(ids)))
    except duckdb.CatalogException:
        raise UserError("the warehouse holds no documents") from None
    finally:
        con.close()
    print(f"removed {len(set(ids))} document(s)")


def cmd_remove(args) -> None:
    live = warehouse_path(args.warehouse)
    if not live.exists():
        raise UserError(f"{live}: no warehouse yet")
    from ingest.publish_audit import read_snapshot

    built = bool(read_snapshot(live)["counts"])   # rebuild the marts only where there are some
    _publishing(args, "remove", do_ingest=False, do_build=built, work=_remove_from)


def cmd_evaluate(args) -> None:
    from ingest.evaluate import GoldMissing, evaluate, render

    try:
        report = evaluate(warehouse_path(args.warehouse), Path(args.gold))
    except GoldMissing as exc:
        raise UserError(str(exc)) from None
    print(render(report, details=args.details))


def cmd_export(args) -> None:
    from ingest.export import export

    try:
        out, written = export(warehouse_path(args.warehouse), Path(args.dir), args.format)
    except (FileNotFoundError, FileExistsError, ValueError) as exc:
        raise UserError(str(exc)) from None
    print(f"exported {len(written)} marts tables ({sum(written.values())} rows) as "
          f"{args.format} to {out} with data_dictionary.csv")


def cmd_docs(args) -> None:
    from ingest.docs import DocsFailed, generate, serve

    wh = warehouse_path(args.warehouse)
    out = Path(args.out) if args.out else wh.parent / "docs-site"
    try:
        page = generate(wh, out)
    except DocsFailed as exc:
        raise UserError(str(exc)) from None
    print(f"docs site: {page}")
    if args.serve:
        serve(out, args.port)


def cmd_analyses(args) -> None:
    from ingest.analyses import AnalysisFailed, available, find, render, run

    if args.name is None:
        for analysis in available():
            print(f"{analysis.name:<36} {analysis.headline}")
        return
    try:
        analysis = find(args.name)
        columns, rows = run(warehouse_path(args.warehouse), analysis,
                            Path(args.csv) if args.csv else None)
    except AnalysisFailed as exc:
        raise UserError(str(exc)) from None
    if args.csv:
        print(f"{analysis.name}: {len(rows)} rows written to {args.csv}")
    else:
        print(render(columns, rows))


COMMANDS = {"analyses": cmd_analyses, "docs": cmd_docs, "ingest": cmd_ingest, "build": cmd_build, "run": cmd_run,
            "evaluate": cmd_evaluate, "export": cmd_export, "remove": cmd_remove}


def _held_lock(exc: Exception) -> bool:
    """DuckDB's own message for a file another process holds (not any text with "lock")."""
    text = str(exc)
    return "Could not set lock on file" in text and "Conflicting lock is held" in text


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except UserError as exc:
        print(f"yibao: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("yibao: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — one line for the user, never a traceback dump
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        if _held_lock(exc):
            reason = f"the warehouse is in use by another process ({reason})"
        print(f"yibao: {type(exc).__name__}: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
