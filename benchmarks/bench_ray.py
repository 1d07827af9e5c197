"""Cluster mode against the local pool on the same generated corpus.

Builds the synthetic corpus of ``bench_ingest.py`` (each sample copied N times
with one distinguishing line), then times on this machine:

* the default ingest: the local process pool into the DuckDB file;
* the local pool into a Parquet raw folder (``--raw-dir``);
* Ray tasks on a private local Ray cluster of ``--cpus`` CPUs into a raw
  folder (cluster start-up timed apart), a re-run that skips everything, and
  loading the raw folder into DuckDB;
* the reading cost of PDFs: pdfplumber's ``extract_tables`` in pages per
  CPU-second on the sample PDFs beside the repository (if any);

and closes with what 100 000 documents of 25 pages cost on 64 cores. Not a
test: figures to compare between changes on the same machine.

    .venv/bin/python benchmarks/bench_ray.py [--copies 20] [--cpus 2] [--pdfs DIR]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # loopback only
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

from bench_ingest import make_corpus  # noqa: E402  (the shared corpus generator)

DOCS, PAGES, CORES = 100_000, 25, 64


def timed(label: str, fn, files: int, cpus: int):
    t = time.perf_counter()
    result = fn()
    dt = time.perf_counter() - t
    print(f"{label:<40} {dt:7.2f} s  {files / dt:7.1f} files/s  "
          f"{files / dt / cpus:6.1f} files/s per CPU")
    return result, dt


def pdf_pages_per_cpu_second(folder: Path | None, limit: int = 40) -> tuple[float, int] | None:
    """pdfplumber ruled-table extraction on sample PDFs (CPU time of this process)."""
    try:
        import pdfplumber
    except ImportError:
        return None
    folders = [folder] if folder else [ROOT / "corpus", ROOT.parent / "shared" / "samples"]
    pdfs = next((found for f in folders if (found := sorted(f.rglob("*.pdf")))), [])
    if not pdfs:
        return None
    pages, cpu = 0, time.process_time()
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            for page in doc.pages:
                page.extract_tables()
                pages += 1
                if pages >= limit:
                    break
        if pages >= limit:
            break
    return pages / (time.process_time() - cpu), pages


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--pdfs", type=Path, default=None,
                    help="folder of PDFs for the reading-cost figure (default: the corpus', "
                         "else ../shared/samples)")
    args = ap.parse_args()
    import ray

    from ingest import rawdir
    from ingest.engines import ingest_to_raw
    from ingest.pipeline import ingest

    cpus = args.cpus
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        corpus.mkdir()
        n, size = make_corpus(corpus, args.copies)
        print(f"corpus: {n} files, {size / 2**20:.1f} MiB; {os.cpu_count()} CPUs on this machine")
        _, local_dt = timed(f"local pool → DuckDB ({cpus} workers)",
                            lambda: ingest([corpus], tmp / "w" / "yibao.duckdb", workers=cpus),
                            n, cpus)
        timed(f"local pool → raw folder ({cpus} workers)",
              lambda: ingest_to_raw([str(corpus)], str(tmp / "raw-local"), workers=cpus), n, cpus)

        t = time.perf_counter()
        ray.init(address="local", num_cpus=cpus, include_dashboard=False, log_to_driver=False,
                 logging_level="warning")
        print(f"{'ray: local cluster start-up':<40} {time.perf_counter() - t:7.2f} s")
        try:
            summary, ray_dt = timed(f"ray, local {cpus}-CPU cluster → raw folder",
                                    lambda: ingest_to_raw([str(corpus)], str(tmp / "raw"),
                                                          engine="ray"), n, cpus)
            assert summary.loaded == n, summary.line()
            again, _ = timed("ray, re-run (everything skipped)",
                             lambda: ingest_to_raw([str(corpus)], str(tmp / "raw"),
                                                   engine="ray"), n, cpus)
            assert again.skipped == n, again.line()
        finally:
            ray.shutdown()
        t = time.perf_counter()
        counts = rawdir.load_warehouse(str(tmp / "raw"), tmp / "from-raw.duckdb")
        load_dt = time.perf_counter() - t
        rows = sum(counts.values())
        print(f"{'load raw folder → DuckDB':<40} {load_dt:7.2f} s  "
              f"({counts['documents']} documents, {rows} rows, {rows / load_dt:,.0f} rows/s)")

    per_cpu_text = n / ray_dt / cpus
    print(f"\nray / local pool throughput: {local_dt / ray_dt:.2f}")
    print(f"extrapolation, {DOCS:,} documents on {CORES} cores (ideal scaling):")
    print(f"  text reports at the measured {per_cpu_text:.1f} files/s per CPU: "
          f"{hours(DOCS / (per_cpu_text * CORES))}")
    print(f"  loading the raw folder, at the measured rate, per 10 M fact rows: "
          f"{hours(10_000_000 / (rows / load_dt))} on one machine")
    pdf = pdf_pages_per_cpu_second(args.pdfs)
    if pdf:
        rate, pages = pdf
        total = DOCS * PAGES
        print(f"  PDFs of {PAGES} pages, tables read at the measured {rate:.1f} pages per "
              f"CPU-second ({pages} sample pages): {total / rate / 3600:.0f} CPU-hours, "
              f"{hours(total / (rate * CORES))} on {CORES} cores, "
              f"{hours(total / (rate * cpus))} on this machine's {cpus}")


if __name__ == "__main__":
    main()
