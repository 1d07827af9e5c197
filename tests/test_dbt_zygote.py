"""The dbt zygote: dbt commands run in its forked children with their own
status and output; a dead zygote is replaced; a killed ``yibao`` takes the
zygote and the dbt child with it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ingest import build
from ingest.dbt_zygote import Zygote

ROOT = Path(__file__).resolve().parent.parent


def _run(zygote: Zygote, args: list[str], cwd: Path) -> tuple[int, str]:
    with tempfile.TemporaryFile() as out:
        status = zygote.run(args, cwd, build._child_env(), out.fileno(), out.fileno())
        out.seek(0)
        return status, out.read().decode()


def test_each_command_is_a_child_with_its_own_status_and_output(tmp_path):
    zygote = Zygote(build._child_env())
    try:
        status, out = _run(zygote, ["--version"], tmp_path)
        assert status == 0 and "dbt" in out.lower()
        status, out = _run(zygote, ["no-such-command"], tmp_path)
        assert status == 2 and "No such command" in out
        status, _ = _run(zygote, ["--version"], tmp_path)   # the zygote serves on
        assert status == 0
    finally:
        zygote.close()
    assert zygote.proc.returncode == 0   # it ended at the end of its socket


def test_a_dead_zygote_is_replaced_by_the_next_command(monkeypatch, tmp_path):
    monkeypatch.setattr(build, "_zygote", None)
    first = build.warm_up()
    first.proc.kill()
    first.proc.wait()
    second = build.warm_up()
    try:
        assert second is not first and second.alive()
        assert _run(second, ["--version"], tmp_path)[0] == 0
    finally:
        second.close()


def test_without_the_zygote_dbt_is_a_process_of_its_own(monkeypatch, tmp_path):
    monkeypatch.setenv("YIBAO_DBT_ZYGOTE", "0")
    monkeypatch.setattr(build, "_zygote", None)
    assert build.warm_up() is None and build._zygote is None
    warehouse = tmp_path / "w.duckdb"
    warehouse.touch()
    proc = build.run_dbt(["no-such-command"], warehouse)   # dbt's answer, from a plain child
    assert proc.args[:3] == [sys.executable, "-m", "ingest.dbt_child"]
    assert proc.returncode == 2 and "No such command" in proc.stdout
    assert build._zygote is None


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_yibao_leaves_no_zygote_and_no_dbt_child(built_warehouse, tmp_path):
    """The dbt child is stopped (SIGSTOP) before ``yibao`` is killed, so that it
    can't end on its own: only the kill it gets when the zygote dies ends it."""
    live = tmp_path / "w.duckdb"
    shutil.copy(built_warehouse, live)
    proc = subprocess.Popen([sys.executable, "-m", "ingest.cli", "build", "--warehouse", str(live)],
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pids: set[int] = set()
    try:
        deadline, dbt = time.monotonic() + 120, []
        while not dbt and time.monotonic() < deadline and proc.poll() is None:
            dbt = [(z, c) for z in _children(proc.pid) for c in _children(z)]
            time.sleep(0.02)
        assert dbt, "no dbt child of a zygote seen while the build ran"
        pids = {pid for pair in dbt for pid in pair}
        for _, child in dbt:
            os.kill(child, signal.SIGSTOP)
        proc.send_signal(signal.SIGKILL)   # the main process only, as kill -9 does
        proc.wait()
        deadline = time.monotonic() + 30
        while any(map(_alive, pids)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in pids if _alive(pid)]
    finally:
        for pid in [proc.pid, *pids]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()
