"""Pure parsers: one report's text rendering in, fact rows out (see ingest.schema).

Each module exposes ``extract(lines, **inputs)`` returning a ``Parsed``: a
dict mapping raw table names of ``ingest.schema.FACT_TABLES`` to rows, whose
``value`` is the parser's typed result handed to the stages that declare they
need it (``ingest.extract.STAGES``): the tables' subjects to the narrative,
the self-evaluation tables to the metrics. ``lines[i]`` is source line
``i + 1`` (``Document.text_lines``); every row carries that ``source_line``.
A parser never imports a check and never runs another parser: what it needs
from another stage comes in as a keyword argument.
"""
from __future__ import annotations

from typing import Any, Callable


class Parsed(dict):
    """A parser's rows by raw table, plus its typed result for dependants.

    ``refresh``, when set, rebuilds the rows from the typed result after the
    checks have run (checks may add flags to the typed result's facts).
    """

    def __init__(self, rows: dict[str, list[dict]] | None = None, value: Any = None,
                 refresh: Callable[[], dict[str, list[dict]]] | None = None):
        super().__init__(rows or {})
        self.value = value
        self.refresh = refresh


def dedupe_metrics(rows: list[dict]) -> list[dict]:
    """Keep the first of rows stating the same metric, value and sub-unit on the same line."""
    seen, out = set(), []
    for row in rows:
        key = (row["metric"], row["value"], row.get("sub_unit"), row["source_line"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
