"""Build a Document and the parsers' facts from text written for a test."""
from __future__ import annotations

from ingest.document import Document, Paragraph
from ingest.extract import extract_document


def document(text: str) -> tuple[Document, dict]:
    """The text as a .txt report (one paragraph per line) and the parsers' facts."""
    lines = text.strip("\n").split("\n")
    facts = dict(extract_document(lines, run_checks=False).rows)
    return Document([Paragraph(line) for line in lines], "text"), facts


def run(module, text: str) -> list[dict]:
    doc, facts = document(text)
    return module.run(doc, facts)


def ids(issues: list[dict]) -> list[str]:
    return sorted(i["check_id"] for i in issues)
