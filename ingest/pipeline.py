"""Ingest: find report files, parse them in parallel, load them in one go.

* Folders are searched recursively for every format ``ingest.readers``
  reads (``readers.supported``: text, PDF, HTML, Word, Excel, legacy office);
  a file named explicitly is read whatever its suffix.
* A file whose content (sha256) is already in the warehouse is skipped; a
  changed file replaces its earlier facts (matched by its path).
* Parsing runs in a process pool across the machine's cores, each task a
  **chunk** of files (one round trip per chunk, not per file); a worker reads
  the file itself, so the parent never holds the corpus' bytes.
* Facts reach the raw layer in **batches** as workers return them, through a
  ``RawSink`` (``ingest.load.DuckDBSink``: every batch inside the one
  publishing transaction, committed at the end, so an interrupted ingest
  leaves the raw layer as it was). Peak memory is one batch per worker plus
  one being written, whatever the number of documents.
* The engine that maps ``parse_chunk`` over the chunks is pluggable
  (``local_engine``: in-process or a process pool); so is the sink.
"""
from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ingest import load, readers
from ingest.extract import extract_document
from ingest.text import UnreadableFile

CHUNK_FILES = 16     # files per task sent to a worker (at most)
BATCH_DOCUMENTS = 64  # parsed documents per write to the raw layer

# (absolute path, path as stored, sha256 of the bytes the parent read)
Task = tuple[str, str, str]
Engine = Callable[[Callable[[list[Task]], list[dict]], Iterable[list[Task]], int],
                  Iterator[list[dict]]]


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
        doc = readers.read(data, Path(source_file).name)
        doc.metadata.setdefault("file_name", Path(source_file).name)   # a clue to the unit (identity)
    except UnreadableFile as exc:
        item["errors"].append({"stage": "decode", "reason": str(exc), "source_line": None})
        return item
    extraction = extract_document(doc)
    item["document"] = {
        "document_id": sha256[:16],
        "source_file": source_file,
        "file_name": Path(source_file).name,
        "sha256": sha256,
        "encoding": doc.encoding,
        "line_count": len(doc.lines),
    }
    rows = dict(extraction.rows)
    if doc.source_format != "text":   # the rendering, for opening a fact's source_line
        rows["document_lines"] = document_lines(doc)
    item["rows"], invalid = load.validate(rows)
    item["errors"] = unread_pages(doc, source_file) + extraction.errors + invalid
    return item


def unread_pages(doc, source_file: str) -> list[dict]:
    """Ingest errors for the pages a reader could not read (a scan without OCR …)."""
    out = []
    for flag in doc.flags:
        if flag.startswith("page_not_read:"):
            _, page, why = flag.split(":", 2)
            out.append({"stage": "read", "reason": f"{source_file}: page {page}: {why}",
                        "source_line": None})
    return out


def document_lines(doc) -> list[dict]:
    """``raw.document_lines`` rows: the rendering with each line's page and box."""
    ocr = dict(item.split(":") for item in doc.metadata.get("ocr_confidence", "").split(",") if item)
    return [{"line_number": line.number, "text": line.text,
             "page": line.location.page, "locator": line.location.locator,
             "ocr_confidence": float(ocr[line.location.page]) if line.location.page in ocr else None}
            for line in doc.lines]


def parse_task(task: Task) -> dict:
    """Worker: read one file and parse it (its sha256 is of the bytes read here)."""
    path, source_file, _ = task
    data = Path(path).read_bytes()
    return parse_file((source_file, data, hashlib.sha256(data).hexdigest()))


def parse_chunk(tasks: list[Task]) -> list[dict]:
    """Worker: a chunk of files → their parsed items, in order (the unit an engine maps)."""
    return [parse_task(task) for task in tasks]


def chunked(tasks: list[Task], workers: int, size: int | None = None) -> list[list[Task]]:
    """Chunks of at most ``size`` files, at least ~4 per worker so the pool stays busy."""
    size = max(1, min(size or CHUNK_FILES, len(tasks) // (workers * 4) or 1))
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def local_engine(fn: Callable[[list[Task]], list[dict]], chunks: Iterable[list[Task]],
                 workers: int) -> Iterator[list[dict]]:
    """Map ``fn`` over ``chunks`` in order: in-process for one worker, else a process
    pool with at most two chunks per worker in flight (results never pile up)."""
    chunks = list(chunks)
    if workers <= 1 or len(chunks) <= 1:
        yield from map(fn, chunks)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        window, pending = 2 * workers, []
        for chunk in chunks:
            pending.append(pool.submit(fn, chunk))
            if len(pending) >= window:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _progress(total: int):
    if sys.stderr.isatty() and total > 1:
        from tqdm import tqdm
        return tqdm(total=total, desc="parsing", unit="file", file=sys.stderr)
    return None


def _account(summary: Summary, item: dict) -> None:
    if item["document"] is None:
        summary.failed += 1
        summary.failures.append((item["source_file"], item["errors"][0]["reason"]))
        return
    summary.loaded += 1
    summary.parse_warnings += bool(item["errors"])
    for err in item["errors"]:
        summary.failures.append((item["source_file"], err["reason"]))
    for table, rows in item["rows"].items():
        summary.facts[table] += len(rows)


def plan(files: list[Path], known: set[str], summary: Summary) -> list[Task]:
    """Hash every file (bytes dropped at once); unchanged ones are counted as skipped."""
    tasks = []
    for path in files:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        if sha256 in known:
            summary.skipped += 1
            continue
        tasks.append((str(path), display_path(path), sha256))
    return tasks


def run_tasks(tasks: list[Task], sink, summary: Summary, workers: int,
              engine: Engine | None = None, batch_documents: int | None = None) -> None:
    """Parse ``tasks`` with ``engine`` and write them to ``sink`` in batches."""
    batch_documents = batch_documents or BATCH_DOCUMENTS
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    bar = _progress(len(tasks))
    batch: list[dict] = []
    for items in (engine or local_engine)(parse_chunk, chunked(tasks, workers), workers):
        for item in items:
            if item["document"] is not None:
                item["document"]["loaded_at"] = loaded_at
            _account(summary, item)
        batch.extend(items)
        if bar is not None:
            bar.update(len(items))
        if len(batch) >= batch_documents:
            sink.write(batch, loaded_at)
            batch = []
    if batch:
        sink.write(batch, loaded_at)
    if bar is not None:
        bar.close()


def ingest(paths: list[Path], warehouse: Path, workers: int | None = None,
           engine: Engine | None = None) -> Summary:
    files = discover(paths)
    summary = Summary()
    con = load.connect(warehouse)
    try:
        tasks = plan(files, load.loaded_hashes(con), summary)
        sink = load.DuckDBSink(con)
        try:
            run_tasks(tasks, sink, summary, workers or os.cpu_count() or 1, engine)
        except BaseException:
            sink.abort()
            raise
        sink.commit()
    finally:
        con.close()
    return summary
