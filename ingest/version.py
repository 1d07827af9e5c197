"""Which extractor read a document: one digest of the ingest code and its data.

A file whose content is already in the warehouse is skipped only if the same
extractor read it (``raw.documents.extractor_sha256``): after an upgrade of
yibao, or any edit of a reader, parser, check or vocabulary, the next run
reads every report again and replaces its facts, so a warehouse never mixes
facts of two extractor versions. The digest covers every file of the ``ingest``
package (code and vocabulary files), which errs on the side of reading again.
"""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def tree_files(root: Path) -> list[Path]:
    """``root`` itself if it is a file, else every file under it (no bytecode), sorted."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def files_digest(files: list[Path], base: Path, digest=None):
    """sha256 over each file's path (relative to ``base``) and content, in order."""
    digest = digest or hashlib.sha256()
    for f in files:
        digest.update(str(f.relative_to(base)).encode() + b"\0")
        digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest


@cache
def extractor_sha256() -> str:
    return files_digest(tree_files(PACKAGE), PACKAGE).hexdigest()
