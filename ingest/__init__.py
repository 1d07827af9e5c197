"""yibao ingest: report files → facts (parse → validate → load into DuckDB's raw layer)."""
__version__ = "0.1.0"
