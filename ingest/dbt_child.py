"""The dbt child process: ``python -m ingest.dbt_child ARGS…`` runs one dbt
command (``dbtRunner``, dbt's own programmatic entry point) with a cheaper log.

dbt formats every event it fires — about 25 per node, most of them debug
lines — for each of its two loggers (the console and ``logs/dbt.log``), and
scrubs each line of secrets by scanning the whole environment, before its
Python logger drops the lines below the configured level. That was about
1 CPU-second of a 200-document build's 8 (12 %). Here dbt's loggers are
off (``--log-level none --log-level-file none``) and one callback writes
what they would have kept at ``info``: the console lines (``HH:MM:SS  msg``,
captured by ``ingest.build``) and the file log's lines in dbt's own debug
format (time, level, thread). Lines below ``info`` are never formatted.

``DBT_LOG_LEVEL`` or ``DBT_LOG_LEVEL_FILE`` set to anything but ``info``
(e.g. ``debug`` to see every query) hands logging back to dbt unchanged.

The exit status is dbt's: 0 success, 1 a node failed, 2 dbt could not run.
"""
from __future__ import annotations

import os
import sys
import threading
from datetime import datetime
from pathlib import Path

KEPT_LEVELS = frozenset({"info", "warn", "error"})
PRINT_EVENTS = frozenset({"PrintEvent", "ShowNode", "CompiledNode"})   # dbt prints these whatever the level
SECRET_PREFIX = "DBT_ENV_SECRET"
LOG_MAX_BYTES = 10 * 1024 * 1024   # dbt's own rotation: past 10 MB, five old files kept
LOG_BACKUPS = 5
SEPARATOR = 30 * "="


def own_logging() -> bool:
    """Whether this module writes the log (dbt's loggers at their default, info)."""
    return all(os.environ.get(name, "info").lower() == "info"
               for name in ("DBT_LOG_LEVEL", "DBT_LOG_LEVEL_FILE"))


class InfoLog:
    """dbt's info-level console and file lines, formatted only when kept."""

    def __init__(self, log_dir: Path, console=sys.stdout):
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "dbt.log"
        rotate(path)
        # line-buffered, as dbt's handler flushes each record: a killed build keeps its log
        self.file = path.open("a", encoding="utf-8", buffering=1)
        self.console = console
        self.secrets = [v for k, v in os.environ.items() if k.startswith(SECRET_PREFIX) and v.strip()]
        self.lock = threading.Lock()

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "*****")
        return text

    def __call__(self, msg) -> None:
        info = msg.info
        printed = info.name in PRINT_EVENTS
        if info.level not in KEPT_LEVELS and not printed:
            return
        text = self.scrub(info.msg)
        when = datetime.fromtimestamp(info.ts.seconds + info.ts.nanos / 1e9)
        line = f"{when:%H:%M:%S.%f} [{info.level:<5}] [{info.thread[:10]:<10}]: {text}"
        if info.name == "MainReportVersion":
            line = f"\n\n{SEPARATOR} {when:%H:%M:%S.%f} | {info.invocation_id} {SEPARATOR}\n{line}"
        with self.lock:
            self.file.write(line + "\n")
            self.console.write((text if printed else f"{when:%H:%M:%S}  {text}") + "\n")
            self.console.flush()

    def close(self) -> None:
        self.console.flush()
        self.file.close()


def rotate(path: Path) -> None:
    """Once a run, before it writes: a log past ``LOG_MAX_BYTES`` becomes ``dbt.log.1``
    (and ``.1`` … ``.4`` move up one), as dbt's rotating handler does."""
    if not path.exists() or path.stat().st_size < LOG_MAX_BYTES:
        return
    for n in range(LOG_BACKUPS - 1, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{n + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))


def main(args: list[str]) -> int:
    from dbt.cli.main import dbtRunner

    if not own_logging():
        result = dbtRunner().invoke(args)
    else:
        log = InfoLog(Path(os.environ.get("DBT_LOG_PATH", "logs")))
        try:
            result = dbtRunner(callbacks=[log]).invoke(
                [*args, "--log-level", "none", "--log-level-file", "none"])
        finally:
            log.close()
    if result.exception is not None:
        print(f"dbt could not run: error: {result.exception}", flush=True)
        return 2
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
