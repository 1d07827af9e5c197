"""Speed and memory figures for issue 14, printed side by side in one run.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_speed.py [--docs 1000] [--rows 10000000]

On a generated corpus of ``--docs`` documents (copies of ``corpus/`` with the
fiscal years shifted, the amounts scaled and one distinguishing line, so every
copy is parsed), it prints:

* read-and-decode MB/s (the floor) and parse MB/s per core on 1 and 2 workers;
* load rows/s: what the parent does with the workers' batches (receive the
  Arrow tables, insert, commit through ``ingest.load.DuckDBSink``), the columnar
  conversion the workers do (counted in the parse figures) printed apart;
* peak RSS of the batched load path at 1 000 and 10 000 documents (parsed
  items replicated, the same ``run_tasks`` + sink code path) and of a real
  end-to-end ingest;
* ``dbt build`` (child process) against the same compiled SQL run directly in
  one DuckDB connection, at the corpus' size and again on its raw layer
  replicated ``--dbt-copies`` times (each replica its own documents and
  units), a no-change ``yibao run`` and the published size before/after a
  no-change rebuild;
* dashboard queries p50/p95 warm and cold on the marts replicated to
  ``--rows`` fact rows (``bench_queries.py``);
* whether 1 worker/one batch and 2 workers/many batches load identical facts;
* an extrapolation to 100 000 documents on 2 cores (dbt: fixed + per-document
  cost through its two measured builds, the direct SQL's split beside it).

The parts beside this script: ``speed_common`` (CPU-seconds, the printed
line, the CLI in a child), ``speed_corpus`` (the generated corpus),
``speed_dbt`` (dbt against its own SQL, the replicated raw layer),
``speed_facts`` (the raw layer's signature), ``speed_long`` (long
documents: a report's parse against its length); the parse, load and PDF parts
and the report are here.

Figures are CPU-seconds where the machine is shared (``resource.getrusage``)
and wall seconds where latency is the point (queries, a no-change run); the
output says which. Not a test: figures to compare between changes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from speed_common import NATIONAL_DOCS, ROOT, cpu, line, own_peak_rss_kib, stop_forkserver, yibao
from speed_corpus import make_corpus
from speed_dbt import (
    compaction_seconds,
    dbt_elapsed_seconds,
    direct_sql_seconds,
    linear,
    replicate_raw,
)
from speed_facts import facts_vs_file, raw_signature
from speed_long import report as long_documents

sys.path.insert(0, str(ROOT))
import bench_queries  # noqa: E402  (benchmarks/, the script's own folder)

# the parsed documents the memory runs replicate (as before the parse figures
# were taken over the whole corpus: the load figures stay comparable)
LOAD_ITEMS = 200

# --- parse -------------------------------------------------------------------

def bytecode_cached() -> bool:
    """Whether the parsing code loads from cached bytecode. The fork server is a
    fresh interpreter: without ``__pycache__`` (a new checkout run with
    PYTHONDONTWRITEBYTECODE) it compiles every module it imports from source,
    ≈ 0.30 → 0.37-0.58 CPU-s of its start-up."""
    import importlib.util

    from ingest import pipeline
    return Path(importlib.util.cache_from_source(pipeline.__file__)).exists()


def bench_parse(files: list[Path], sample: int) -> dict:
    import importlib
    from datetime import datetime
    from functools import partial

    from ingest import columns, pipeline, workers
    from ingest.text import decode

    chosen = files[:sample] if sample else files
    size = sum(f.stat().st_size for f in chosen)
    t = cpu()
    for _ in range(5):
        for f in chosen:
            decode(f.read_bytes())
    floor = 5 * size / 1e6 / (cpu() - t)
    tasks = pipeline.plan(chosen, set(), pipeline.Summary())
    chunks = pipeline.chunked(tasks, 1)
    for module in workers.preload():   # what a pool worker has imported before it parses
        importlib.import_module(module)
    at = datetime(2026, 1, 1)
    w0, c0 = time.perf_counter(), cpu()
    items = []
    for chunk in chunks:   # what a worker does: parse, then the chunk in columns
        parsed = pipeline.parse_chunk(chunk)
        columns.to_batch(parsed, at)
        items.extend(parsed)
    wall1, cpu1 = time.perf_counter() - w0, cpu() - c0
    # 2 workers, warm: the pool's start-up (the fork server importing the parsing
    # code) apart from the parse itself; its CPU is counted in the 2-worker CPU all the same
    engine = partial(pipeline.load_chunk, loaded_at=at)
    w0, c0, k0 = time.perf_counter(), cpu(), cpu(resource.RUSAGE_CHILDREN)
    workers.start()
    with workers.process_pool(1) as pool:
        pool.submit(os.getpid).result()
    start = time.perf_counter() - w0
    w2 = time.perf_counter()
    n = sum(len(x) for x in pipeline.local_engine(engine, pipeline.chunked(tasks, 2), 2))
    wall2 = time.perf_counter() - w2
    stop_forkserver()   # the workers are the fork server's children: reap it to count them
    cpu2 = (cpu() - c0) + (cpu(resource.RUSAGE_CHILDREN) - k0)
    # 2 workers, cold, as `yibao ingest` runs them: the fork server starts inside the
    # run, and this process parses files itself until the workers are up
    w0 = time.perf_counter()
    n2 = sum(len(x) for x in pipeline.local_engine(engine, pipeline.chunked(tasks, 2), 2))
    cold = time.perf_counter() - w0
    stop_forkserver()
    assert n2 == n
    assert n == len(tasks)
    return {"floor": floor, "size": size, "files": len(chosen), "items": items,
            "mb_cpu1": size / 1e6 / cpu1, "mb_cpu2": size / 1e6 / cpu2 * 2,
            "wall1": wall1, "wall2": wall2, "start": start, "cold": cold, "scaling": wall1 / wall2,
            "scaling_cold": wall1 / cold}


# --- load and memory ---------------------------------------------------------

def replicated(items: list[dict], docs: int):
    """``docs`` parsed items: copies of ``items`` as distinct files (new path, sha256).
    The fact rows are shared between copies (the loader copies them when it adds
    the lineage), so the copies cost the parent no memory of their own."""
    for k in range(docs):
        item = dict(items[k % len(items)])
        sha = hashlib.sha256(f"{k}:{item['sha256']}".encode()).hexdigest()
        item.update(source_file=f"bench/{k:06d}.txt", sha256=sha)
        if item["document"] is not None:
            item["document"] = {**item["document"], "source_file": item["source_file"],
                                "sha256": sha, "document_id": sha[:16]}
        yield item


def load_child(items_file: str, docs: int, warehouse: str) -> None:
    """In a fresh process: push ``docs`` replicated items through run_tasks + DuckDBSink.

    The engine stands in for the workers: it turns each chunk of replicated
    items into a batch in columns and pickles it, as a worker does (its CPU
    and wall time are counted apart, as ``convert``: the workers' share, in
    parallel), and hands the parent the unpickled batch. The load is the rest:
    what the parent does with the workers' batches."""
    import pickle

    from ingest import columns, load, pipeline

    items = pickle.loads(Path(items_file).read_bytes())
    source = replicated(items, docs)
    convert = {"cpu": 0.0, "wall": 0.0}

    def engine(fn, chunks, workers):
        for chunk in chunks:
            w, c = time.perf_counter(), cpu()
            sent = pickle.dumps(columns.to_batch([next(source) for _ in chunk], fn.keywords["loaded_at"]))
            convert["cpu"] += cpu() - c
            convert["wall"] += time.perf_counter() - w
            yield pickle.loads(sent)

    tasks = [("", f"bench/{k:06d}.txt", "") for k in range(docs)]
    con = load.connect(Path(warehouse))
    summary = pipeline.Summary()
    w0, c0 = time.perf_counter(), cpu()
    sink = load.DuckDBSink(con)
    pipeline.run_tasks(tasks, sink, summary, workers=2, engine=engine)
    sink.flush()   # as ingest does before its lineage steps
    duckdb_mib = con.execute("select sum(memory_usage_bytes) / 2^20 from duckdb_memory()").fetchone()[0]
    sink.commit()
    con.execute("checkpoint")
    con.close()
    rows = sum(summary.facts.values()) + summary.loaded
    rss = own_peak_rss_kib() / 1024
    print(json.dumps({"rows": rows, "wall": time.perf_counter() - w0 - convert["wall"],
                      "cpu": cpu() - c0 - convert["cpu"], "convert_cpu": convert["cpu"],
                      "rss_mib": rss, "duckdb_mib": duckdb_mib}))


