"""Ingest: find report files, parse them in parallel, load them in one go.

* Folders are searched recursively for every format ``ingest.readers``
  reads (``readers.supported``: text, PDF, HTML, Word, Excel, legacy office);
  a file named explicitly is read whatever its suffix.
* A file whose content (sha256) is already in the warehouse is skipped; a
  changed file replaces its earlier facts (matched by its path).
* Parsing runs in a process pool across the machine's cores; the load is one
  transaction at the end, so an interrupted ingest leaves the raw layer as it
  was.
"""
from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ingest import load, readers
from ingest.extract import extract_document
from ingest.text import UnreadableFile, decode, lines_of


class NoReports(Exception):
    """The paths named no readable report file."""


@dataclass
class Summary:
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    parse_warnings: int = 0
    facts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        facts = ", ".join(f"{k} {v}" for k, v in sorted(self.facts.items()) if v)
        text = (f"files: {self.loaded} loaded, {self.skipped} skipped (unchanged), "
                f"{self.failed} failed")
        if self.parse_warnings:
            text += f", {self.parse_warnings} with parser errors"
        return text + (f"; facts: {facts}" if facts else "; no new facts")


def discover(paths: list[Path]) -> list[Path]:
    """Report files named by ``paths`` (files, or folders searched recursively)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and readers.supported(p.name)))
        elif path.is_file():
            found.append(path)
        else:
            raise NoReports(f"{path}: no such file or folder")
    if not found:
        raise NoReports("no report files (" + ", ".join(sorted(readers.EXTENSIONS))
                        + ") under " + ", ".join(map(str, paths)))
    return list(dict.fromkeys(p.resolve() for p in found))


def display_path(path: Path) -> str:
    """The path as stored: relative to the working directory when below it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_file(job: tuple[str, bytes, str]) -> dict:
    """Worker: one file's bytes (and their sha256) → document row, fact rows and errors."""
    source_file, data, sha256 = job
    item = {"source_file": source_file, "sha256": sha256, "document": None,
            "rows": {}, "errors": []}
    try:
        lines, encoding, notes = _read(data, source_file)
    except UnreadableFile as exc:
        item["errors"].append({"stage": "decode", "reason": str(exc), "source_line": None})
        return item
    extraction = extract_document(lines)
    item["document"] = {
        "document_id": sha256[:16],
        "source_file": source_file,
        "file_name": Path(source_file).name,
        "sha256": sha256,
        "encoding": encoding,
        "line_count": len(lines),
    }
    item["rows"] = dict(extraction.rows)
    item["errors"] = notes + extraction.errors
    return item


def _read(data: bytes, source_file: str) -> tuple[list[str], str | None, list[dict]]:
    """A file's rendered lines, its text encoding, and the pages it could not read."""
    if readers.sniff(data, source_file) in (None, "text"):
        decoded = decode(data)
        return lines_of(decoded.text), decoded.encoding, []
    doc = readers.read(data, source_file)
    notes = [{"stage": "read", "reason": f"{source_file}: " + flag.split(":", 2)[2]
              + f" (page {flag.split(':', 2)[1]})", "source_line": None}
             for flag in doc.flags if flag.startswith("page_not_read:")]
    return doc.text_lines, doc.encoding, notes


def _progress(iterable, total: int):
    if sys.stderr.isatty() and total > 1:
        from tqdm import tqdm
        return tqdm(iterable, total=total, desc="parsing", unit="file", file=sys.stderr)
    return iterable


def _parse_all(jobs: list[tuple[str, bytes, str]], workers: int) -> list[dict]:
    if workers <= 1 or len(jobs) <= 1:
        return list(_progress(map(parse_file, jobs), len(jobs)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(_progress(pool.map(parse_file, jobs, chunksize=1), len(jobs)))


def ingest(paths: list[Path], warehouse: Path, workers: int | None = None) -> Summary:
    files = discover(paths)
    summary = Summary()
    con = load.connect(warehouse)
    try:
        known = load.loaded_hashes(con)
        jobs = []
        for path in files:
            data = path.read_bytes()
            sha256 = hashlib.sha256(data).hexdigest()
            if sha256 in known:
                summary.skipped += 1
                continue
            jobs.append((display_path(path), data, sha256))
        parsed = _parse_all(jobs, workers or os.cpu_count() or 1)
        loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
        for item in parsed:
            if item["document"] is not None:
                item["document"]["loaded_at"] = loaded_at
        load.write_batch(con, parsed, loaded_at)
    finally:
        con.close()
    for item in parsed:
        if item["document"] is None:
            summary.failed += 1
            summary.failures.append((item["source_file"], item["errors"][0]["reason"]))
            continue
        summary.loaded += 1
        summary.parse_warnings += bool(item["errors"])
        for err in item["errors"]:
            summary.failures.append((item["source_file"], err["reason"]))
        for table, rows in item["rows"].items():
            summary.facts[table] += len(rows)
    return summary
