"""Lineage that follows content: a document is its bytes, its path is where it was last seen.

A document's identity is its content (``document_id`` = the first 16 hex
digits of its sha256). Each run tells the raw layer which contents it read at
which paths (``seen``: sha256 → paths, first one first), and:

* a known content seen at another path (a rename, two files swapped) keeps
  its facts and takes the new path — in ``documents`` and on every fact row;
* a known document whose path now holds *other* content that was read
  successfully is replaced by it — unless its own content was seen elsewhere
  (a copy), in which case it simply moves there;
* a content seen at several paths in one run is loaded once; the other paths
  are its **aliases** (``raw.document_aliases``);
* a document whose path was not part of the run is left alone; ``prune``
  drops those whose files (path and aliases) are all gone, and ``remove``
  drops the documents named by id or path;
* the same report **re-published with other bytes** (another encoding, CRLF
  for LF, trailing spaces, a BOM, a PDF and the text converted from it) is a
  document of its own with the same ``text_fingerprint``: the sha256 of its
  text as read, full-width forms folded (``，`` → ``,``), all whitespace and
  zero-width characters removed. The
  warehouse links it to the first document with that fingerprint
  (``dim_documents.copy_of_document_id``) and the comparisons count only the
  first. A text too short to tell documents apart has no fingerprint.
"""
from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime
from typing import TYPE_CHECKING

from ingest.schema import FACT_TABLES

if TYPE_CHECKING:   # the parse workers import this module (text_fingerprint), not DuckDB
    import duckdb

RAW = "raw"
_BY_DOCUMENT = (*FACT_TABLES, "documents", "document_aliases")
FINGERPRINT_MIN_CHARS = 200   # below this, two different short texts could coincide
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def text_fingerprint(lines: list[str]) -> str | None:
    """sha256 of the text, widths folded, whitespace and zero-width characters removed
    (None when fewer than ``FINGERPRINT_MIN_CHARS`` characters remain)."""
    from ingest.text import fold_width_text  # (the text reader folds widths; other readers don't)

    # widths folded over the whole text at once (no cache entry per line), whitespace
    # (``str.split``: what ``\\s`` matches) and zero-width characters removed, each
    # in C (a regex sub over every space of the text is ~10× slower)
    text = "".join(fold_width_text("".join(lines)).split())
    for ch in _ZERO_WIDTH:
        if ch in text:
            text = text.replace(ch, "")
    if len(text) < FINGERPRINT_MIN_CHARS:
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _documents(con) -> list[tuple[str, str, str]]:
    return con.execute(f"select document_id, sha256, source_file from {RAW}.documents").fetchall()


def _move(con, document_id: str, sha256: str, old: str, new: str) -> None:
    name = os.path.basename(new)
    con.execute(f"update {RAW}.documents set source_file = ?, file_name = ? where document_id = ?",
                [new, name, document_id])
    for table in FACT_TABLES:
        con.execute(f"update {RAW}.{table} set source_file = ? where document_id = ?",
                    [new, document_id])
    con.execute(f"update {RAW}.ingest_errors set source_file = ? where source_file = ? and sha256 = ?",
                [new, old, sha256])


def drop(con, document_ids: list[str]) -> None:
    """Delete documents with every row that hangs on them (no transaction of its own)."""
    if not document_ids:
        return
    rows = con.execute(f"select source_file, sha256 from {RAW}.documents "
                       "where document_id = any($1::varchar[])", [document_ids]).fetchall()
    for table in _BY_DOCUMENT:
        con.execute(f"delete from {RAW}.{table} where document_id = any($1::varchar[])", [document_ids])
    for source_file, sha256 in rows:
        con.execute(f"delete from {RAW}.ingest_errors where source_file = ? and sha256 = ?",
                    [source_file, sha256])


def follow_moves(con, seen: dict[str, list[str]]) -> None:
    """Before this run's documents are written: move every known content seen at
    another path there, and drop a known document whose path now holds another
    known content (a file moved over it) while its own content was not seen."""
    holder = {path: sha for sha, paths in seen.items() for path in paths}
    known = _documents(con)
    known_shas = {sha for _, sha, _ in known}
    replaced = []
    for document_id, sha256, source_file in known:
        if sha256 in seen:
            if seen[sha256][0] != source_file:
                _move(con, document_id, sha256, source_file, seen[sha256][0])
        elif holder.get(source_file) in known_shas:
            replaced.append(document_id)
    drop(con, replaced)


