"""One declared schema per raw table.

Parsers return plain dicts whose keys are exactly the *fact* columns below.
The loader adds the lineage columns (``document_id``, ``source_file``,
``sha256``, ``loaded_at``) and builds one polars frame per table with this
schema, so a parser that returns a wrong key or type fails loudly in tests
instead of writing a half-right table.

Money is kept twice: ``amount_text`` exactly as printed, and
``amount_wan_yuan`` as an exact Decimal(20, 6) in 万元 (a figure printed in 元
is divided by 10 000 exactly; ``unit`` keeps the printed unit).
"""
from __future__ import annotations

import polars as pl

MONEY = pl.Decimal(20, 6)
SCORE = pl.Decimal(12, 4)

LINEAGE = {
    "document_id": pl.Utf8,
    "source_file": pl.Utf8,
    "sha256": pl.Utf8,
    "loaded_at": pl.Datetime("us"),
}

# --- facts returned by the parsers (before lineage is added) ---------------

DOCUMENT_IDENTITY = {
    "department_name": pl.Utf8,        # normalized full name, e.g. 某某市某某区医疗保障局
    "department_name_printed": pl.Utf8,  # as first printed
    "unit_kind": pl.Utf8,              # bureau / agency / other
    "consolidation": pl.Utf8,          # 本级 / 汇总 / NULL when not stated
    "province": pl.Utf8,
    "city": pl.Utf8,
    "county": pl.Utf8,
    "admin_level": pl.Utf8,            # province / city / county
    "division_code": pl.Utf8,          # 6-digit GB/T 2260
    "fiscal_year": pl.Int32,
    "phase": pl.Utf8,                  # final / budget
    "identified_by": pl.Utf8,          # title / text / metadata / file_name: the clue naming the unit
    "evidence": pl.Utf8,               # what the identity was read from
    "source_line": pl.Int32,
}

SECTIONS = {
    "report_type": pl.Utf8,   # final_accounts / budget / overall_self_evaluation / ...
    "title": pl.Utf8,         # the heading as printed
    "start_line": pl.Int32,
    "end_line": pl.Int32,
}

LINE_ITEMS = {
    "table_no": pl.Utf8,        # two digits as printed or as numbered in the TOC
    "table_title": pl.Utf8,     # e.g. 支出决算表
    "table_kind": pl.Utf8,      # summary / income / expenditure / fiscal_summary /
                                # gpb_expenditure / basic_economic / three_public / other
    "classification": pl.Utf8,  # functional / economic / income / class / total
    "code": pl.Utf8,            # 2101501, 301, TOTAL, TOTAL_PERSONNEL, INCOME:<name>, CLASS:<name>
    "line_name": pl.Utf8,       # as printed, whitespace removed
    "measure_label": pl.Utf8,   # column header as printed, whitespace removed
    "measure": pl.Utf8,         # canonical measure (CONTRACT.md)
    "amount_text": pl.Utf8,     # the cell as printed
    "unit": pl.Utf8,            # 万元 / 元 as printed
    "amount_wan_yuan": MONEY,
    "source_line": pl.Int32,
}

TABLE_NOTES = {
    "table_no": pl.Utf8,
    "table_title": pl.Utf8,
    "note_kind": pl.Utf8,       # no_data / unit / other
    "note": pl.Utf8,
    "source_line": pl.Int32,
}

INDICATORS = {
    "scope": pl.Utf8,           # department / project
    "project_name": pl.Utf8,
    "level1": pl.Utf8,
    "level2": pl.Utf8,
    "indicator_name": pl.Utf8,
    "target_text": pl.Utf8,
    "actual_text": pl.Utf8,
    "weight": SCORE,
    "score": SCORE,
    "target_operator": pl.Utf8,
    "target_value": pl.Float64,
    "target_unit": pl.Utf8,
    "actual_operator": pl.Utf8,
    "actual_value": pl.Float64,
    "actual_unit": pl.Utf8,
    "is_qualitative": pl.Boolean,
    "flags": pl.Utf8,           # comma-separated quality flags, '' when none
    "source_line": pl.Int32,
}

