"""The text rendering of report files as yibao reads them (the samples are
PDFs; tests that edit a report's lines edit this rendering, as yibao itself
reads it).

Reading a sample PDF costs 1.5-3 CPU-s, and several modules read the same
ones (test_identity, test_sections, test_fuzz at import, test_isolation), in
every xdist worker: each file's rendering is made once per test run and kept,
by the file's sha256, in the run's folder named by ``YIBAO_TEST_RENDERINGS``
(set by tests/conftest.py for the controller and its workers; without it a
rendering is kept in this process only).
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
RENDERINGS_ENV = "YIBAO_TEST_RENDERINGS"


@lru_cache(maxsize=None)
def rendering(path: Path) -> tuple[str, ...]:
    """``readers.read(...).text_lines`` of the file at ``path``, read once per run."""
    from ingest import readers

    data = path.read_bytes()
    folder = os.environ.get(RENDERINGS_ENV)
    kept = Path(folder) / f"{hashlib.sha256(data).hexdigest()}.json" if folder else None
    if kept is not None and kept.exists():
        return tuple(json.loads(kept.read_text(encoding="utf-8")))
    lines = tuple(readers.read(data, path.name).text_lines)
    if kept is not None:   # written whole, then renamed: a worker never reads half a file
        part = kept.with_name(f"{kept.name}.{os.getpid()}.part")
        part.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
        os.replace(part, kept)
    return lines


def sample_text(prefix: str = "28_") -> str:
    return "\n".join(rendering(sample_pdf(prefix)))


def sample_pdf(prefix: str = "28_") -> Path:
    return sorted((CORPUS / "samples").glob(f"{prefix}*"))[0]
