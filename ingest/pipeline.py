"""Ingest: find report files, parse them in parallel, load them in one go.

* Folders are searched recursively for every format yibao reads
  (``ingest.discover``: links leaving the folders, special files and other
  formats are skipped and listed); a file named explicitly is read whatever
  its suffix.
* A file whose content (sha256) is already in the warehouse is skipped; a
  changed file replaces its earlier facts; a content seen at another path
  moves there, and one seen twice in a run is loaded once (``ingest.lineage``).
* Each file fails alone (``ingest.isolation``): an unreadable or oversized
  file, an undecodable one, a parser running past the time budget, a cell its
  column can't hold — each is that file's recorded error, never the run's.
* Parsing runs in a process pool across the machine's cores, each task a
  **chunk** of files (one round trip per chunk, not per file); a worker reads
  the file itself, so the parent never holds the corpus' bytes, and hands
  back the chunk's facts **in columns** (``ingest.columns.Batch``: Arrow
  tables with every row's lineage), so the parent does no per-row work.
* Facts reach the raw layer in **batches** as workers return them, through a
  ``RawSink`` (``ingest.load.DuckDBSink``: every batch inside the one
  publishing transaction, committed at the end, so an interrupted ingest
  leaves the raw layer as it was). Peak memory is one batch per worker plus
  one being written, whatever the number of documents.
* The engine that maps ``parse_chunk`` over the chunks is pluggable
  (``local_engine``: in-process or a process pool); so is the sink.
"""
from __future__ import annotations

import gc
import hashlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from ingest import columns, lineage, readers
from ingest.discover import NoReports, find_reports, printable
from ingest.extract import extract_document
from ingest.isolation import FileRejected, FileTimedOut, read_report, time_budget, timeout_seconds
from ingest.text import UnreadableFile
from ingest.version import extractor_sha256
from ingest.workers import map_in_order
from ingest.workers import start as workers_start

REPORT_SUFFIXES = frozenset(readers.EXTENSIONS)  # every suffix a reader takes (for URI listings)
CHUNK_FILES = 16     # files per task sent to a worker (at most)
BATCH_DOCUMENTS = 64  # parsed documents per write to the raw layer

# (absolute path, path as stored, sha256 of the bytes the parent read)
Task = tuple[str, str, str]
Engine = Callable[[Callable[[list[Task]], columns.Batch], Iterable[list[Task]], int],
                  Iterator[columns.Batch]]


