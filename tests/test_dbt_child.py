"""ingest.dbt_child's log: dbt's info-level lines kept (file and console),
debug lines never written, secrets scrubbed, a full log rotated, and dbt's
own loggers back when a level other than info is asked for."""
from __future__ import annotations

import io
from types import SimpleNamespace

from ingest import dbt_child


def event(name: str, level: str, msg: str, thread: str = "Thread-1 (worker)"):
    ts = SimpleNamespace(seconds=1_700_000_000, nanos=250_000_000)
    return SimpleNamespace(info=SimpleNamespace(name=name, level=level, msg=msg, thread=thread,
                                                ts=ts, invocation_id="inv-1"))


def test_info_lines_are_kept_debug_lines_dropped_secrets_scrubbed(tmp_path, monkeypatch):
    monkeypatch.setenv("DBT_ENV_SECRET_TOKEN", "hunter2")
    console = io.StringIO()
    log = dbt_child.InfoLog(tmp_path / "logs", console=console)
    log(event("MainReportVersion", "info", "Running with dbt=1.11"))
    log(event("SQLQuery", "debug", "select 1 -- never formatted"))
    log(event("LogModelResult", "info", "1 of 2 OK created sql table model marts.x"))
    log(event("RunResultError", "error", "Database Error: token hunter2 refused"))
    log(event("PrintEvent", "debug", "printed whatever the level"))
    log.close()
    text = (tmp_path / "logs" / "dbt.log").read_text()
    assert "| inv-1 " in text and "Running with dbt=1.11" in text
    assert "[info ] [Thread-1 (]: 1 of 2 OK created sql table model marts.x" in text
    assert "[error] [Thread-1 (]: Database Error: token ***** refused" in text
    assert "never formatted" not in text and "never formatted" not in console.getvalue()
    assert "hunter2" not in text and "hunter2" not in console.getvalue()
    lines = console.getvalue().splitlines()
    assert lines[-1] == "printed whatever the level"
    assert any(line.endswith("  1 of 2 OK created sql table model marts.x") for line in lines)


def test_a_full_log_is_rotated_before_a_run(tmp_path, monkeypatch):
    monkeypatch.setattr(dbt_child, "LOG_MAX_BYTES", 10)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "dbt.log").write_text("an old run's lines\n")
    (logs / "dbt.log.1").write_text("an older run's\n")
    dbt_child.InfoLog(logs, console=io.StringIO()).close()
    assert (logs / "dbt.log.1").read_text() == "an old run's lines\n"
    assert (logs / "dbt.log.2").read_text() == "an older run's\n"
    assert (logs / "dbt.log").read_text() == ""


def test_another_level_hands_logging_back_to_dbt(monkeypatch):
    monkeypatch.delenv("DBT_LOG_LEVEL", raising=False)
    monkeypatch.delenv("DBT_LOG_LEVEL_FILE", raising=False)
    assert dbt_child.own_logging()
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")
    assert not dbt_child.own_logging()


def fired(manager_loggers=()):
    """What a callback receives of four events fired while ``events_kept_only``
    holds, the fields of every message built on the way, and a late-read event."""
    from dbt.adapters.events.types import SQLQuery
    from dbt_common.events import base_types
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.event_manager import EventManager
    from dbt_common.events.types import Note, PrintEvent

    built = []
    parse = base_types.ParseDict

    def counted(fields, message):
        built.append(dict(fields))
        return parse(fields, message)

    received = []
    manager = EventManager()
    manager.callbacks.append(lambda msg: received.append((msg.info.name, msg.info.level, msg.info.msg)))
    manager.loggers.extend(manager_loggers)
    base_types.ParseDict = counted
    try:
        with dbt_child.events_kept_only():
            manager.fire_event(SQLQuery(conn_name="model.x", sql="select 1", node_info={}))
            manager.fire_event(Note(msg="an info note"))
            manager.fire_event(SQLQuery(conn_name="model.y", sql="select 2", node_info={}),
                               level=EventLevel.INFO)
            manager.fire_event(PrintEvent(msg="printed"), level=EventLevel.DEBUG)
            late = SQLQuery(conn_name="model.z", sql="select 3", node_info={})
            late.sql = "select 4"
            read = (late.conn_name, late.sql, late.message())
    finally:
        base_types.ParseDict = parse
    return received, built, read


def test_only_the_events_the_log_keeps_are_built_and_fired():
    received, built, read = fired()
    assert [name for name, _, _ in received] == ["Note", "SQLQuery", "PrintEvent"]
    assert received[1] == ("SQLQuery", "info", "On model.y: select 2")
    # the debug query fired at its own level was never built; the one read late was, when read
    assert [b.get("sql") for b in built if "sql" in b] == ["select 2", "select 3"]
    assert read == ("model.z", "select 4", "On model.z: select 4")


def test_events_flow_as_dbt_fires_them_once_a_logger_of_dbts_is_attached():
    class Logger:
        def __init__(self):
            self.lines = []

        def filter(self, msg):
            return True

        def write_line(self, msg):
            self.lines.append(msg.info.name)

    logger = Logger()
    received, _, _ = fired([logger])
    assert [name for name, _, _ in received] == ["SQLQuery", "Note", "SQLQuery", "PrintEvent"]
    assert logger.lines == ["SQLQuery", "Note", "SQLQuery", "PrintEvent"]


def test_dbts_event_classes_are_restored_on_exit():
    from dbt_common.events.base_types import BaseEvent
    from dbt_common.events.event_manager import EventManager

    before = (BaseEvent.__init__, BaseEvent.__getattr__, BaseEvent.__setattr__, EventManager.fire_event)
    with dbt_child.events_kept_only():
        assert BaseEvent.__init__ is not before[0]
    assert (BaseEvent.__init__, BaseEvent.__getattr__, BaseEvent.__setattr__,
            EventManager.fire_event) == before
