"""The ``yibao`` commands that write the warehouse — ``ingest``, ``build``,
``run``, ``remove`` — each on a staging copy published whole
(``ingest.publish``), and ``ingest``/``run`` into a Parquet raw folder
(``--raw-dir``). See ``ingest.cli``."""
from __future__ import annotations

import sys
from pathlib import Path

from ingest.cli_args import UserError, warehouse_path


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


def _build_into(staging: Path, full: bool = False):
    from ingest.build import BuildFailed, build
    from ingest.publish import fault_pause

    fault_pause("dbt")
    try:
        return build(staging, full=full)
    except BuildFailed as exc:
        raise UserError(f"{exc} (the live warehouse is unchanged)") from None


def _report(live: Path, result) -> None:
    from ingest.publish_audit import read_snapshot

    if result is not None:
        kept = (f" ({result.kept} views and seeds kept: the last build made them with this same "
                "project)") if result.kept else ""
        print(f"dbt build passed: {result.passed} nodes ok, {result.warned} warnings{kept}")
    print(f"warehouse: {live}")
    for table, n in read_snapshot(live)["counts"].items():
        print(f"  marts.{table:<28} {n:>7} rows")


def _publishing(args, command: str, do_ingest: bool, do_build: bool, work=None) -> None:
    """Every writing command works on a staging copy and publishes it whole."""
    from ingest.publish import BuildInProgress, PublishFailed, publication

    live = warehouse_path(args.warehouse)
    raw_dir = getattr(args, "raw_dir", None)
    if do_build:
        from ingest.build import warm_up
        warm_up()   # dbt is imported while the reports are read
    try:
        with publication(live, command) as pub:
            if raw_dir:
                _load_raw_dir(pub.staging, raw_dir)
            elif do_ingest:
                _ingest_into(pub.staging, args)
            if work is not None:
                work(pub.staging, args)
            result = _build_into(pub.staging, full=getattr(args, "rebuild", False)) if do_build else None
            pub.publish(marts_expected=do_build,
                        dbt_passed=result and result.passed, dbt_warned=result and result.warned,
                        dbt_relations=result and result.relations)
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
    from ingest.publish import BuildInProgress, build_lock, leftovers
    from ingest.publish_paths import staging_path
    from ingest.publish_record import project_sha256, unchanged_since_last_build

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
