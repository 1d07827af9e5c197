"""Legacy binary office files (.doc, .wps, .et) → ``Document``, via LibreOffice.

No maintained Python library reads these with their table structure intact
(antiword and catdoc lose the cells). LibreOffice headless converts them to
.docx / .xlsx, which :mod:`ingest.readers.word` / :mod:`ingest.readers.excel`
then read. LibreOffice is an optional system dependency
(``apt-get install libreoffice-writer-nogui libreoffice-calc-nogui``); without
it such a file is an ingest error that says how to convert it. Treat the
result as lossy: a converted .doc can lose a table's structure.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path, PurePath

from ingest.document import Document
from ingest.readers import UnreadableFile

TIMEOUT = 180   # seconds for one conversion (LibreOffice's cold start is slow)
SPREADSHEETS = {".et", ".xls"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, name: str) -> Document:
    program = soffice()
    ext = PurePath(name).suffix.lower() or ".doc"
    target = "xlsx" if ext in SPREADSHEETS else "docx"
    if program is None:
        raise UnreadableFile(
            f"{name}: a legacy {ext} file needs LibreOffice to be read; install it "
            "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui) or save the "
            f"file as .{target} and ingest that")
    with tempfile.TemporaryDirectory(prefix="yibao-lo-") as tmp:
        source = Path(tmp) / f"source{ext}"
        source.write_bytes(data)
        cmd = [program, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
               "--convert-to", target, "--outdir", tmp, str(source)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise UnreadableFile(f"{name}: LibreOffice did not convert it within {TIMEOUT} s") from None
        converted = Path(tmp) / f"source.{target}"
        if not converted.exists():
            raise UnreadableFile(f"{name}: LibreOffice could not convert it to .{target}")
        out = converted.read_bytes()
    if target == "xlsx":
        from ingest.readers import excel
        doc = excel.read(out, name)
    else:
        from ingest.readers import word
        doc = word.read(out, name)
    doc.source_format = ext.lstrip(".")
    doc.flags = doc.flags + ("converted_by_libreoffice",)
    return doc
