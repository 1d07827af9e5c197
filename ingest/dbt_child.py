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

Dropping a line late still costs its event. dbt builds each event when it
is made (a protobuf message from its fields, ``ParseDict``) and again when it
is fired (the envelope every callback receives), whether or not anything keeps
it: about a seventh of a node's time in a build, SQL included. While this
callback is the only one listening (dbt's loggers off), ``events_kept_only``
defers an event's message until something reads it, and fires only what the
callback keeps (``info`` and up, the printed events, and anything fired for
warn-or-error handling). A debug event is then made and dropped without a
message ever being built. Measured on a 1 000-document warehouse, three
interleaved pairs: dbt's elapsed 6.5 / 8.1 / 8.1 s → 5.7 / 6.9 / 6.7 s.

``DBT_LOG_LEVEL`` or ``DBT_LOG_LEVEL_FILE`` set to anything but ``info``
(e.g. ``debug`` to see every query) hands logging back to dbt unchanged.

The exit status is dbt's: 0 success, 1 a node failed, 2 dbt could not run.
"""
from __future__ import annotations

import atexit
import os
import sys
import threading
from contextlib import contextmanager
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


@contextmanager
def events_kept_only():
    """Within: dbt's events build their message only when read, and an event
    the info log would drop is not fired (see the module docstring). Fires
    everything as dbt does once any logger of dbt's own is attached. Restores
    dbt's event classes on exit."""
    from dbt_common.events.base_types import BaseEvent
    from dbt_common.events.event_manager import EventManager

    saved = {(cls, name): cls.__dict__[name] for cls, name in
             [(BaseEvent, "__init__"), (BaseEvent, "__getattr__"), (BaseEvent, "__setattr__"),
              (EventManager, "fire_event")]}
    build, fire = BaseEvent.__init__, EventManager.fire_event

    def defer(self, *args, **kwargs):
        object.__setattr__(self, "_deferred", (args, kwargs))

    def message(self):
        fields = object.__getattribute__(self, "__dict__")
        if "pb_msg" not in fields:
            args, kwargs = fields.pop("_deferred")
            build(self, *args, **kwargs)
        return fields["pb_msg"]

    def get(self, key):   # as dbt's: the message's fields read as the event's
        return message(self) if key == "pb_msg" else getattr(message(self), key)

    def put(self, key, value):
        if key == "pb_msg":
            object.__setattr__(self, key, value)
        else:
            setattr(message(self), key, value)

    def fire_kept(self, e, level=None, node=None, force_warn_or_error_handling=False):
        fired_at = level or e.level_tag()
        dropped = (not force_warn_or_error_handling and not self.loggers
                   and getattr(fired_at, "value", fired_at) not in KEPT_LEVELS
                   and type(e).__name__ not in PRINT_EVENTS)
        if not dropped:
            fire(self, e, level=level, node=node,
                 force_warn_or_error_handling=force_warn_or_error_handling)

    BaseEvent.__init__, BaseEvent.__getattr__, BaseEvent.__setattr__ = defer, get, put
    EventManager.fire_event = fire_kept
    try:
        yield
    finally:
        for (cls, name), method in saved.items():
            setattr(cls, name, method)


def main(args: list[str]) -> int:
    from dbt.cli.main import dbtRunner

    if not own_logging():
        result = dbtRunner().invoke(args)
    else:
        log = InfoLog(Path(os.environ.get("DBT_LOG_PATH", "logs")))
        try:
            with events_kept_only():
                result = dbtRunner(callbacks=[log]).invoke(
                    [*args, "--log-level", "none", "--log-level-file", "none"])
        finally:
            log.close()
    if result.exception is not None:
        print(f"dbt could not run: error: {result.exception}", flush=True)
        return 2
    return 0 if result.success else 1


def exit_now(status: int) -> None:
    """End the process as ``sys.exit`` would, less the interpreter's teardown.

    The exit handlers run as usual (dbt-duckdb's closes the warehouse, which
    checkpoints it; multiprocessing's release dbt's semaphores), the output is
    flushed, and the process ends without freeing every object dbt made one
    by one: that teardown was about 0.7 s of each build (a fifth of a small
    warehouse's dbt time past the import)."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    exit_now(main(sys.argv[1:]))
