"""yibao ingest: report files → facts (parse → validate → load into DuckDB's raw layer)."""
import os

__version__ = "0.1.0"

# numpy (imported by pyarrow and DuckDB) starts OpenBLAS with one thread per
# core, and those threads spin at start-up: ≈ 0.3 of the ≈ 0.7 CPU-s the
# workers' fork server spent importing the parsing code on 2 cores, ≈ 0.1 in
# every other yibao process. yibao does no linear algebra that a BLAS thread
# pool would speed up, so one thread, unless the environment says otherwise.
# Set here, before anything imports numpy; the fork server, its workers and the
# dbt child inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
