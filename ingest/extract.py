"""One report's text → all its fact rows (pure: no files, no database).

Each parser of ``ingest.parsers`` sees the whole document and returns rows for
the raw tables it knows. A parser that fails is recorded as an ingest error
for this file, naming the parser, and the other parsers' facts still load:
one broken table never takes a document's good data down with it.
"""
from __future__ import annotations

import importlib
import traceback
from collections import defaultdict
from dataclasses import dataclass, field

from ingest.parsers import dedupe_metrics
from ingest.schema import FACT_TABLES

# Order matters only for readability of the output; parsers are independent.
PARSERS = (
    "ingest.parsers.identity",
    "ingest.parsers.sections",
    "ingest.parsers.tables",
    "ingest.parsers.narrative",
    "ingest.parsers.selfeval",
    "ingest.parsers.metrics",
)


@dataclass
class Extraction:
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    errors: list[dict] = field(default_factory=list)  # stage, reason, source_line


def _run_parser(module_name: str, lines: list[str]) -> dict[str, list[dict]]:
    module = importlib.import_module(module_name)
    return module.extract(lines)


def _check_keys(table: str, row: dict) -> None:
    expected = FACT_TABLES[table].keys()
    if row.keys() != expected:
        missing = sorted(set(expected) - row.keys())
        extra = sorted(row.keys() - set(expected))
        raise ValueError(f"{table} row has missing {missing} / unexpected {extra} keys")


def extract_document(lines: list[str], parsers: tuple[str, ...] = PARSERS,
                     run_checks: bool = True) -> Extraction:
    """Run every parser over one document's lines, then the checks."""
    result = Extraction()
    for name in parsers:
        try:
            produced = _run_parser(name, lines)
            for table, rows in produced.items():
                if table not in FACT_TABLES:
                    raise ValueError(f"unknown raw table {table!r}")
                for row in rows:
                    _check_keys(table, row)
        except Exception as exc:  # noqa: BLE001 — recorded, never swallowed
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            result.errors.append({
                "stage": "parse",
                "reason": f"{name.rsplit('.', 1)[-1]}: {type(exc).__name__}: {exc} "
                          f"(at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})",
                "source_line": None,
            })
            continue
        for table, rows in produced.items():
            result.rows[table].extend(rows)
    # two parsers may read the same figure from the same line: keep one
    result.rows["metrics"] = dedupe_metrics(result.rows.get("metrics", []))
    if run_checks:
        _run_checks(lines, result)
    return result


def _run_checks(lines: list[str], result: Extraction) -> None:
    """The modules of ``ingest.checks.CHECK_MODULES`` over the parsers' facts.

    Minimal runner until the stage runner lands: the document is rebuilt from
    the lines (one paragraph per line, as the text reader does). A check that
    fails is an ingest error naming it; the other checks still run.
    """
    from ingest.checks import CHECK_MODULES
    from ingest.document import Document, Paragraph

    doc = Document([Paragraph(line) for line in lines], "text")
    facts = {table: list(rows) for table, rows in result.rows.items()}
    for name in CHECK_MODULES:
        try:
            issues = importlib.import_module(name).run(doc, facts)
            for row in issues:
                _check_keys("quality_issues", row)
        except Exception as exc:  # noqa: BLE001 — recorded, never swallowed
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            result.errors.append({
                "stage": "check",
                "reason": f"{name.rsplit('.', 1)[-1]}: {type(exc).__name__}: {exc} "
                          f"(at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})",
                "source_line": None,
            })
            continue
        result.rows["quality_issues"].extend(issues)
