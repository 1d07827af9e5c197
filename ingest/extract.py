"""One report's Document → all its fact rows (pure: no files, no database).

Parsers are **stages** run in the declared order of ``STAGES``. A stage that
needs another's typed result declares it (``needs``: keyword → stage) and
receives it as a keyword argument, so no parser re-runs another: the narrative
gets the tables' subjects, identity the sections, the metrics the
self-evaluation tables. Each stage runs once per document (``Extraction.runs``
counts). A stage that raises is recorded as an ingest error naming the stage;
only the stages that depend on it are skipped (and recorded as skipped), the
others' facts still load.

After every stage, the checks of ``ingest.checks.CHECK_MODULES`` run, each
``run(doc, facts)`` with ``facts`` = the rows per raw table plus
``facts.stages`` (the stages' typed results). A check that raises is recorded
the same way. Checks may add flags to a stage's typed facts (indicator
flags), so a stage's rows are rebuilt afterwards where it says how.
"""
from __future__ import annotations

import importlib
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from operator import eq
from typing import Any

from ingest import missing
from ingest.checks import CHECK_MODULES, prose
from ingest.document import Document, Paragraph
from ingest.parsers import dedupe_metrics
from ingest.schema import FACT_TABLES, LOCATED_TABLES


@dataclass(frozen=True)
class Stage:
    name: str
    module: str                                   # exposes extract(lines, **needs)
    needs: tuple[tuple[str, str], ...] = ()       # (keyword, stage name)
    metadata: bool = False                        # receives Document.metadata (page metadata, file name)


STAGES: tuple[Stage, ...] = (
    Stage("sections", "ingest.parsers.sections"),
    Stage("identity", "ingest.parsers.identity", needs=(("sections", "sections"),), metadata=True),
    Stage("tables", "ingest.parsers.tables"),
    Stage("narrative", "ingest.parsers.narrative", needs=(("tables", "tables"),)),
    Stage("selfeval", "ingest.parsers.selfeval"),
    Stage("metrics", "ingest.parsers.metrics", needs=(("selfeval", "selfeval"),)),
)
# kept for callers naming parser modules (each an independent stage)
PARSERS = tuple(stage.module for stage in STAGES)


class Facts(dict):
    """Rows per raw table, and ``stages``: each stage's typed result."""

    def __init__(self, rows: dict[str, list[dict]], stages: dict[str, Any]):
        super().__init__(rows)
        self.stages = stages


@dataclass
class Extraction:
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    errors: list[dict] = field(default_factory=list)  # stage, reason, source_line
    runs: Counter = field(default_factory=Counter)    # stage / check name → times run
    notices: list[str] = field(default_factory=list)  # what a readable document did not yield


def _check_keys(table: str, row: dict) -> None:
    expected = FACT_TABLES[table].keys()
    if row.keys() != expected:
        missing = sorted(set(expected) - row.keys())
        extra = sorted(row.keys() - set(expected))
        raise ValueError(f"{table} row has missing {missing} / unexpected {extra} keys")


def _validated(produced: dict) -> dict[str, list[dict]]:
    for table, rows in produced.items():
        if table not in FACT_TABLES:
            raise ValueError(f"unknown raw table {table!r}")
        # rows whose keys are the declared ones in the declared order (every
        # parser's): one C-level tuple compare each; the others key by key
        if not all(map(eq, map(tuple, rows), repeat(_declared_order(table)))):
            for row in rows:
                _check_keys(table, row)
    return dict(produced)


@cache
def _declared_order(table: str) -> tuple[str, ...]:
    return tuple(FACT_TABLES[table])


def _error(stage: str, name: str, exc: Exception) -> dict:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return {"stage": stage,
            "reason": f"{name}: {type(exc).__name__}: {exc} "
                      f"(at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})",
            "source_line": None}


def as_document(doc: Document | list[str]) -> Document:
    """A Document; a plain list of lines (tests, old callers) becomes prose."""
    if isinstance(doc, Document):
        return doc
    return Document([Paragraph(line) for line in doc], "text")


def run_stages(doc: Document, stages: tuple[Stage, ...], result: Extraction) -> tuple[dict, dict, dict]:
    """Run each stage once; returns rows, typed value and raw output per stage."""
    lines = doc.text_lines
    rows: dict[str, dict[str, list[dict]]] = {}
    values: dict[str, Any] = {}
    produced_by: dict[str, Any] = {}
    for stage in stages:
        missing = [dep for _, dep in stage.needs if dep not in values]
        if missing:
            result.errors.append({"stage": "parse", "source_line": None,
                                  "reason": f"{stage.name}: skipped, it needs "
                                            f"{', '.join(missing)}, which failed"})
            continue
        kwargs = {kw: values[dep] for kw, dep in stage.needs}
        if stage.metadata:
            kwargs["metadata"] = dict(doc.metadata)
        result.runs[stage.name] += 1
        try:
            produced = importlib.import_module(stage.module).extract(lines, **kwargs)
            rows[stage.name] = _validated(produced)
        except Exception as exc:  # noqa: BLE001 — recorded, never swallowed
            result.errors.append(_error("parse", stage.name, exc))
            continue
        values[stage.name] = getattr(produced, "value", None)
        if values[stage.name] is None:
            values[stage.name] = rows[stage.name]
        produced_by[stage.name] = produced
    return rows, values, produced_by


