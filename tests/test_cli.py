"""The `yibao` command's interface (CONTRACT.md): help, warehouse path, exit codes."""
from __future__ import annotations

import subprocess
import sys

import pytest

from ingest.cli import main
from ingest.cli_args import DEFAULT_WAREHOUSE, warehouse_path


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args],
                          capture_output=True, text=True, env=env)


@pytest.mark.parametrize("command", ["ingest", "build", "run", "evaluate"])
def test_every_command_explains_itself(command):
    res = run(command, "--help")
    assert res.returncode == 0
    assert "--warehouse" in res.stdout


def test_warehouse_path_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("YIBAO_WAREHOUSE", raising=False)
    assert warehouse_path(None) == DEFAULT_WAREHOUSE
    assert DEFAULT_WAREHOUSE.parts[-2:] == ("warehouse", "yibao.duckdb")
    monkeypatch.setenv("YIBAO_WAREHOUSE", str(tmp_path / "env.duckdb"))
    assert warehouse_path(None) == tmp_path / "env.duckdb"
    assert warehouse_path(str(tmp_path / "arg.duckdb")) == tmp_path / "arg.duckdb"


def test_missing_path_fails_with_one_line(tmp_path):
    res = run("ingest", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert res.returncode != 0
    assert res.stderr.strip().count("\n") == 0 and "no such file" in res.stderr


def test_build_without_warehouse_fails_with_one_line(tmp_path):
    res = run("build", "--warehouse", str(tmp_path / "none.duckdb"))
    assert res.returncode != 0
    assert res.stderr.startswith("yibao: ") and res.stderr.strip().count("\n") == 0


def test_evaluate_without_gold_fails(tmp_path):
    assert main(["evaluate", "--gold", str(tmp_path / "nogold"),
                 "--warehouse", str(tmp_path / "w.duckdb")]) == 1


def test_unknown_command_is_a_usage_error():
    assert run("frobnicate").returncode == 2