def record_aliases(con, seen: dict[str, list[str]], loaded_at: datetime) -> None:
    """After this run's documents are written: every other path of a content."""
    touched = [sha[:16] for sha in seen]
    if not touched:
        return
    con.execute(f"delete from {RAW}.document_aliases where document_id = any($1::varchar[])", [touched])
    present = {r[0] for r in con.execute(
        f"select sha256 from {RAW}.documents where document_id = any($1::varchar[])", [touched]).fetchall()}
    aliases = [(sha[:16], sha, path, loaded_at) for sha, paths in seen.items() if sha in present
               for path in paths[1:]]
    if aliases:
        con.executemany(f"insert into {RAW}.document_aliases values (?, ?, ?, ?)", aliases)


def _on_disk(name: str) -> bool:
    return os.path.exists(name) or os.path.exists(unprintable(name))


def unprintable(name: str) -> str:
    """Undo ``ingest.discover.printable`` (``\\xNN`` → the byte, surrogate-escaped)."""
    def byte(m: re.Match) -> str:
        value = int(m.group(1), 16)
        return chr(0xDC00 + value) if value >= 0x80 else chr(value)
    return re.sub(r"\\x([0-9a-f]{2})", byte, name)


def prune(con) -> list[str]:
    """Drop documents none of whose paths exists any more; returns their paths."""
    aliases: dict[str, list[str]] = {}
    for document_id, path in con.execute(
            f"select document_id, source_file from {RAW}.document_aliases order by source_file").fetchall():
        aliases.setdefault(document_id, []).append(path)
    gone, dropped = [], []
    for document_id, sha256, source_file in _documents(con):
        if _on_disk(source_file):
            continue
        alive = [p for p in aliases.get(document_id, []) if _on_disk(p)]
        if alive:
            _move(con, document_id, sha256, source_file, alive[0])
            con.execute(f"delete from {RAW}.document_aliases where document_id = ? and source_file = ?",
                        [document_id, alive[0]])
        else:
            gone.append(document_id)
            dropped.append(source_file)
    drop(con, gone)
    return dropped


class Ambiguous(ValueError):
    """A path named more than one document: the paths it could mean."""

    def __init__(self, what: str, paths: list[str]):
        super().__init__(f"{what} could be any of {len(paths)} documents: " + ", ".join(paths[:10])
                         + (" …" if len(paths) > 10 else "") + " (give more of the path, or the id)")
        self.paths = paths


def find(con, what: str, as_path: str) -> list[str]:
    """Document ids named by ``what``, tried in turn:

    * a document id / sha256, or a prefix of at least 8 hex digits;
    * a path as stored (``as_path``: relative to where it was ingested) or an alias;
    * an existing file's content (its sha256), wherever it was ingested from;
    * the end of one stored path, whole path parts (``2024/a.txt`` for
      ``reports/2024/a.txt``), so a path given from another directory still names
      its document; if it ends several, :class:`Ambiguous` says which."""
    if re.fullmatch(r"[0-9a-fA-F]{8,64}", what):
        ids = _ids(con, f"select document_id from {RAW}.documents where starts_with(sha256, ?)", [what.lower()])
        if ids:
            return ids
    ids = _ids(con, f"select document_id from {RAW}.documents where source_file in (?, ?) "
                    f"union select document_id from {RAW}.document_aliases where source_file in (?, ?)",
               [as_path, what, as_path, what])
    if ids:
        return ids
    if os.path.isfile(what):
        with open(what, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        ids = _ids(con, f"select document_id from {RAW}.documents where sha256 = ?", [digest])
        if ids:
            return ids
    return _by_path_end(con, what)


def _by_path_end(con, what: str) -> list[str]:
    parts = [p for p in what.replace(os.sep, "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return []
    tail = "/".join(parts)
    rows = con.execute(
        f"select document_id, source_file from {RAW}.documents "
        f"where source_file = ? or ends_with(source_file, ?) "
        f"union select document_id, source_file from {RAW}.document_aliases "
        f"where source_file = ? or ends_with(source_file, ?)",
        [tail, "/" + tail, tail, "/" + tail]).fetchall()
    ids = sorted({r[0] for r in rows})
    if len(ids) > 1:
        raise Ambiguous(what, sorted({r[1] for r in rows}))
    return ids


def _ids(con, sql: str, params: list) -> list[str]:
    return [r[0] for r in con.execute(sql, params).fetchall()]


def remove(warehouse_con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    warehouse_con.execute("begin transaction")
    try:
        drop(warehouse_con, ids)
        warehouse_con.execute("commit")
    except Exception:
        warehouse_con.execute("rollback")
        raise
