"""Per-file isolation: whatever one report contains, it fails alone.

* ``read_report`` reads a file with a size limit (``YIBAO_MAX_FILE_MB``,
  default 64 MB); an unreadable file (permission denied, an I/O error, too
  large) raises ``FileRejected`` with a reason naming what is wrong.
* ``time_budget`` bounds one file's parsing (``YIBAO_FILE_TIMEOUT`` seconds,
  default 300 — the slowest sample report parses in well under a second): a
  file still parsing when it expires is interrupted by ``SIGALRM`` (Python's
  regex engine and pure-Python parsers check for signals) and recorded as
  timed out; the run goes on with the other files.
* A cell its column can't hold (an amount beyond ``DECIMAL(20,6)``) is
  ``ingest.columns.validate``'s: an error for that row, in the worker.
"""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager

DEFAULT_MAX_MB = 64.0
DEFAULT_TIMEOUT_S = 300.0


class FileRejected(Exception):
    """The file can't be read at all (stage ``read``)."""


class FileTimedOut(BaseException):
    """The file's parsing ran past its time budget (a BaseException, so that no
    parser's own error handling can swallow it)."""


def max_bytes() -> int:
    return int(float(os.environ.get("YIBAO_MAX_FILE_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


def timeout_seconds() -> float:
    return float(os.environ.get("YIBAO_FILE_TIMEOUT", DEFAULT_TIMEOUT_S))


def read_report(path, limit: int | None = None) -> bytes:
    """The file's bytes, or FileRejected with the reason."""
    limit = max_bytes() if limit is None else limit
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise FileRejected(f"file is {size / 2**20:.1f} MB, above the limit of "
                                   f"{limit / 2**20:.0f} MB (set YIBAO_MAX_FILE_MB to raise it)")
            data = f.read(limit + 1)
    except OSError as exc:
        raise FileRejected(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise FileRejected(f"file grew above the limit of {limit / 2**20:.0f} MB while read")
    return data


def _on_alarm(signum, frame):
    raise FileTimedOut()


@contextmanager
def time_budget(seconds: float | None, cpu: bool = False):
    """Raise FileTimedOut inside the block after ``seconds`` of wall-clock time
    (``cpu=True``: of the process's CPU time); main thread only."""
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    sig, timer = (signal.SIGPROF, signal.ITIMER_PROF) if cpu else (signal.SIGALRM, signal.ITIMER_REAL)
    previous = signal.signal(sig, _on_alarm)
    signal.setitimer(timer, seconds)
    try:
        yield
    finally:
        signal.setitimer(timer, 0)
        signal.signal(sig, previous)
