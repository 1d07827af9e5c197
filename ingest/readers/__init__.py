"""Readers: a published file's bytes → ``ingest.document.Document``.

One module per format, each exposing ``read(data: bytes, name: str) -> Document``
and nothing domain-specific (no subject codes, no table titles). ``sniff`` picks
the format by content (magic bytes) first and by the file's extension second;
``read`` dispatches to the module, imported lazily so that an optional
dependency (OCR, Excel, Word) costs nothing until a file needs it.

A reader that cannot read a file raises ``UnreadableFile`` with a reason a
user can act on (which file, what is wrong, how to fix it where we know). A
PDF or an Office file that lacks its end marker (``%%EOF``, the zip archive's
end record) is said to look truncated: the usual cause is a download cut off.
"""
from __future__ import annotations

import importlib
from pathlib import PurePath

from ingest.document import Document
from ingest.text import UnreadableFile  # one error type for every reader

__all__ = ["READERS", "EXTENSIONS", "UnreadableFile", "read", "sniff", "supported"]


# format → module implementing read(data, name) -> Document
READERS = {
    "text": "ingest.readers.text",
    "pdf": "ingest.readers.pdf",
    "html": "ingest.readers.html",
    "docx": "ingest.readers.word",
    "xlsx": "ingest.readers.excel",
    "xls": "ingest.readers.excel",
    "ods": "ingest.readers.excel",
    "legacy_office": "ingest.readers.legacy",   # .doc/.wps/.et via LibreOffice
}

# extension → format, used when the content alone doesn't decide
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".csv": "text",
    ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".docx": "docx",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods",
    ".doc": "legacy_office", ".wps": "legacy_office", ".et": "legacy_office",
}


def _zip_kind(data: bytes, ext: str) -> str | None:
    head = data[:4096]
    if b"word/" in head:
        return "docx"
    if b"xl/" in head:
        return "xlsx"
    if b"application/vnd.oasis.opendocument.spreadsheet" in head:
        return "ods"
    return EXTENSIONS.get(ext) if EXTENSIONS.get(ext) in {"docx", "xlsx", "ods"} else None


def _ole_kind(data: bytes, ext: str) -> str:
    """An OLE2 compound file: .xls by its extension, or (under another name) by
    a ``Workbook`` stream and no ``WordDocument`` one; else a legacy office file."""
    if ext == ".xls":
        return "xls"
    if ext not in EXTENSIONS and "Workbook".encode("utf-16-le") in data \
            and "WordDocument".encode("utf-16-le") not in data:
        return "xls"
    return "legacy_office"


def sniff(data: bytes, name: str) -> str | None:
    """The format of a file: by magic bytes, then by extension; None if unknown."""
    ext = PurePath(name).suffix.lower()
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, ext)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: .doc/.xls/.wps/.et
        return _ole_kind(data, ext)
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head[:512]:
        return "html"
    return EXTENSIONS.get(ext)


def supported(name: str) -> bool:
    """Whether a file name's extension is one we read (for folder discovery)."""
    return PurePath(name).suffix.lower() in EXTENSIONS


def read(data: bytes, name: str) -> Document:
    """Read one file's bytes into a Document; raise UnreadableFile with the reason."""
    if not data:
        raise UnreadableFile(f"{name}: file is empty")
    kind = sniff(data, name)
    if kind is None:
        raise UnreadableFile(f"{name}: not a format yibao reads "
                             f"({', '.join(sorted(EXTENSIONS))})")
    try:
        module = importlib.import_module(READERS[kind])
    except ImportError as exc:  # an optional reader (or its library) not installed
        raise UnreadableFile(f"{name}: a {kind} file, and the {kind} reader is not available "
                             f"here ({exc.name or exc}); install yibao's extra for it") from None
    try:
        return module.read(data, name)
    except UnreadableFile as exc:
        cut = truncated(data, kind)
        if cut:
            raise UnreadableFile(f"{exc}; the file looks truncated ({cut}): "
                                 "download or copy it again") from None
        raise


# The end marker each container format must close with: a file cut short lacks it.
_END_MARKERS = {
    "pdf": (b"%%EOF", 2048, "no %%EOF end marker"),
    "docx": (b"PK\x05\x06", 65_557, "no end record of its zip archive"),
    "xlsx": (b"PK\x05\x06", 65_557, "no end record of its zip archive"),
    "ods": (b"PK\x05\x06", 65_557, "no end record of its zip archive"),
}


def truncated(data: bytes, kind: str) -> str | None:
    """Why a file of ``kind`` looks cut short (its end marker is missing), or None."""
    marker, window, why = _END_MARKERS.get(kind, (None, 0, ""))
    if marker is None or marker in data[-window:]:
        return None
    return f"{why}, {len(data):,} bytes"
