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

``map_in_order`` maps a function over chunks on such a pool and **parses
while the pool starts**: starting it (the fork server importing the parsing
code, then forking) blocks whoever submits the first tasks, so a thread
submits them while this process takes items off the end of the last chunks
and runs them itself, until the workers are up. Their results come last, so
the order holds; the start-up costs the run the fork server's CPU, not its
latency.
"""
from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

# imported once in the fork server: the parsing code, not the thread-pooled
# libraries' work (importing polars or pyarrow starts no thread); and every stage
# and check (``preload``: the pipeline imports them lazily, by name), so a worker
# forked from the server parses at once instead of importing them itself
# and the text reader (every worker's first text file imported it, ≈ 30 ms each);
# not the other readers (heavier, per format: a worker imports one when it meets
# its format) nor ``ingest.engines.batch`` (the raw-folder engine's workers import
# it, with its Parquet writer, themselves)
PRELOAD = ["ingest.pipeline", "ingest.readers.text"]


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


T = TypeVar("T")
R = TypeVar("R")


def _submit_all(pool: ProcessPoolExecutor, fn: Callable, chunks: list, out: list) -> None:
    """Submit ``chunks`` (in a thread: the first submit waits for the pool to start)."""
    try:
        out.extend(pool.submit(fn, chunk) for chunk in chunks)
    except BaseException as exc:   # noqa: BLE001 — handed to the caller, re-raised there
        out.append(exc)


def map_in_order(fn: Callable[[list[T]], R], chunks: Iterable[list[T]], workers: int) -> Iterator[R]:
    """``fn`` over ``chunks``, results in order: in-process for one worker, else on a
    pool of ``workers`` with at most two chunks per worker in flight (results never
    pile up), this process running ``fn`` on single items from the end while the
    pool starts (see the module's docstring)."""
    chunks = [list(chunk) for chunk in chunks]
    if workers <= 1 or len(chunks) <= 1:
        yield from map(fn, chunks)
        return
    window = 2 * workers
    queue = deque(chunks[window:])
    with process_pool(workers) as pool:
        first: list[Future | BaseException] = []
        starter = threading.Thread(target=_submit_all, args=(pool, fn, chunks[:window], first),
                                   name="yibao-pool-start", daemon=True)
        starter.start()
        tail: list[R] = []
        while queue and starter.is_alive():
            last = queue[-1]
            tail.append(fn([last.pop()]))
            if not last:
                queue.pop()
        starter.join()
        if first and isinstance(first[-1], BaseException):
            raise first[-1]
        pending = deque(first)
        while pending:
            result = pending.popleft().result()
            if queue:
                pending.append(pool.submit(fn, queue.popleft()))
            yield result
        yield from reversed(tail)
