"""Ingest and build throughput on a synthetic corpus made from the samples.

Each sample report is copied N times with one distinguishing line appended
(so every copy has its own sha256 and is parsed), then ingested with one and
with all workers, then built with dbt. Prints files/s, MB/s, wall time and
peak memory (this process and its children). Not a test: figures to compare
between changes on the same machine.

    .venv/bin/python benchmarks/bench_ingest.py [--copies 20]
"""
from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(folder: Path, copies: int) -> tuple[int, int]:
    files = sorted((ROOT / "corpus").rglob("*.txt"))
    total = 0
    for i in range(copies):
        for f in files:
            data = f.read_bytes() + f"\n（基准测试副本 {i}）\n".encode("utf-8")
            (folder / f"{i:03d}_{f.name}").write_bytes(data)
            total += len(data)
    return copies * len(files), total


def peak_rss_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20)
    args = ap.parse_args()
    from ingest.build import build
    from ingest.pipeline import ingest

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        n, size = make_corpus(corpus, args.copies)
        print(f"corpus: {n} files, {size / 2**20:.1f} MiB")
        for workers in (1, os.cpu_count() or 1):
            wh = Path(tmp) / f"w{workers}" / "yibao.duckdb"
            wh.parent.mkdir()
            t = time.perf_counter()
            summary = ingest([corpus], wh, workers=workers)
            dt = time.perf_counter() - t
            print(f"ingest, {workers} worker(s): {dt:.2f} s, {n / dt:.1f} files/s, "
                  f"{size / 2**20 / dt:.2f} MiB/s; {summary.line()}")
        t = time.perf_counter()
        result = build(wh)
        print(f"dbt build: {time.perf_counter() - t:.2f} s ({result.passed} nodes)")
        own, children = peak_rss_mib()
        print(f"peak memory: {own:.0f} MiB (this process), {children:.0f} MiB (largest child)")


if __name__ == "__main__":
    main()
