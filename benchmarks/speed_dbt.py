"""dbt against its own SQL, for the speed benchmark (``bench_speed.py``): the
compiled SQL of the last build run directly in one DuckDB connection, the raw
layer replicated into more units' documents, dbt's own elapsed time, and the
fixed and per-document cost through two sizes."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from speed_common import ROOT, cpu


def direct_sql_seconds(warehouse: Path, only: set[str] | None = None) -> tuple[float, int, int]:
    """Run the compiled SQL of every seed, model and test of the last dbt build, in
    DAG order, in one DuckDB connection on a copy of the warehouse (``only``:
    these nodes alone, e.g. those a rebuild ran; the copy holds the others, and
    the manifest of a rebuild has no compiled SQL for the nodes it kept)."""
    import duckdb

    manifest = json.loads((warehouse.parent / "target" / "manifest.json").read_text())
    nodes = {k: v for k, v in manifest["nodes"].items()
             if v["resource_type"] in ("seed", "model", "test")}
    order, done = [], set()

    def visit(uid):
        if uid in done or uid not in nodes:
            return
        done.add(uid)
        for dep in nodes[uid]["depends_on"].get("nodes", []):
            visit(dep)
        order.append(uid)

    for uid in sorted(nodes):
        visit(uid)
    # the compiled SQL names relations "<database>"."<schema>"."<name>": open the
    # copy under the database name dbt used
    database = next(iter(nodes.values()))["database"]
    copy = warehouse.parent / "direct" / f"{database}.duckdb"
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(warehouse, copy)
    con = duckdb.connect(str(copy))
    models = tests = 0
    seconds = 0.0
    for uid in order:
        node = nodes[uid]
        relation = node.get("relation_name")
        if only is not None and uid not in only:
            continue
        t = time.perf_counter()
        if node["resource_type"] == "seed":
            path = ROOT / node["original_file_path"]
            con.execute(f"create or replace table {relation} as select * from "
                        f"read_csv('{path}', header = true, all_varchar = true)")
        elif node["resource_type"] == "model":
            kind = "view" if node["config"]["materialized"] == "view" else "table"
            con.execute(f"create or replace {kind} {relation} as {node['compiled_code']}")
            models += 1
        else:
            con.execute(f"select count(*) from ({node['compiled_code']})").fetchone()
            tests += 1
        seconds += time.perf_counter() - t
    con.close()
    return seconds, models, tests


# the raw columns that name a document, its file or its unit: each replica gets its own
REPLICA_KEYS = ("document_id", "source_file", "file_name", "sha256", "text_fingerprint",
                "department_name", "department_name_printed")


def replicate_raw(built: Path, dest: Path, copies: int) -> None:
    """``dest``: a copy of the built warehouse whose raw layer holds ``copies`` times its
    documents, each replica with its own document ids, files, fingerprints and unit
    names (so every replica is an original report of a unit of its own, as a national
    corpus has more units, not more copies of the same reports). The dbt project's
    target folder comes along, so dbt starts from the same parse."""
    import duckdb

    shutil.rmtree(dest.parent, ignore_errors=True)
    dest.parent.mkdir(parents=True)
    shutil.copy(built, dest)
    dest.chmod(0o644)
    shutil.copytree(built.parent / "target", dest.parent / "target")
    con = duckdb.connect(str(dest))
    try:
        tables = [t for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()]
        for table in tables:
            columns = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'raw' "
                "and table_name = ? order by column_index", [table]).fetchall()]
            replaced = [c for c in columns if c in REPLICA_KEYS]
            if not replaced:
                continue
            select = ", ".join(f"{c} || ' #' || k as {c}" if c in replaced else c for c in columns)
            con.execute(f"insert into raw.{table} select {select} from raw.{table}, "
                        f"range(1, {copies}) as copy(k)")
        con.execute("checkpoint")
    finally:
        con.close()


def dbt_elapsed_seconds(warehouse: Path) -> tuple[float, int]:
    """``dbt build`` on ``warehouse`` itself (no publishing): dbt's own elapsed time and
    how many nodes failed (a replicated raw layer may fail a test; it still runs)."""
    from ingest.build import BUILD_ARGS, FAILED_STATUSES, run_dbt, target_dir

    run_dbt(BUILD_ARGS, warehouse)
    results = json.loads((target_dir(warehouse) / "run_results.json").read_text())
    failed = sum(str(r.get("status")).lower() in FAILED_STATUSES for r in results["results"])
    return results.get("elapsed_time", float("nan")), failed


def compaction_seconds(warehouse: Path) -> tuple[float, int]:
    """CPU-seconds of the close step's compaction (``ingest.publish_compact``: the
    whole file copied into a fresh one, every build) on a copy of ``warehouse``,
    and the compacted size in bytes."""
    from ingest.publish_compact import compact

    copy = warehouse.with_name(f"compacted-{warehouse.name}")
    shutil.copyfile(warehouse, copy)
    try:
        c = cpu()
        compact(copy)
        return cpu() - c, copy.stat().st_size
    finally:
        copy.unlink(missing_ok=True)


def linear(n1: float, y1: float, n2: float, y2: float) -> tuple[float, float]:
    """Fixed and per-document cost through two measurements (neither below zero)."""
    per = max((y2 - y1) / (n2 - n1), 0.0)
    return max(y1 - per * n1, 0.0), per
