"""Identical facts, for the speed benchmark (``bench_speed.py``): a signature of
the raw layer (rows and a hash of every fact column per table), compared with
one written earlier (``--facts FILE``) or written there."""
from __future__ import annotations

import json
from pathlib import Path

from speed_common import line


def raw_signature(warehouse: Path) -> dict[str, tuple]:
    import duckdb

    from ingest.load import all_raw_schemas

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        sig = {}
        for table, schema in all_raw_schemas().items():
            # not facts: when it was loaded, and the digest of the code that read it
            cols = ", ".join(c for c in schema if c not in ("loaded_at", "extractor_sha256"))
            sig[table] = con.execute(f"select count(*), coalesce(sum(hash(({cols}))), 0) "
                                     f"from raw.{table}").fetchone()
        return sig
    finally:
        con.close()


def facts_vs_file(path: Path, signature: dict[str, tuple], docs: int) -> None:
    """Compare the raw layer's signature with the one in ``path`` (or write it there)."""
    mine = {"docs": docs, "tables": {t: list(v) for t, v in signature.items()}}
    if not path.exists():
        path.write_text(json.dumps(mine, indent=1, sort_keys=True) + "\n")
        line("raw layer signature", f"written to {path}")
        return
    theirs = json.loads(path.read_text())
    if theirs["docs"] != docs:
        line("raw layer vs " + path.name, f"not compared ({theirs['docs']} documents there)")
        return
    differ = sorted(t for t in set(mine["tables"]) | set(theirs["tables"])
                    if mine["tables"].get(t) != theirs["tables"].get(t))
    line("raw layer vs " + path.name, "identical" if not differ
         else "DIFFERENT: " + ", ".join(differ))
