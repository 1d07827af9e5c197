"""Engines that run the per-file step into a Parquet raw folder (``ingest.rawdir``).

``ingest_to_raw`` lists the sources, drops nothing yet (workers hash each file
and skip those already in the raw folder's manifest, so the driver never reads
or holds the corpus), cuts the list into batches and hands them to an engine:

* ``local`` — a process pool on this machine (``--workers``);
* ``ray``   — Ray tasks on a cluster (``ingest.engines.ray_engine``), for a
  corpus too large for one machine.

Both run ``ingest.engines.batch.ingest_batch`` on every batch. Without
``--raw-dir`` the ingest goes straight into the DuckDB file
(``ingest.pipeline.ingest``), which stays the default.
"""
from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.fs as pafs

from ingest import rawdir
from ingest.engines.batch import ingest_batch
from ingest.pipeline import NoReports, Summary, discover, display_path
from ingest.readers import supported
from ingest.version import extractor_sha256
from ingest.workers import process_pool

ENGINES = ("local", "ray")
MAX_BATCH = 64


def _uri_sources(uri: str) -> list[tuple[str, str]]:
    """(location, source_file) of the report files under a URI (query kept for reading only)."""
    base, _, query = uri.partition("?")
    scheme = base.split("://", 1)[0]
    fs, path = rawdir.filesystem(uri)
    info = fs.get_file_info(path)
    if info.type == pafs.FileType.NotFound:
        raise NoReports(f"{base}: no such file or folder")
    infos = [info] if info.is_file else fs.get_file_info(pafs.FileSelector(path, recursive=True))
    found = []
    for item in sorted(infos, key=lambda i: i.path):
        if item.is_file and (info.is_file or supported(Path(item.path).name)):
            name = f"{scheme}://{item.path}"
            found.append((name + (f"?{query}" if query else ""), name))
    return found


def sources(paths: Iterable[str]) -> list[tuple[str, str]]:
    """(location to read, source_file as stored) for local paths and URIs, deduplicated."""
    local = [Path(p) for p in paths if not rawdir.is_uri(p)]
    found = [(str(p), display_path(p)) for p in discover(local)] if local else []
    for uri in (p for p in paths if rawdir.is_uri(p)):
        found.extend(_uri_sources(uri))
    if not found:
        raise NoReports("no report files under " + ", ".join(paths))
    return list(dict.fromkeys(found))


def batch_size(files: int, slots: int) -> int:
    """About four batches per worker slot, at most MAX_BATCH files each."""
    return max(1, min(MAX_BATCH, math.ceil(files / (4 * max(1, slots)))))


def batches(files: list, size: int) -> list[list]:
    return [files[i:i + size] for i in range(0, len(files), size)]


def _local(jobs: list[list], raw: str, known: frozenset, loaded_at: datetime,
           workers: int) -> Iterator[tuple[list, dict | BaseException]]:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job, ingest_batch(job, raw, known, loaded_at)
        return
    with process_pool(workers) as pool:
        futures = [(job, pool.submit(ingest_batch, job, raw, known, loaded_at)) for job in jobs]
        for job, future in futures:
            yield job, future.result()


def _progress(total: int, engine: str):
    from tqdm import tqdm
    return tqdm(total=total, desc=f"parsing ({engine})", unit="file", file=sys.stderr,
                disable=not sys.stderr.isatty())


def _add(summary: Summary, part: dict) -> None:
    summary.loaded += part["loaded"]
    summary.skipped += part["skipped"]
    summary.failed += part["failed"]
    summary.parse_warnings += part["parse_warnings"]
    summary.facts.update(part["facts"])
    summary.failures.extend(part["failures"])


def ingest_to_raw(paths: list[str], raw: str, engine: str = "local", workers: int | None = None,
                  address: str | None = None, size: int | None = None) -> Summary:
    """Parse the files under ``paths`` with ``engine`` into the raw folder ``raw``."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    files = sources(paths)
    known = frozenset(rawdir.known_hashes(raw, extractor_sha256()))
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    summary = Summary()
    with _progress(len(files), engine) as bar:
        if engine == "ray":
            from ingest.engines import ray_engine
            results = ray_engine.run(files, raw, known, loaded_at, address=address,
                                     workers=workers, size=size)
        else:
            workers = workers or os.cpu_count() or 1
            results = _local(batches(files, size or batch_size(len(files), workers)),
                             raw, known, loaded_at, workers)
        for job, part in results:
            _add(summary, part)
            bar.update(len(job))
    return summary
