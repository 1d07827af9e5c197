"""Consistency checks over the extracted facts of one report.

Checks run after every parser, never from inside one: each module listed in
``CHECK_MODULES`` exposes ``run(doc, results) -> list[dict]``, where ``doc`` is
the ``ingest.document.Document`` and ``results`` the stages' typed results and
fact rows for that document; it returns ``quality_issues`` rows (the schema in
``ingest.schema.QUALITY_ISSUES``). Each check is a row of the catalogue
``seeds/data_quality_checks.csv``.
"""
