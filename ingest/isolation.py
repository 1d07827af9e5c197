"""Per-file isolation: whatever one report contains, it fails alone.

* ``read_report`` reads a file with a size limit (``YIBAO_MAX_FILE_MB``,
  default 64 MB); an unreadable file (permission denied, an I/O error, too
  large) raises ``FileRejected`` with a reason naming what is wrong.
* ``time_budget`` bounds one file's parsing (``YIBAO_FILE_TIMEOUT`` seconds,
  default 300 — the slowest sample report parses in well under a second): a
  file still parsing when it expires is interrupted by ``SIGALRM`` (Python's
  regex engine and pure-Python parsers check for signals) and recorded as
  timed out; the run goes on with the other files.
* ``checked_rows`` holds every fact row against its declared column type
  before the loader sees it: an amount that does not fit ``DECIMAL(20,6)``
  (a figure printed with 15, 40 or 100 000 digits), an integer out of range or
  a string that cannot be stored is an error for that cell — the row is left
  out and the error recorded with its source line — never a NULL stored in
  silence nor a crash of the whole load.
"""
from __future__ import annotations

import math
import os
import signal
import threading
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

import polars as pl

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


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}…{text[-8:]} ({len(text)} characters)"


def cell_problem(value, dtype: pl.DataType) -> str | None:
    """Why ``value`` can't be stored as ``dtype``, or None."""
    if value is None:
        return None
    if isinstance(dtype, pl.Decimal):
        try:
            dec = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            return f"{_shown(value)} is not a number"
        if not dec.is_finite():
            return f"{_shown(value)} is not a finite number"
        if dec != 0 and dec.adjusted() >= dtype.precision - (dtype.scale or 0):
            return (f"{_shown(value)} has more digits than DECIMAL({dtype.precision},"
                    f"{dtype.scale}) holds")
        return None
    if dtype in (pl.Int32, pl.Int64):
        bits = 31 if dtype == pl.Int32 else 63
        if isinstance(value, bool) or not isinstance(value, int) or not -2**bits <= value < 2**bits:
            return f"{_shown(value)} is not a {bits + 1}-bit integer"
        return None
    if dtype == pl.Float64:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{_shown(value)} is not a number"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{value} is not a finite number"
        if isinstance(value, int) and abs(value) > 2**1023:
            return f"{_shown(value)} is too large for a double"
        return None
    if dtype == pl.Utf8:
        if not isinstance(value, str):
            return f"{_shown(value)} is not text"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text holds characters that can't be stored (lone surrogates)"
        return None
    if dtype == pl.Boolean and not isinstance(value, bool):
        return f"{_shown(value)} is not true/false"
    return None


def checked_rows(table: str, rows: list[dict], schema: dict) -> tuple[list[dict], list[dict]]:
    """Rows whose every cell fits its column, and an error per cell that doesn't."""
    kept, errors = [], []
    for row in rows:
        problems = [f"{col}: {why}" for col, dtype in schema.items() if col in row
                    for why in [cell_problem(row[col], dtype)] if why]
        if not problems:
            kept.append(row)
            continue
        line = row.get("source_line")
        printed = row.get("amount_text")
        errors.append({
            "stage": "validate",
            "reason": f"{table} row left out: " + "; ".join(problems)
                      + (f" (printed {_shown(printed)})" if printed else ""),
            "source_line": line if isinstance(line, int) and -2**31 <= line < 2**31 else None,
        })
    return kept, errors
