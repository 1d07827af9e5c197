"""Pure parsers: the lines of one report in, fact rows out (see ingest.schema).

Each module exposes ``extract(lines: list[str]) -> dict[str, list[dict]]``
mapping raw table names of ``ingest.schema.FACT_TABLES`` to rows. ``lines[i]``
is source line ``i + 1``; every row carries that ``source_line``.
"""
