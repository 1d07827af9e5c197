"""The text rendering of a sample PDF (the samples are PDFs; tests that edit a
report's lines edit this rendering, as yibao itself reads it)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@lru_cache(maxsize=None)
def sample_text(prefix: str = "28_") -> str:
    from ingest import readers
    pdf = sorted((CORPUS / "samples").glob(f"{prefix}*"))[0]
    return "\n".join(readers.read(pdf.read_bytes(), pdf.name).text_lines)


def sample_pdf(prefix: str = "28_") -> Path:
    return sorted((CORPUS / "samples").glob(f"{prefix}*"))[0]
