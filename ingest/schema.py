"""One declared schema per raw table.

Parsers return plain dicts whose keys are exactly the *fact* columns below.
The loader adds the lineage columns (``document_id``, ``source_file``,
``sha256``, ``loaded_at``) and builds one Arrow table per table with this
schema (``ingest.columns``), so a parser that returns a wrong key or type fails
loudly in tests instead of writing a half-right table. The types are Arrow's:
what the batches carry from the workers to DuckDB (``ingest.load.duckdb_type``
names each in SQL); pyarrow is the only library this module imports.

Money is kept twice: ``amount_text`` exactly as printed, and
``amount_wan_yuan`` as an exact Decimal(20, 6) in 万元 (a figure printed in 元
is divided by 10 000 exactly; ``unit`` keeps the printed unit).
"""
from __future__ import annotations

import pyarrow as pa

MONEY = pa.decimal128(20, 6)
SCORE = pa.decimal128(12, 4)

LINEAGE = {
    "document_id": pa.string(),
    "source_file": pa.string(),
    "sha256": pa.string(),
    "loaded_at": pa.timestamp("us"),
}

# --- facts returned by the parsers (before lineage is added) ---------------

DOCUMENT_IDENTITY = {
    "department_name": pa.string(),        # normalized full name, e.g. 某某市某某区医疗保障局
    "department_name_printed": pa.string(),  # as first printed
    "unit_kind": pa.string(),              # bureau / agency / other
    "consolidation": pa.string(),          # 本级 / 汇总 / NULL when not stated
    "province": pa.string(),
    "city": pa.string(),
    "county": pa.string(),
    "admin_level": pa.string(),            # province / city / county
    "division_code": pa.string(),          # 6-digit GB/T 2260
    "fiscal_year": pa.int32(),
    "phase": pa.string(),                  # final / budget
    "identified_by": pa.string(),          # title / text / metadata / file_name: the clue naming the unit
    "evidence": pa.string(),               # what the identity was read from
    "source_line": pa.int32(),
}

SECTIONS = {
    "report_type": pa.string(),   # final_accounts / budget / overall_self_evaluation / ...
    "title": pa.string(),         # the heading as printed
    "start_line": pa.int32(),
    "end_line": pa.int32(),
}

LINE_ITEMS = {
    "table_no": pa.string(),        # two digits as printed or as numbered in the TOC
    "table_title": pa.string(),     # e.g. 支出决算表
    "table_kind": pa.string(),      # summary / income / expenditure / fiscal_summary /
                                # gpb_expenditure / basic_economic / three_public / other
    "classification": pa.string(),  # functional / economic / income / class / total
    "code": pa.string(),            # 2101501, 301, TOTAL, TOTAL_PERSONNEL, INCOME:<name>, CLASS:<name>
    "line_name": pa.string(),       # as printed, whitespace removed
    "measure_label": pa.string(),   # column header as printed, whitespace removed
    "measure": pa.string(),         # canonical measure (CONTRACT.md)
    "amount_text": pa.string(),     # the cell as printed
    "unit": pa.string(),            # 万元 / 元 as printed
    "amount_wan_yuan": MONEY,
    "source_line": pa.int32(),
}

TABLE_NOTES = {
    "table_no": pa.string(),
    "table_title": pa.string(),
    "note_kind": pa.string(),       # no_data / unit / other
    "note": pa.string(),
    "source_line": pa.int32(),
}

INDICATORS = {
    "scope": pa.string(),           # department / project
    "project_name": pa.string(),
    "level1": pa.string(),
    "level2": pa.string(),
    "indicator_name": pa.string(),
    "target_text": pa.string(),
    "actual_text": pa.string(),
    "weight": SCORE,
    "score": SCORE,
    "target_operator": pa.string(),
    "target_value": pa.float64(),
    "target_unit": pa.string(),
    "actual_operator": pa.string(),
    "actual_value": pa.float64(),
    "actual_unit": pa.string(),
    "is_qualitative": pa.bool_(),
    "flags": pa.string(),           # comma-separated quality flags, '' when none
    "source_line": pa.int32(),
}

PROJECTS = {
    "project_name": pa.string(),
    "initial_budget_wan_yuan": MONEY,
    "annual_budget_wan_yuan": MONEY,
    "executed_wan_yuan": MONEY,
    "execution_rate_pct": pa.decimal128(12, 4),
    "score": SCORE,
    "origin": pa.string(),          # self_evaluation_table / basic_data_table / prose
    "source_line": pa.int32(),
}

METRICS = {
    "metric": pa.string(),
    "value": pa.decimal128(24, 6),
    "unit": pa.string(),
    "evidence": pa.string(),
    "sub_unit": pa.string(),        # the part (局机关, 经办中心 …) a figure is stated for; NULL = the unit
    "source_line": pa.int32(),
}

QUALITY_ISSUES = {
    "check_id": pa.string(),
    "severity": pa.string(),        # error / warning / info
    "kind": pa.string(),            # total_mismatch / misaligned_columns / ...
    "location": pa.string(),
    "expected": pa.string(),
    "observed": pa.string(),
    "description": pa.string(),
    "source_line": pa.int32(),
}