def bench_load(items: list[dict], tmp: Path, docs: int) -> dict:
    import pickle

    items_file = tmp / "items.pickle"
    items_file.write_bytes(pickle.dumps(items))
    wh = tmp / f"load{docs}" / "w.duckdb"
    wh.parent.mkdir()
    out = subprocess.run([sys.executable, __file__, "--load-child", str(items_file), str(docs),
                          str(wh)], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def pdf_reading(line) -> None:
    """PDF reading, apart from the text corpus: the corpus' PDFs read in this one
    process (``bench_pdf``), in pages per CPU-second, and what a national corpus
    of PDFs of the same mean length would take on 2 cores."""
    import bench_pdf

    pdfs = sorted((ROOT / "corpus").rglob("*.pdf"))
    if not pdfs:
        print("  PDF reading: no PDF in corpus/")
        return
    pages, first, rate = bench_pdf.pdf_rates(pdfs, rounds=2)
    line(f"PDF reading ({len(pdfs)} PDFs, {pages} pages, one core)",
         f"{rate:.1f} pages/CPU-s (2 rounds after a first: {first:.1f}, imports and all)")
    mean_pages = pages / len(pdfs)
    line(f"  {NATIONAL_DOCS:,} PDFs of {mean_pages:.0f} pages, 2 cores",
         f"{NATIONAL_DOCS * mean_pages / rate / 2:.0f} s (reading only; OCR not included)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--parse-sample", type=int, default=0,
                    help="documents parsed for the per-core and scaling figures (default: "
                         "the whole generated corpus, so the pool's start-up, once a run, "
                         "weighs in the cold figure as in a run of this size)")
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--load-docs", default="1000,10000",
                    help="document counts of the memory runs (comma-separated)")
    ap.add_argument("--quick", action="store_true",
                    help="a smaller scale for the inner loop: 200 documents, 50 parsed, "
                         "1 M rows, memory at 1 000 and 3 000 documents")
    ap.add_argument("--facts", metavar="FILE", type=Path,
                    help="the raw layer's signature of the generated corpus: written to "
                         "FILE when it does not exist, else compared with it (identical "
                         "facts before and after a change)")
    ap.add_argument("--dbt-copies", type=int, default=5, metavar="K",
                    help="dbt and its SQL are measured again on the raw layer replicated "
                         "K times, for their per-document cost (default 5)")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    args = ap.parse_args()
    if args.quick:
        args.docs, args.parse_sample, args.rows, args.load_docs = 200, 50, 1_000_000, "1000,3000"
    load_docs = [int(d) for d in args.load_docs.split(",")]
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="yibao-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    import duckdb
    import polars

    python = getattr(sys, "_base_executable", sys.executable)   # the interpreter behind the venv
    print(f"yibao benchmark — python {sys.version.split()[0]} ({python}), duckdb {duckdb.__version__}, "
          f"polars {polars.__version__}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} (CPU-seconds are used where the machine is shared)")
    corpus = tmp / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    n, size = make_corpus(corpus, args.docs)
    files = sorted(corpus.iterdir())
    mean = size / n
    print(f"generated corpus: {n} documents, {size / 1e6:.1f} MB (mean {mean / 1e3:.1f} kB)\n")

    print("parse")
    p = bench_parse(files, args.parse_sample)
    line("read + decode (floor)", f"{p['floor']:.0f} MB/CPU-s")
    line(f"parse, 1 worker ({p['files']} docs)", f"{p['mb_cpu1']:.2f} MB/CPU-s "
         f"({p['files'] / p['wall1']:.1f} docs/s wall)", "target ≥ 25 MB/s per core")
    line("parse, 2 workers, per core", f"{p['mb_cpu2'] / 2:.2f} MB/CPU-s")
    line("2-worker scaling (wall, shared machine)", f"{p['scaling']:.2f}×", "target ≥ 1.8×")
    line("  pool start-up (fork server, once a run)", f"{p['start']:.2f} s wall"
         + ("" if bytecode_cached() else " (no cached bytecode: compiled from source)"))
    line("  counting it: a cold run, as yibao ingest", f"{p['scaling_cold']:.2f}× "
         f"({p['cold']:.2f} s wall against {p['wall2']:.2f} s)", "target ≥ 1.8×")
    line("floor / parse", f"{p['floor'] / p['mb_cpu1']:.0f}×")
    long_documents(line)

    print("\nload and memory (batched run_tasks + DuckDBSink, fresh process each; the load is "
          "the parent's part:\n  receive the workers' Arrow batches, insert, commit — the columnar "
          "conversion is the workers', in the parse figures)")
    # the memory runs replicate the first LOAD_ITEMS parsed documents, whatever the parse sample
    loads = {d: bench_load(p["items"][:LOAD_ITEMS], tmp, d) for d in load_docs}
    for d, r in loads.items():
        line(f"{d} documents: {r['rows']} rows", f"{r['rows'] / r['cpu'] / 1e6:.2f} M rows/CPU-s, "
             f"{r['rows'] / r['wall'] / 1e6:.2f} M rows/s", "target ≥ 1 M rows/s")
        line("  columnar conversion (in the workers)", f"{r['rows'] / r['convert_cpu'] / 1e6:.2f} M rows/CPU-s")
        line(f"peak RSS at {d} documents", f"{r['rss_mib']:.0f} MiB "
             f"(DuckDB buffers {r['duckdb_mib']:.0f} MiB)", "target ≤ 2 GB at 10 000, flat")
    (d0, r0), (d1, r1) = min(loads.items()), max(loads.items())
    if d1 > d0:
        line(f"RSS growth {d0} → {d1} documents",
             f"{(r1['rss_mib'] - r0['rss_mib']) * 1024 / (d1 - d0):.1f} kB per document",
             "target ≈ 0 (flat)")

    print("\nend to end (child processes)")
    wh = tmp / "wh" / "yibao.duckdb"
    shutil.rmtree(wh.parent, ignore_errors=True)
    # run from the work folder, so stored paths ("corpus/…") don't name the folder
    ingest = yibao("ingest", "corpus", "--warehouse", str(wh), cwd=tmp)
    line(f"yibao ingest, {n} docs, 2 workers", f"{ingest['wall']:.1f} s wall, "
         f"{ingest['cpu']:.1f} CPU-s", f"peak RSS {ingest['rss_mib']:.0f} MiB (its largest process)")
    build = yibao("build", "--warehouse", str(wh))
    results = json.loads((wh.parent / "target" / "run_results.json").read_text())
    dbt_elapsed = results.get("elapsed_time", float("nan"))
    direct, models, tests = direct_sql_seconds(wh)
    line("yibao build (dbt build + publish)", f"{build['wall']:.1f} s wall, {build['cpu']:.1f} CPU-s")
    line(f"dbt's own elapsed ({models} models, {tests} tests)", f"{dbt_elapsed:.1f} s")
    line("same SQL run directly", f"{direct:.1f} s wall")
    line("dbt elapsed / direct SQL", f"{dbt_elapsed / direct:.2f}×", "target ≤ 2×")
    line("dbt process wall / direct SQL", f"{build['wall'] / direct:.2f}×")
    big_n = n * args.dbt_copies
    big = tmp / "replicated" / "yibao.duckdb"
    replicate_raw(wh, big, args.dbt_copies)
    big_dbt, big_failed = dbt_elapsed_seconds(big)
    big_direct, _, _ = direct_sql_seconds(big)
    line(f"raw layer replicated ×{args.dbt_copies}: {big_n} documents",
         f"dbt elapsed {big_dbt:.1f} s, direct SQL {big_direct:.1f} s wall"
         + (f" ({big_failed} node(s) failed on the replicas)" if big_failed else ""))
    line(f"dbt elapsed / direct SQL at {big_n} documents", f"{big_dbt / big_direct:.2f}×",
         "target ≤ 2×")
    # publishing rewrites the whole file each build (compaction): it grows with the corpus
    (compact_n, size_n), (compact_big, size_big) = compaction_seconds(wh), compaction_seconds(big)
    line(f"compaction (publish) at {n} / {big_n} documents",
         f"{compact_n:.2f} / {compact_big:.2f} CPU-s (files of {size_n / 1e6:.1f} / "
         f"{size_big / 1e6:.1f} MB)")
    size_before = wh.stat().st_size
    nochange = yibao("run", str(corpus), "--warehouse", str(wh))
    assert "nothing changed" in nochange["stdout"], nochange["stdout"]
    line("no-change yibao run", f"{nochange['wall']:.2f} s wall, {nochange['cpu']:.2f} CPU-s",
         "target ≤ 2 s")
    rebuild = yibao("build", "--warehouse", str(wh))
    line("published size before / after a rebuild", f"{size_before} / {wh.stat().st_size} bytes",
         "target unchanged")
    # the rebuild (same project): the views and seeds are kept (ingest.build_reuse), so
    # it is set against the SQL of the nodes it ran
    results = json.loads((wh.parent / "target" / "run_results.json").read_text())
    ran = {r["unique_id"] for r in results["results"]}
    re_direct, re_models, re_tests = direct_sql_seconds(wh, only=ran)
    re_elapsed = results.get("elapsed_time", float("nan"))
    line(f"a rebuild, views and seeds kept ({re_models} models, {re_tests} tests)",
         f"dbt elapsed {re_elapsed:.1f} s, the same nodes' SQL {re_direct:.1f} s, "
         f"{rebuild['wall']:.1f} s wall for yibao build")
    line("rebuild: dbt elapsed / direct SQL", f"{re_elapsed / re_direct:.2f}×",
         "(the first build's is the target's)")

    print("\nidentical facts")
    one = tmp / "one" / "w.duckdb"
    shutil.rmtree(one.parent, ignore_errors=True)
    yibao("ingest", "corpus", "--workers", "1", "--warehouse", str(one), cwd=tmp)
    signature = raw_signature(wh)
    same = raw_signature(one) == signature
    line("1 worker vs 2 workers, batched (raw layer)", "identical" if same else "DIFFERENT")
    if args.facts:
        facts_vs_file(args.facts, signature, args.docs)

    print(f"\ndashboard queries on the marts replicated to {args.rows:,} fact rows (ms; "
          "benchmarks/bench_queries.py)")
    bench_queries.report(wh, tmp / "facts.duckdb", args.rows, line)

    print("\nextrapolated to 100 000 text documents on 2 cores (CPU-s / 2 × scaling)")
    parse_s = NATIONAL_DOCS * mean / 1e6 / (p["mb_cpu2"] / 2) / 2
    most = max(loads)
    rows_per_doc = loads[most]["rows"] / most
    load_s = NATIONAL_DOCS * rows_per_doc / (loads[most]["rows"] / loads[most]["cpu"])
    # dbt: fixed + per-document cost through its two measured builds (n and K × n
    # documents); the direct SQL's split is printed beside it, for what dbt adds
    dbt_fixed, dbt_per = linear(n, dbt_elapsed, big_n, big_dbt)
    sql_fixed, sql_per = linear(n, direct, big_n, big_direct)
    # dbt runs at least its own SQL: a per-document cost measured below the SQL's is
    # the load on a shared machine, not dbt, so the SQL's is taken instead
    floored = dbt_per < sql_per
    dbt_s = dbt_fixed + max(dbt_per, sql_per) * NATIONAL_DOCS
    line("parse", f"{parse_s:.0f} s")
    line("load", f"{load_s:.0f} s")
    line("dbt build (fixed + per document)", f"{dbt_s:.0f} s")
    line(f"  from dbt elapsed at {n} and {big_n} documents",
         f"{dbt_fixed:.1f} s + {dbt_per * 1e3:.2f} ms/document"
         + (" (below its SQL's: the SQL's is used)" if floored else ""))
    line("  its SQL run directly, same two sizes",
         f"{sql_fixed:.1f} s + {sql_per * 1e3:.2f} ms/document "
         f"({sql_fixed + sql_per * NATIONAL_DOCS:.0f} s at {NATIONAL_DOCS:,})")
    compact_fixed, compact_per = linear(n, compact_n, big_n, compact_big)
    publish_s = compact_fixed + compact_per * NATIONAL_DOCS
    line("publish: compaction (fixed + per document)", f"{publish_s:.0f} s "
         f"({compact_fixed:.1f} s + {compact_per * 1e3:.2f} ms/document, one core)")
    line("end to end", f"{parse_s + load_s + dbt_s + publish_s:.0f} s", "target ≤ 180 s")
    pdf_reading(line)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--load-child":
        load_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main()
