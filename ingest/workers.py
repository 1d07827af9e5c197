"""Process pools for the per-file step, safe to start from any process.

The pools use the ``forkserver`` start method, never plain ``fork``: a
process that has already used polars, DuckDB or pyarrow holds their thread
pools, and a child forked from it inherits their locks in whatever state the
other threads left them. Writing Parquet with polars in such a child
deadlocked (seen in the test suite, which runs many ingests in one process;
polars' own documentation warns against ``fork`` for this reason). The fork
server is a fresh interpreter that has imported only the modules below, so
its children start clean and cheaply; it lives as long as the process that
started it.

Every worker asks the kernel to kill it when its parent dies (Linux), so no
parse worker outlives a killed build and holds its files.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

# imported once in the fork server: the parsing code, not the thread-pooled
# libraries' work (importing polars or pyarrow starts no thread); and every stage
# and check (``preload``: the pipeline imports them lazily, by name), so a worker
# forked from the server parses at once instead of importing them itself
PRELOAD = ["ingest.pipeline", "ingest.engines.batch"]


def preload() -> list[str]:
    from ingest.checks import CHECK_MODULES
    from ingest.extract import PARSERS
    return [*PRELOAD, *PARSERS, *CHECK_MODULES]


def die_with_parent() -> None:
    """In a child process: be killed when the parent dies (Linux)."""
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(preload())
    return ctx


def start() -> None:
    """Start the fork server now: it imports ``preload()`` in the background while
    the caller goes on (hashing the files to parse), and a pool made later forks
    ready workers from it instead of waiting for that start-up."""
    if context().get_start_method() == "forkserver":
        from multiprocessing import forkserver
        forkserver.ensure_running()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` clean worker processes that die with their parent."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=context(),
                               initializer=die_with_parent)
