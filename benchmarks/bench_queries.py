"""Dashboard queries on the marts replicated to a national scale (issue 14).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_queries.py --warehouse W [--rows 10000000]

``W`` is a built warehouse (``yibao run``) with dbt's ``target/`` beside it.
``bench_speed.py`` calls the same functions on the warehouse it generates.

**Replication.** ``fct_functional_lines`` is copied until it holds ``--rows``
rows. Each copy of a report stands for *another unit's* report of the same
year: copy ``k`` of the ``s``-th report of a unit in a year and phase belongs
to unit ``dep_<hash(unit, s, k)>`` (ids shaped like the real ones, so the
8-byte min/max DuckDB keeps per row group tell units apart as they would in a
real warehouse; a suffix such as ``<id>_k`` would make every copy of a unit
look alike to them), and its amounts are scaled by a factor of its own
within ±0.5 % (exact copies would tie in every rank). A generated corpus holds many reports of one unit in a
year; replicated, every unit has about one report a year, as a national
corpus does. ``dim_departments`` and ``dim_documents`` are replicated with
the same ids; the marts built only from marts (``rpt_spending_structure``,
``rpt_functional_spending``) are rebuilt from the replicated tables by their
own compiled SQL (``target/manifest.json``), so precomputed ranks and shares
are those of the larger warehouse; ``rpt_budget_vs_final`` (built from
intermediate models) and ``rpt_department_years`` are replicated row by row
with the same unit ids (their precomputed ranks are not recomputed; no
query here reads them).
Every table is stored in its model's sort order, in a file written with the
storage version a published warehouse uses.

**Warm** is p50/p95 of 20 runs on one open connection; **cold** is a new
process opening the file read-only and running the query once (connect
included, Python's start and ``import duckdb`` not), with the OS page cache
as it is (not dropped: the file was just written or read). CPU is the
querying process' user + system time per warm run (DuckDB's threads
included): the figure to compare on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The queries a dashboard sends, each to the mart made for it (see analyses/
# and the marts' YAML): $department and $code are a unit and a code with many rows.
DASHBOARD = {
    # the league table of one 功能分类 code: the top 20 units of each year, with their
    # rank in their province (rpt_functional_spending's precomputed ranks)
    "peer rank by code": """
        select fiscal_year, amount_rank, department_id, province, amount_wan_yuan, peer_count,
               amount_rank_in_province, peer_count_in_province
        from marts.rpt_functional_spending
        where functional_code = $code and phase = 'final' and amount_rank <= 20
        order by fiscal_year, amount_rank""",
    # one unit's spending by code, year on year
    "year on year": """
        select fiscal_year, functional_code, functional_name, amount_wan_yuan,
               change_wan_yuan, change_pct
        from marts.rpt_functional_spending
        where department_id = $department and phase = 'final'
        order by functional_code, fiscal_year""",
    # analyses/budget_vs_final_by_code.sql, for one unit
    "budget vs final": """
        select fiscal_year, functional_code, line_name, budget_wan_yuan,
               initial_budget_wan_yuan, final_wan_yuan, execution_pct
        from marts.rpt_budget_vs_final
        where department_id = $department
        order by fiscal_year, functional_code""",
    # analyses/spending_structure_by_class.sql, for one unit
    "spending structure": """
        select fiscal_year, phase, class_code, class_name, class_share_pct, section_code,
               section_name, amount_wan_yuan, share_pct, share_change_pp
        from marts.rpt_spending_structure
        where department_id = $department
        order by fiscal_year, share_pct desc""",
    # the map: units' spending by province and year (rpt_department_years, as the
    # bureau comparison dashboard of models/exposures.yml reads it)
    "province x year rollup": """
        select province, fiscal_year, phase, count(*) as units,
               count(total_expenditure_wan_yuan) as units_with_total,
               sum(total_expenditure_wan_yuan) as total_expenditure_wan_yuan,
               median(admin_cost_share_pct) as median_admin_cost_share_pct
        from marts.rpt_department_years
        group by all
        order by province, fiscal_year, phase""",
}

# unit s of a unit-year's reports, copy k: a new unit id shaped like the real ones
_NEW_UNIT = ("case when k = 0 and slot = 0 then department_id "
             "else 'dep_' || left(md5(department_id || '/' || slot || '/' || k), 12) end")
_NEW_DOC = "case when k = 0 then {col} else left(md5({col} || '/' || k), 16) end"
# another unit spends a little more or less: copy k's amounts scaled by 1 + (k % 997 - 498) / 10^5
# (so units don't tie in a rank as exact copies would)
_SCALED = "({col} * (1 + (m.k % 997 - 498) / 100000))::decimal(20, 6)"


def _compiled(manifest: dict, model: str) -> str | None:
    node = manifest["nodes"].get(f"model.yibao.{model}")
    if not node or not node.get("compiled_code"):
        return None
    return re.sub(r'"[^"]*"\."marts"\.', "marts.", node["compiled_code"])


def build_replica(warehouse: Path, path: Path, rows: int) -> dict:
    """The dashboard's marts of ``warehouse`` replicated to ``rows`` fact rows, in ``path``."""
    import duckdb

    from ingest.publish_paths import STORAGE_COMPATIBILITY

    manifest = json.loads((warehouse.parent / "target" / "manifest.json").read_text())
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    con.execute(f"attach '{warehouse}' as src (read_only)")
    con.execute("create schema marts")
    timings = {}
    t0 = time.perf_counter()
    base = con.execute("select count(*) from src.marts.fct_functional_lines").fetchone()[0]
    copies = -(-rows // base)
    # every report's slot among its unit's reports of that year and phase, and its copies
    con.execute(f"""
        create temp table copy_map as
        with slots as (
            select document_id, department_id, fiscal_year, phase,
                   dense_rank() over (partition by department_id, fiscal_year, phase
                                      order by document_id) - 1 as slot
            from src.marts.dim_documents)
        select slots.*, k, {_NEW_UNIT} as new_department_id,
               {_NEW_DOC.format(col='document_id')} as new_document_id
        from slots, range({copies}) as r(k)""")
    con.execute("""
        create temp table unit_map as
        select distinct department_id, slot, k, new_department_id from copy_map""")
    t = time.perf_counter()
    con.execute(f"""
        create table marts.fct_functional_lines as
        select f.* replace (m.new_department_id as department_id,
                            m.new_document_id as document_id,
                            case when m.k = 0 then f.line_id
                                 else f.line_id || '_' || m.k end as line_id,
                            {_SCALED.format(col='f.amount_wan_yuan')} as amount_wan_yuan,
                            {_SCALED.format(col='f.analysis_amount_wan_yuan')}
                                as analysis_amount_wan_yuan)
        from src.marts.fct_functional_lines f
        join copy_map m using (document_id)
        order by department_id, fiscal_year, functional_code, line_id
        limit {rows}""")
    timings["fct_functional_lines"] = time.perf_counter() - t
    con.execute("""
        create table marts.dim_departments as
        select d.* replace (u.new_department_id as department_id)
        from src.marts.dim_departments d join unit_map u using (department_id)
        order by department_id""")
    con.execute("""
        create table marts.dim_documents as
        select d.* replace (m.new_department_id as department_id,
                            m.new_document_id as document_id)
        from src.marts.dim_documents d join copy_map m using (document_id)
        order by document_id""")
    # (a copy's copy_of_document_id still names the source's id: only the null test matters)
    for table in ("dim_functional_subjects", "dim_fiscal_years"):
        con.execute(f"create table marts.{table} as select * from src.marts.{table}")
    # marts built from intermediate models: one row per unit and year (and code or
    # phase) -> one per replicated unit; precomputed ranks are left as they were
    units_years = """(select distinct department_id, fiscal_year, slot, k, new_department_id
                      from copy_map)"""
    docs = ", ".join(_NEW_DOC.format(col=c) + f" as {c}"
                     for c in ("budget_document_id", "initial_budget_document_id",
                               "final_document_id"))
    # (a unit whose copies fell past the --rows cut keeps no budget-vs-final rows; every
    # replicated unit keeps its years, with or without functional lines, as in a real warehouse)
    for model, extra, where, order in (
            ("rpt_budget_vs_final", f", {docs}",
             "where u.new_department_id in (select department_id from marts.fct_functional_lines)",
             "line_key"),
            ("rpt_department_years", "", "", "phase")):
        t = time.perf_counter()
        con.execute(f"""
            create table marts.{model} as
            select b.* replace (u.new_department_id as department_id{extra})
            from src.marts.{model} b join {units_years} u using (department_id, fiscal_year)
            {where}
            order by department_id, fiscal_year, {order}""")
        timings[model] = time.perf_counter() - t
    for model in ("rpt_spending_structure", "rpt_functional_spending"):
        sql = _compiled(manifest, model)
        if sql:
            t = time.perf_counter()
            con.execute(f"create table marts.{model} as {sql}")
            timings[model] = time.perf_counter() - t
    counts = {table: con.execute(f"select count(*) from marts.{table}").fetchone()[0]
              for table in ("fct_functional_lines", "dim_departments", *timings)}
    probe = con.execute("""
        select department_id, functional_code from marts.fct_functional_lines
        where table_kind = 'expenditure' and measure = 'total' and length(functional_code) = 7
        group by all order by count(*) desc, department_id, functional_code limit 1""").fetchone()
    con.execute("detach src")
    con.execute("checkpoint")
    con.close()
    return {"copies": copies, "seconds": time.perf_counter() - t0, "timings": timings,
            "counts": counts, "department": probe[0], "code": probe[1]}


_COLD = """import sys, time, duckdb
path, sql, args = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
t = time.perf_counter()
con = duckdb.connect(path, read_only=True)
con.execute(sql, args).fetchall()
print(time.perf_counter() - t)
"""


def _cold(path: Path, sql: str, args: dict) -> float:
    out = subprocess.run([sys.executable, "-c", _COLD, str(path), sql,
                          *(f"{k}={v}" for k, v in args.items())],
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def bench_queries(path: Path, params: dict, runs: int = 20, colds: int = 5) -> dict[str, dict]:
    import duckdb

    out = {}
    for name, sql in DASHBOARD.items():
        args = {k: params[k] for k in ("department", "code") if f"${k}" in sql}
        cold = [_cold(path, sql, args) for _ in range(colds)]
        con = duckdb.connect(str(path), read_only=True)
        rows = len(con.execute(sql, args).fetchall())
        warm = []
        c0 = _cpu()
        for _ in range(runs):
            t = time.perf_counter()
            con.execute(sql, args).fetchall()
            warm.append(time.perf_counter() - t)
        cpu_ms = (_cpu() - c0) / runs * 1e3
        con.close()
        out[name] = {"warm_p50": statistics.median(warm) * 1e3,
                     "warm_p95": sorted(warm)[int(0.95 * (runs - 1))] * 1e3,
                     "cpu_ms": cpu_ms, "cold_p50": statistics.median(cold) * 1e3,
                     "cold_max": max(cold) * 1e3, "rows": rows}
    return out


def report(warehouse: Path, path: Path, rows: int, line) -> None:
    params = build_replica(warehouse, path, rows)
    line("replicated marts built", f"{params['seconds']:.1f} s ({params['copies']} copies)")
    for table, n in params["counts"].items():
        took = params["timings"].get(table)
        line(f"  {table}", f"{n:,} rows" + (f", {took:.1f} s" if took is not None else ""))
    print("  (warm: p50/p95 of 20 runs on one connection, CPU ms per run; cold: a new process "
          "opening the file read-only, connect + query, OS page cache as it is)")
    for name, q in bench_queries(path, params).items():
        line(f"{name} ({q['rows']} rows)", f"warm p50 {q['warm_p50']:.0f} p95 {q['warm_p95']:.0f} "
             f"cpu {q['cpu_ms']:.0f}; cold p50 {q['cold_p50']:.0f} max {q['cold_max']:.0f}",
             "≤ 300 warm, ≤ 1000 cold")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--warehouse", type=Path, required=True,
                    help="a built warehouse, with dbt's target/ beside it")
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--replica", type=Path, help="where to write the replica (default beside W)")
    args = ap.parse_args()

    def line(label: str, value: str, target: str = "") -> None:
        print(f"  {label:<46} {value:<34} {target}", flush=True)

    replica = args.replica or args.warehouse.with_name("dashboard_replica.duckdb")
    print(f"dashboard queries on the marts replicated to {args.rows:,} fact rows (ms)")
    report(args.warehouse, replica, args.rows, line)


if __name__ == "__main__":
    main()