# The rendering of a file that is not text (PDF, Word, Excel, HTML): "the
# document as yibao extracted it", one row per rendered line, so a fact's
# source_line can be opened — and located on its page — whatever the format.
# Written by the pipeline from the reader's Document, not by a parser.
DOCUMENT_LINES = {
    "line_number": pa.int32(),    # the source_line of facts read from this line
    "text": pa.string(),            # as rendered: a table row's cells joined by tabs
    "page": pa.string(),            # PDF page (1-based) or sheet name; NULL where none
    "locator": pa.string(),         # PDF "x0,top,x1,bottom" (points), cell "B7", "t2.r3.c4"
    "ocr_confidence": pa.float64(),  # mean OCR confidence of the line's page; NULL if not OCR'd
}

# Every fact table the parsers fill (and the rendering, above), by raw table name.
FACT_TABLES: dict[str, dict] = {
    "document_identity": DOCUMENT_IDENTITY,
    "document_sections": SECTIONS,
    "line_items": LINE_ITEMS,
    "table_notes": TABLE_NOTES,
    "indicators": INDICATORS,
    "projects": PROJECTS,
    "metrics": METRICS,
    "quality_issues": QUALITY_ISSUES,
    "document_lines": DOCUMENT_LINES,
}

# Columns that must hold a value (what the marts' keys and not_null tests
# rely on): a row without one is an ingest error at the raw boundary, never a
# NULL that fails a dbt test.
REQUIRED: dict[str, tuple[str, ...]] = {
    "document_identity": (),
    "document_sections": ("report_type", "start_line", "end_line"),
    "line_items": ("table_kind", "classification", "code", "line_name", "measure_label",
                   "measure", "amount_text", "amount_wan_yuan", "source_line"),
    "table_notes": ("note_kind", "source_line"),
    "indicators": ("scope", "source_line"),
    "projects": ("project_name", "origin", "source_line"),
    "metrics": ("metric", "value", "unit", "source_line"),
    "quality_issues": ("check_id", "severity", "kind"),
}

# Where in the published file a fact stands, beside ``source_line`` (added by
# the stage runner from ``Document.lines``): the page (PDF page, sheet; NULL
# for a text file without form feeds) and the locator (the cell's
# ``L<line>:<chars>`` in a text file, ``x0,top,x1,bottom`` on a PDF page, an
# ``A1`` cell of a sheet, ``t.r.c`` of a Word/HTML table).
PROVENANCE = {
    "source_page": pa.string(),
    "source_locator": pa.string(),
    # the OCR recognition confidence of the cell (or line) the fact was read
    # from, the lowest of its characters'; NULL where it was not OCR'd
    "source_ocr_confidence": pa.float64(),
}
LOCATED_TABLES = tuple(t for t, cols in FACT_TABLES.items() if "source_line" in cols)

# --- bookkeeping tables written by the loader -------------------------------

DOCUMENTS = {
    "document_id": pa.string(),
    "source_file": pa.string(),     # path as given, relative where possible
    "file_name": pa.string(),
    "sha256": pa.string(),
    "encoding": pa.string(),
    "line_count": pa.int32(),
    "extractor_sha256": pa.string(),  # which extractor read it (ingest.version)
    "loaded_at": pa.timestamp("us"),
    # sha256 of the text with all whitespace removed (ingest.lineage.text_fingerprint):
    # the same report re-published with other bytes has the same one
    "text_fingerprint": pa.string(),
}

INGEST_ERRORS = {
    "source_file": pa.string(),
    "sha256": pa.string(),
    "stage": pa.string(),           # read / decode / parse / validate
    "reason": pa.string(),
    "source_line": pa.int32(),
    "loaded_at": pa.timestamp("us"),
}


# Other paths at which a document's content (same sha256) was seen in the
# last run that saw it; ``documents.source_file`` is the first such path.
DOCUMENT_ALIASES = {
    "document_id": pa.string(),
    "sha256": pa.string(),
    "source_file": pa.string(),
    "loaded_at": pa.timestamp("us"),
}


def raw_schema(table: str) -> dict:
    """The full raw schema of a fact table: lineage columns, facts, provenance."""
    extra = PROVENANCE if table in LOCATED_TABLES else {}
    return {**LINEAGE, **FACT_TABLES[table], **extra}


def fact_schema(table: str) -> dict:
    """The columns a fact row has when it leaves the stage runner."""
    extra = PROVENANCE if table in LOCATED_TABLES else {}
    return {**FACT_TABLES[table], **extra}


def all_raw_schemas() -> dict[str, dict]:
    """Every raw table's full schema, by name."""
    tables = {name: raw_schema(name) for name in FACT_TABLES}
    tables["documents"] = DOCUMENTS
    tables["ingest_errors"] = INGEST_ERRORS
    tables["document_aliases"] = DOCUMENT_ALIASES
    return tables
