"""Pure parsers: the lines of one report in, fact rows out (see ingest.schema).

Each module exposes ``extract(lines: list[str]) -> dict[str, list[dict]]``
mapping raw table names of ``ingest.schema.FACT_TABLES`` to rows. ``lines[i]``
is source line ``i + 1``; every row carries that ``source_line``.
"""


def dedupe_metrics(rows: list[dict]) -> list[dict]:
    """Keep the first of rows stating the same metric, value and sub-unit on the same line."""
    seen, out = set(), []
    for row in rows:
        key = (row["metric"], row["value"], row.get("sub_unit"), row["source_line"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
