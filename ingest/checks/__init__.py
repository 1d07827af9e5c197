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
)
