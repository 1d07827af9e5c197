"""The per-batch step every engine runs: read → parse → write Parquet parts.

``ingest_batch`` is what a process of the local pool or a Ray worker runs on a
batch of files. Each file goes through ``ingest.pipeline.parse_file`` — the very
function the default ingest into DuckDB runs — so the facts are the same
whichever engine, how many workers and in what order. Only a small summary
goes back to the driver; the facts stay in the parts the worker wrote.

For the fault-injection test, ``fault`` names a marker file: the first worker
to create it dies (``os._exit``) after writing its parts and before its
manifest, i.e. mid-task, so the engine's retry can be observed.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from datetime import datetime

from ingest import rawdir
from ingest.pipeline import parse_file


def read_error(source_file: str, reason: str) -> dict:
    """A parsed item for a file that could not be read at all."""
    return {"source_file": source_file, "sha256": None, "document": None, "rows": {},
            "errors": [{"stage": "read", "reason": reason, "source_line": None}]}


def _die_once(marker: str | None) -> None:
    if not marker:
        return
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    os._exit(1)


def summarize(parsed: list[dict], skipped: int) -> dict:
    """What the driver needs of a batch: counts and the error messages, not the facts."""
    out = {"loaded": 0, "skipped": skipped, "failed": 0, "parse_warnings": 0,
           "facts": Counter(), "failures": []}
    for item in parsed:
        if item["document"] is None:
            out["failed"] += 1
            out["failures"].append((item["source_file"], item["errors"][0]["reason"]))
            continue
        out["loaded"] += 1
        out["parse_warnings"] += bool(item["errors"])
        out["failures"].extend((item["source_file"], err["reason"]) for err in item["errors"])
        for table, rows in item["rows"].items():
            out["facts"][table] += len(rows)
    return out


def ingest_batch(files: list[tuple[str, str]], raw: str, known: frozenset[str],
                 loaded_at: datetime, fault: str | None = None) -> dict:
    """Read, parse and write one batch; ``files`` are (location to read, source_file)."""
    parsed, skipped = [], 0
    for location, source_file in files:
        try:
            data = rawdir.read_bytes(location)
        except OSError as exc:
            parsed.append(read_error(source_file, f"{source_file}: cannot read: {exc}"))
            continue
        sha256 = hashlib.sha256(data).hexdigest()
        if sha256 in known:
            skipped += 1
            continue
        item = parse_file((source_file, data, sha256))
        del data
        if item["document"] is not None:
            item["document"]["loaded_at"] = loaded_at
        parsed.append(item)
    if parsed:
        batch, parts = rawdir.write_parts(raw, parsed, loaded_at)
        _die_once(fault)
        rawdir.commit(raw, batch, parsed, parts, loaded_at)
    return summarize(parsed, skipped)
