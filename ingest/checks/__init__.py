"""Consistency checks over the extracted facts of one report.

Checks run after every parser, never from inside one. Each module listed in
``CHECK_MODULES`` exposes ``run(doc, facts) -> list[dict]``:

* ``doc`` is the report's ``ingest.document.Document``;
* ``facts`` maps each raw table name of ``ingest.schema.FACT_TABLES``
  (``line_items``, ``metrics``, ``indicators``, ``projects``, …) to the rows
  the parsers produced for this document;
* it returns ``quality_issues`` rows (``ingest.schema.QUALITY_ISSUES``).

Each check is a row of the catalogue ``seeds/data_quality_checks.csv``.
"""
CHECK_MODULES: tuple[str, ...] = (
    "ingest.checks.reconcile",
    "ingest.checks.selfeval_checks",
    "ingest.checks.completeness",   # the 公开 tables and the 目录's sections
    "ingest.checks.units",          # 元 tables, 万元/元 slips
    "ingest.checks.dates",          # years and as-of dates against the fiscal year
    "ingest.checks.defects",        # doubled punctuation, repeated words, residue
    "ingest.checks.sums",           # the text's totals against the items it lists
    "ingest.checks.wording",        # 增加/减少 N%, 占N%, 大于/小于 against the figures
    "ingest.checks.text_tables",    # the 情况说明's totals and subject names against the tables
    "ingest.checks.three_public",   # 三公 categories: parts against total, text against table
    "ingest.checks.names",          # self-references, other sectors' wording, placeholders
    "ingest.checks.copies",         # paragraphs printed twice
    "ingest.checks.figures",        # one headline figure stated with different values
    "ingest.checks.ocr_cells",      # figures OCR'd with low confidence
    "ingest.checks.selfeval_figures",  # cost indicators and prose rates against project money
)