PROJECTS = {
    "project_name": pl.Utf8,
    "initial_budget_wan_yuan": MONEY,
    "annual_budget_wan_yuan": MONEY,
    "executed_wan_yuan": MONEY,
    "execution_rate_pct": pl.Decimal(12, 4),
    "score": SCORE,
    "origin": pl.Utf8,          # self_evaluation_table / basic_data_table / prose
    "source_line": pl.Int32,
}

METRICS = {
    "metric": pl.Utf8,
    "value": pl.Decimal(24, 6),
    "unit": pl.Utf8,
    "evidence": pl.Utf8,
    "sub_unit": pl.Utf8,        # the part (局机关, 经办中心 …) a figure is stated for; NULL = the unit
    "source_line": pl.Int32,
}

QUALITY_ISSUES = {
    "check_id": pl.Utf8,
    "severity": pl.Utf8,        # error / warning / info
    "kind": pl.Utf8,            # total_mismatch / misaligned_columns / ...
    "location": pl.Utf8,
    "expected": pl.Utf8,
    "observed": pl.Utf8,
    "description": pl.Utf8,
    "source_line": pl.Int32,
}

# The rendering of a file that is not text (PDF, Word, Excel, HTML): "the
# document as yibao extracted it", one row per rendered line, so a fact's
# source_line can be opened — and located on its page — whatever the format.
# Written by the pipeline from the reader's Document, not by a parser.
DOCUMENT_LINES = {
    "line_number": pl.Int32,    # the source_line of facts read from this line
    "text": pl.Utf8,            # as rendered: a table row's cells joined by tabs
    "page": pl.Utf8,            # PDF page (1-based) or sheet name; NULL where none
    "locator": pl.Utf8,         # PDF "x0,top,x1,bottom" (points), cell "B7", "t2.r3.c4"
    "ocr_confidence": pl.Float64,  # mean OCR confidence of the line's page; NULL if not OCR'd
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
    "source_page": pl.Utf8,
    "source_locator": pl.Utf8,
    # the OCR recognition confidence of the cell (or line) the fact was read
    # from, the lowest of its characters'; NULL where it was not OCR'd
    "source_ocr_confidence": pl.Float64,
}
LOCATED_TABLES = tuple(t for t, cols in FACT_TABLES.items() if "source_line" in cols)

# --- bookkeeping tables written by the loader -------------------------------

DOCUMENTS = {
    "document_id": pl.Utf8,
    "source_file": pl.Utf8,     # path as given, relative where possible
    "file_name": pl.Utf8,
    "sha256": pl.Utf8,
    "encoding": pl.Utf8,
    "line_count": pl.Int32,
    "loaded_at": pl.Datetime("us"),
    # sha256 of the text with all whitespace removed (ingest.lineage.text_fingerprint):
    # the same report re-published with other bytes has the same one
    "text_fingerprint": pl.Utf8,
}

INGEST_ERRORS = {
    "source_file": pl.Utf8,
    "sha256": pl.Utf8,
    "stage": pl.Utf8,           # read / decode / parse / validate
    "reason": pl.Utf8,
    "source_line": pl.Int32,
    "loaded_at": pl.Datetime("us"),
}


# Other paths at which a document's content (same sha256) was seen in the
# last run that saw it; ``documents.source_file`` is the first such path.
DOCUMENT_ALIASES = {
    "document_id": pl.Utf8,
    "sha256": pl.Utf8,
    "source_file": pl.Utf8,
    "loaded_at": pl.Datetime("us"),
}


def raw_schema(table: str) -> dict:
    """The full raw schema of a fact table: lineage columns, facts, provenance."""
    extra = PROVENANCE if table in LOCATED_TABLES else {}
    return {**LINEAGE, **FACT_TABLES[table], **extra}


def fact_schema(table: str) -> dict:
    """The columns a fact row has when it leaves the stage runner."""
    extra = PROVENANCE if table in LOCATED_TABLES else {}
    return {**FACT_TABLES[table], **extra}