def _run_check_modules(doc: Document, facts: Facts, result: Extraction,
                       modules: tuple[str, ...]) -> list[dict]:
    issues: list[dict] = []
    for name in modules:
        short = name.rsplit(".", 1)[-1]
        result.runs[short] += 1
        try:
            found = importlib.import_module(name).run(doc, facts)
            issues.extend(_validated({"quality_issues": found})["quality_issues"])
        except Exception as exc:  # noqa: BLE001
            result.errors.append(_error("check", short, exc))
    return issues


def extract_document(doc: Document | list[str], parsers: tuple[str, ...] | None = None,
                     stages: tuple[Stage, ...] | None = None,
                     checks: tuple[str, ...] | None = None, run_checks: bool = True) -> Extraction:
    """Run every stage over one document, then every check (``checks``, default
    ``CHECK_MODULES``; none when ``run_checks`` is false)."""
    doc = as_document(doc)
    if checks is None:
        checks = CHECK_MODULES if run_checks else ()
    if stages is None:
        stages = STAGES if parsers is None else tuple(Stage(p, p) for p in parsers)
    result = Extraction()
    rows, values, produced = run_stages(doc, stages, result)
    facts = Facts(_merge(rows), values)
    issues = _run_check_modules(doc, facts, result, checks) if checks else []
    prose.forget()   # the checks' shared Context (and this document): not needed past them
    for name, parsed in produced.items():
        refresh = getattr(parsed, "refresh", None)
        if refresh is not None:
            try:
                rows[name] = {**rows[name], **_validated(refresh())}
            except Exception as exc:  # noqa: BLE001
                result.errors.append(_error("parse", name, exc))
    merged = _merge(rows)
    merged["quality_issues"] = merged.get("quality_issues", []) + issues
    for table, table_rows in merged.items():
        result.rows[table].extend(located(doc, table, table_rows))
    # two stages may read the same figure from the same line: keep one
    result.rows["metrics"] = dedupe_metrics(result.rows.get("metrics", []))
    result.notices = missing.notices(doc, values, {s.name for s in stages} - set(produced))
    return result


def locate(doc: Document, table: str, row: dict) -> dict:
    """The row with ``source_page`` / ``source_locator`` from the document's
    rendering: the cell printing the figure where it is one cell, else the line."""
    return located(doc, table, [row])[0]


def located(doc: Document, table: str, rows: list[dict]) -> list[dict]:
    """``locate`` of each row, in order (the rendering and the table's kind looked
    up once for all of them); a table without locations: the rows themselves."""
    if table not in LOCATED_TABLES:
        return rows
    lines = doc.lines
    count = len(lines)
    amounts = table == "line_items"
    out = []
    for row in rows:
        n = row.get("source_line")
        page = locator = score = None
        if isinstance(n, int) and 1 <= n <= count:
            line = lines[n - 1]
            location = line.location
            page, locator, score = location.page, location.locator, location.ocr_confidence
            printed = row.get("amount_text") if amounts else None
            if printed and line.cells:
                for text, loc in zip(line.cells, line.cell_locations):
                    if text.strip() == printed.strip():
                        page, locator = loc.page or page, loc.locator or locator
                        score = loc.ocr_confidence if loc.ocr_confidence is not None else score
                        break
        out.append({**row, "source_page": page, "source_locator": locator, "source_ocr_confidence": score})
    return out


def _merge(rows: dict[str, dict[str, list[dict]]]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for produced in rows.values():
        for table, table_rows in produced.items():
            out[table].extend(table_rows)
    return out


def select(*names: str) -> tuple[Stage, ...]:
    """The named stages and every stage they need, in the declared order."""
    by_name = {s.name: s for s in STAGES}
    wanted: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo.extend(dep for _, dep in by_name[name].needs)
    return tuple(s for s in STAGES if s.name in wanted)


def stage_rows(doc: Document | list[str], *names: str,
               checks: tuple[str, ...] | None = None) -> dict[str, list[dict]]:
    """Rows of the named stages (and those they need) and of the checks."""
    return dict(extract_document(doc, stages=select(*names), checks=checks).rows)
