"""Ingest: find report files, parse them in parallel, load them in one go.

* Folders are searched recursively for ``*.txt`` reports (text converted from
  the published PDFs); a file named explicitly is read whatever its suffix.
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
from ingest.discover import NoReports, find_reports, printable
from ingest.extract import extract_document
from ingest.isolation import FileRejected, FileTimedOut, checked_rows, read_report, time_budget, timeout_seconds
from ingest.schema import FACT_TABLES
from ingest.text import DecodedText, UnreadableFile, decode, lines_of

__all__ = ["NoReports", "Summary", "discover", "ingest", "parse_file"]


@dataclass
class Summary:
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    parse_warnings: int = 0
    facts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    not_taken: list[tuple[str, str]] = field(default_factory=list)  # discovery skipped these
    aliases: int = 0     # files whose content another file of the run already had
    pruned: list[str] = field(default_factory=list)  # documents dropped: files gone

    def line(self) -> str:
        facts = ", ".join(f"{k} {v}" for k, v in sorted(self.facts.items()) if v)
        text = (f"files: {self.loaded} loaded, {self.skipped} skipped (unchanged), "
                f"{self.failed} failed")
        if self.aliases:
            text += f", {self.aliases} duplicate(s) of another file"
        if self.parse_warnings:
            text += f", {self.parse_warnings} with parser errors"
        if self.pruned:
            text += f", {len(self.pruned)} removed (files gone)"
        if self.not_taken:
            text += f", {len(self.not_taken)} not taken (see above)"
        return text + (f"; facts: {facts}" if facts else "; no new facts")


def discover(paths: list[Path], follow_links: bool = False,
             skipped: list[tuple[str, str]] | None = None) -> list[Path]:
    """Report files named by ``paths`` (see ``ingest.discover``); what was not
    taken, with the reason, is appended to ``skipped``."""
    found = find_reports(paths, follow_links)
    if skipped is not None:
        skipped.extend(found.skipped)
    if not found.files:
        raise NoReports("no report files under " + ", ".join(printable(str(p)) for p in paths)
                        + "".join(f"\n  {name}: {why}" for name, why in found.skipped[:20]))
    return found.files


def display_path(path: Path) -> str:
    """The path as stored (printable): relative to the working directory when below it."""
    path = Path(os.path.abspath(path))
    try:
        return printable(str(path.relative_to(Path.cwd().resolve())))
    except ValueError:
        return printable(str(path))


def _failed(source_file: str, sha256: str | None, stage: str, reason: str) -> dict:
    return {"source_file": source_file, "sha256": sha256, "document": None, "rows": {},
            "errors": [{"stage": stage, "reason": reason, "source_line": None}]}


def parse_file(job: tuple[str, bytes, str]) -> dict:
    """Worker: one file's bytes (and their sha256) → document row, fact rows and errors.

    Never raises: a file that can't be decoded, runs past its time budget or
    breaks anything on the way is returned as that file's recorded error."""
    source_file, _, sha256 = job
    budget = timeout_seconds()
    try:
        with time_budget(budget):
            return _validated(_parse_file(job))
    except FileTimedOut:  # noqa: B036 — the budget's own signal, turned into a record
        return _failed(source_file, sha256, "timeout",
                       f"parsing took longer than {budget:g} s and was stopped "
                       "(YIBAO_FILE_TIMEOUT sets the budget)")
    except Exception as exc:  # noqa: BLE001 — recorded as this file's error, the run goes on
        return _failed(source_file, sha256, "parse", f"{type(exc).__name__}: {exc}"[:500])


def _validated(item: dict) -> dict:
    """Leave out (and record) every fact row with a cell its column can't hold."""
    for table, rows in list(item["rows"].items()):
        kept, errors = checked_rows(table, rows, FACT_TABLES.get(table, {}))
        item["rows"][table] = kept
        item["errors"].extend(errors)
    return item


def _read_text(data: bytes, name: str) -> DecodedText:
    """The file's text: decoded for a text file, the reader's rendering otherwise."""
    kind = readers.sniff(data, name)
    if kind in (None, "text"):
        return decode(data)
    try:
        document = readers.read(data, name)
    except ImportError as exc:
        raise UnreadableFile(f"a {kind} file, and the {kind} reader is not available "
                             f"({exc.name or exc})") from None
    return DecodedText("\n".join(document.text_lines), document.encoding or kind)


def _parse_file(job: tuple[str, bytes, str]) -> dict:
    source_file, data, sha256 = job
    item = {"source_file": source_file, "sha256": sha256, "document": None,
            "rows": {}, "errors": []}
    try:
        decoded = _read_text(data, source_file)
    except UnreadableFile as exc:
        item["errors"].append({"stage": "decode", "reason": str(exc), "source_line": None})
        return item
    lines = lines_of(decoded.text)
    extraction = extract_document(lines)
    item["document"] = {
        "document_id": sha256[:16],
        "source_file": source_file,
        "file_name": Path(source_file).name,
        "sha256": sha256,
        "encoding": decoded.encoding,
        "line_count": len(lines),
    }
    item["rows"] = dict(extraction.rows)
    item["errors"] = extraction.errors
    return item


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


def _read_all(files: list[Path], known: set[str], summary: Summary):
    """Read every file (each failure that file's own); returns the parse jobs,
    the read failures and ``seen``: sha256 → the paths it was read at."""
    jobs, failures, seen = [], [], {}
    for path in files:
        name = display_path(path)
        try:
            data = read_report(path)
        except FileRejected as exc:
            failures.append(_failed(name, None, "read", str(exc)))
            continue
        sha256 = hashlib.sha256(data).hexdigest()
        if sha256 in seen:
            seen[sha256].append(name)
            summary.aliases += 1
            continue
        seen[sha256] = [name]
        if sha256 in known:
            summary.skipped += 1
            continue
        jobs.append((name, data, sha256))
    return jobs, failures, seen


def ingest(paths: list[Path], warehouse: Path, workers: int | None = None,
           follow_links: bool = False, prune: bool = False) -> Summary:
    summary = Summary()
    files = discover(paths, follow_links, summary.not_taken)
    con = load.connect(warehouse)
    try:
        known = load.loaded_hashes(con)
        jobs, failures, seen = _read_all(files, known, summary)
        parsed = _parse_all(jobs, workers or os.cpu_count() or 1) + failures
        loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
        for item in parsed:
            if item["document"] is not None:
                item["document"]["loaded_at"] = loaded_at
        load.write_batch(con, parsed, loaded_at, seen)
        if prune:
            summary.pruned = load.prune(con)
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
