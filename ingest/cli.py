"""The ``yibao`` command: ingest reports, build the warehouse, score it.

Exit status 0 on success; otherwise non-zero with a one-line reason on stderr
(1: the work failed, 2: the command line was wrong).

This module runs a command (``main``) and holds the commands that only read
the warehouse (``evaluate``, ``export``, ``docs``, ``analyses``); the command
line is ``cli_args``, the commands that write the warehouse are
``cli_writes``. Their names are importable from here too.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ingest.cli_args import DEFAULT_WAREHOUSE, UserError, parser, warehouse_path  # noqa: F401  (re-exported)
from ingest.cli_writes import cmd_build, cmd_ingest, cmd_remove, cmd_run


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
