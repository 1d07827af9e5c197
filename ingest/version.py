"""Which extractor read a document: one digest of the ingest code and its data.

A file whose content is already in the warehouse is skipped only if the same
extractor read it (``raw.documents.extractor_sha256``): after an upgrade of
yibao, or any edit of a reader, parser, check or vocabulary, the next run
reads every report again and replaces its facts, so a warehouse never mixes
facts of two extractor versions. The digest covers the whole ``ingest``
package (code and vocabulary files), which errs on the side of reading again.
"""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@cache
def extractor_sha256() -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in PACKAGE.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".py", ".csv"))
    for f in files:
        digest.update(f.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()