@dataclass
class Summary:
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    parse_warnings: int = 0
    facts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)   # what a loaded file did not yield
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


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path as stored (printable): relative to the working directory (``cwd``,
    resolved; looked up when not given) when below it."""
    path = Path(os.path.abspath(path))
    try:
        return printable(str(path.relative_to(cwd or Path.cwd().resolve())))
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
        with time_budget(budget), cyclic_gc_paused():
            return _parse_file(job)
    except FileTimedOut:  # noqa: B036 — the budget's own signal, turned into a record
        return _failed(source_file, sha256, "timeout",
                       f"parsing took longer than {budget:g} s and was stopped "
                       "(YIBAO_FILE_TIMEOUT sets the budget)")
    except Exception as exc:  # noqa: BLE001 — recorded as this file's error, the run goes on
        return _failed(source_file, sha256, "parse", f"{type(exc).__name__}: {exc}"[:500])


@contextmanager
def cyclic_gc_paused():
    """The cyclic garbage collector off for one file's parse, back on after.

    A parse makes tens of thousands of container objects (the rendering's
    lines and locations, cells, rows) that live until the file is done and
    then die by reference counting. Left on, the collector ran every 700
    allocations and traversed them each time while they lived, promoting
    them into older generations whose collections then traversed the whole
    process (≈ 5 % of a worker's CPU). Paused, nothing is traversed during
    the parse; whatever cycles the parse left are still found, by the first
    collection after it (they stay in the youngest generation)."""
    if not gc.isenabled():   # someone else's pause: leave it to them
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _read(data: bytes, source_file: str):
    """The file's Document; a format whose reader isn't installed is UnreadableFile."""
    name = Path(source_file).name
    try:
        return readers.read(data, name)
    except ImportError as exc:
        kind = readers.sniff(data, name)
        raise UnreadableFile(f"a {kind} file, and the {kind} reader is not available "
                             f"({exc.name or exc})") from None


def _parse_file(job: tuple[str, bytes, str]) -> dict:
    source_file, data, sha256 = job
    item = {"source_file": source_file, "sha256": sha256, "document": None,
            "rows": {}, "errors": [], "notices": []}
    try:
        doc = _read(data, source_file)
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
        "extractor_sha256": extractor_sha256(),
        "text_fingerprint": lineage.text_fingerprint(doc.text_lines),
    }
    rows = dict(extraction.rows)
    if doc.source_format != "text":   # the rendering, for opening a fact's source_line
        rows["document_lines"] = document_lines(doc)
    item["rows"], invalid = columns.validate(rows)
    item["errors"] = unread_pages(doc, source_file) + extraction.errors + invalid
    item["notices"] = extraction.notices
    return item


def unread_pages(doc, source_file: str) -> list[dict]:
    """Ingest errors for what a reader could not read: a page (a scan without
    OCR …), or the rest of a file cut short (``truncated:`` flags)."""
    out = []
    for flag in doc.flags:
        if flag.startswith("page_not_read:"):
            _, page, why = flag.split(":", 2)
            out.append({"stage": "read", "reason": f"{source_file}: page {page}: {why}",
                        "source_line": None})
        elif flag.startswith("truncated:"):
            out.append({"stage": "read", "source_line": None,
                        "reason": f"{source_file}: {flag.split(':', 1)[1]} (the file looks "
                                  "truncated; what could be read is loaded)"})
    return out


def document_lines(doc) -> list[dict]:
    """``raw.document_lines`` rows: the rendering with each line's page and box, and
    where the page was OCR'd, the line's lowest recognition confidence (the
    page's mean where the line has none of its own)."""
    ocr = dict(item.split(":") for item in doc.metadata.get("ocr_confidence", "").split(",") if item)

    def confidence(line) -> float | None:
        if line.location.ocr_confidence is not None:
            return line.location.ocr_confidence
        return float(ocr[line.location.page]) if line.location.page in ocr else None

    return [{"line_number": line.number, "text": line.text,
             "page": line.location.page, "locator": line.location.locator,
             "ocr_confidence": confidence(line)}
            for line in doc.lines]


def parse_task(task: Task) -> dict:
    """Worker: read one file and parse it (its sha256 is of the bytes read here)."""
    path, source_file, sha256 = task
    try:
        data = read_report(path)
    except FileRejected as exc:
        return _failed(source_file, sha256, "read", str(exc))
    return parse_file((source_file, data, hashlib.sha256(data).hexdigest()))


def parse_chunk(tasks: list[Task]) -> list[dict]:
    """Worker: a chunk of files → their parsed items, in order (the unit an engine maps)."""
    return [parse_task(task) for task in tasks]


def load_chunk(tasks: list[Task], loaded_at: datetime) -> columns.Batch:
    """Worker: a chunk of files → their facts in columns, every row stamped
    ``loaded_at`` (the unit an engine maps, through ``functools.partial``)."""
    return columns.to_batch(parse_chunk(tasks), loaded_at)


def chunked(tasks: list[Task], workers: int, size: int | None = None) -> list[list[Task]]:
    """Chunks of at most ``size`` files, at least ~8 per worker so the pool stays
    busy to the end (the last chunks are what one worker finishes alone)."""
    size = max(1, min(size or CHUNK_FILES, len(tasks) // (workers * 8) or 1))
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def local_engine(fn: Callable[[list[Task]], columns.Batch], chunks: Iterable[list[Task]],
                 workers: int) -> Iterator[columns.Batch]:
    """Map ``fn`` over ``chunks`` in order: in-process for one worker, else a process
    pool (``ingest.workers.map_in_order``: this process parses too while it starts)."""
    return map_in_order(fn, chunks, workers)


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
    for notice in item.get("notices", ()):
        summary.notices.append((item["source_file"], notice))
    for table, count in columns.fact_counts(item).items():
        summary.facts[table] += count


def plan(files: list[Path], known: set[str], summary: Summary) -> list[Task]:
    """The tasks to parse (see ``read_plan``)."""
    return read_plan(files, known, summary)[0]


def read_plan(files: list[Path], known: set[str], summary: Summary,
              on_second_task: Callable[[], None] | None = None):
    """Hash every file (bytes dropped at once), each read failure that file's own.

    Returns the tasks to parse, the read failures (items to record) and
    ``seen``: sha256 → the paths it was read at (first one first); unchanged
    files are counted as skipped, a second path of a content as an alias.
    ``on_second_task`` is called once, when a second file to parse is found
    (there will be a pool to start: it starts while the rest is hashed)."""
    tasks, failures, seen = [], [], {}
    cwd = Path.cwd().resolve()   # (once, not per file)
    for path in files:
        name = display_path(path, cwd)
        try:
            sha256 = hashlib.sha256(read_report(path)).hexdigest()
        except FileRejected as exc:
            failures.append(_failed(name, None, "read", str(exc)))
            continue
        if sha256 in seen:
            seen[sha256].append(name)
            summary.aliases += 1
            continue
        seen[sha256] = [name]
        if sha256 in known:
            summary.skipped += 1
            continue
        tasks.append((str(path), name, sha256))
        if len(tasks) == 2 and on_second_task is not None:
            on_second_task()
    return tasks, failures, seen


def run_tasks(tasks: list[Task], sink, summary: Summary, workers: int,
              engine: Engine | None = None, batch_documents: int | None = None) -> None:
    """Parse ``tasks`` with ``engine`` and write them to ``sink`` in batches of
    about ``batch_documents`` files (``columns.Batch``: a worker's chunks, joined)."""
    batch_documents = batch_documents or BATCH_DOCUMENTS
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    bar = _progress(len(tasks))
    gathered: list[columns.Batch] = []
    files = 0
    fn = partial(load_chunk, loaded_at=loaded_at)
    for chunk in (engine or local_engine)(fn, chunked(tasks, workers), workers):
        for item in chunk:
            _account(summary, item)
        gathered.append(chunk)
        files += len(chunk)
        if bar is not None:
            bar.update(len(chunk))
        if files >= batch_documents:
            sink.write(columns.concat(gathered), loaded_at)
            gathered, files = [], 0
    if gathered:
        sink.write(columns.concat(gathered), loaded_at)
    if bar is not None:
        bar.close()


def ingest(paths: list[Path], warehouse: Path, workers: int | None = None,
           engine: Engine | None = None, follow_links: bool = False,
           prune: bool = False) -> Summary:
    from ingest import load  # DuckDB and the raw layer: the parent's, never a worker's

    summary = Summary()
    files = discover(paths, follow_links, summary.not_taken)
    con = load.connect(warehouse)
    try:
        workers = workers or os.cpu_count() or 1
        pool_ahead = workers_start if engine is None and workers > 1 else None
        tasks, failures, seen = read_plan(files, load.loaded_hashes(con, extractor_sha256()), summary,
                                          pool_ahead)
        sink = load.DuckDBSink(con)
        try:
            lineage.follow_moves(con, seen)
            loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
            for item in failures:
                _account(summary, item)
            if failures:
                sink.write(failures, loaded_at)
            run_tasks(tasks, sink, summary, workers, engine)
            sink.flush()   # the lineage below reads the raw tables
            lineage.record_aliases(con, seen, loaded_at)
            if prune:
                summary.pruned = lineage.prune(con)
        except BaseException:
            sink.abort()
            raise
        sink.commit()
    finally:
        con.close()
    return summary
