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
