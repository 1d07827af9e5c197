"""What a readable document did not yield, said on stderr by ``yibao run``.

A report that loads without error may still give far less than its kind
promises, and a user with hundreds of files should hear which:

* a 部门决算 / 部门预算 (its sections say so) in which the tables stage found no
  公开 table — commonly the tables are printed as images (a scan, or pictures
  pasted into the PDF) or published as a separate attachment: only the prose
  was read;
* a web page holding no table at all: the report is usually an attachment
  linked from it, which is the file to ingest.

These are notices, not errors: the document and whatever it did yield load as
usual (its sections, identity, narrative figures and quality issues).
"""
from __future__ import annotations

from typing import Any

from ingest.document import Document, Table

_BUDGET_REPORTS = {"final_accounts": "部门决算", "budget": "部门预算"}


def _report_kinds(sections: Any) -> list[str]:
    rows = sections if isinstance(sections, list) else []
    return [r.get("report_type") for r in rows if isinstance(r, dict)]


def _tables_found(tables: Any) -> bool:
    return bool(getattr(tables, "tables", None))


def notices(doc: Document, values: dict[str, Any], failed: set[str]) -> list[str]:
    """One sentence per thing the document did not yield (see module doc).

    ``values``: the stages' typed results; ``failed``: stages that raised or
    were skipped (what they did not yield is already reported as an error)."""
    if doc.source_format == "html" and not any(isinstance(b, Table) for b in doc.blocks):
        return ["web page without any table: only its text was read (the report itself is "
                "usually a linked attachment; ingest that file)"]
    kinds = [_BUDGET_REPORTS[k] for k in _report_kinds(values.get("sections")) if k in _BUDGET_REPORTS]
    if kinds and "tables" not in failed and not _tables_found(values.get("tables")):
        return [f"no 公开 table found in this {kinds[0]} (tables printed as images, or published "
                "as a separate file?): only its text was read"]
    return []
