"""Shared fixtures: the sample corpus built once into a temporary warehouse.

The evaluation against ``../shared/gold`` (when that folder is beside the
repository, as on developers' machines and in CI) is written to
``artifacts/evaluation.txt`` and printed at the end of the run.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.sampletext import RENDERINGS_ENV

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT.parent / "shared" / "gold"
ARTIFACTS = ROOT / "artifacts"

os.environ.setdefault("DO_NOT_TRACK", "1")

SUMMARY = ARTIFACTS / "evaluation-summary.txt"


def pytest_configure(config):
    """One folder per run for the PDF renderings the tests share
    (tests/sampletext.py); made in the controller, before the xdist workers
    start, so that they inherit its name."""
    if not hasattr(config, "workerinput") and RENDERINGS_ENV not in os.environ:
        config.yibao_renderings = tempfile.mkdtemp(prefix="yibao-renderings-")
        os.environ[RENDERINGS_ENV] = config.yibao_renderings


def pytest_unconfigure(config):
    folder = getattr(config, "yibao_renderings", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(RENDERINGS_ENV, None)


def pytest_sessionstart(session):
    """Forget an earlier run's summary (in the controller, or without xdist)."""
    if not hasattr(session.config, "workerinput"):
        SUMMARY.unlink(missing_ok=True)


def _shared_dir(tmp_path_factory) -> Path:
    """The run's folder for the sample warehouse, the same for every xdist worker."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return tmp_path_factory.getbasetemp() / "wh"
    return tmp_path_factory.getbasetemp().parent / "wh"


@pytest.fixture(autouse=True)
def shared_dbt_parse(tmp_path_factory) -> None:
    """Every dbt of the run starts from the sample warehouse's parse of the
    project once it exists (dbt checks that it still fits, else parses the
    project afresh): 2-4 CPU-seconds less for each of the suite's builds.
    dbt refuses the setting while the file does not exist, hence set late."""
    if "DBT_PARTIAL_PARSE_FILE_PATH" not in os.environ:
        parse = _shared_dir(tmp_path_factory) / "target" / "partial_parse.msgpack"
        if parse.exists():
            os.environ["DBT_PARTIAL_PARSE_FILE_PATH"] = str(parse)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """`yibao run corpus` into a fresh warehouse; returns its path.

    Built once per test run: under pytest-xdist the first worker to need it
    builds it under a lock in the run's shared temporary folder and the others
    wait and open the same file (tests only read it, or copy it first)."""
    from ingest.cli import main

    shared = _shared_dir(tmp_path_factory)
    shared.mkdir(exist_ok=True)
    warehouse = shared / "yibao.duckdb"
    with open(shared / "build.lock", "w") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)
        done = shared / "built"
        if not done.exists():
            assert main(["run", str(CORPUS), "--warehouse", str(warehouse)]) == 0
            done.touch()
    return warehouse


@pytest.fixture(scope="session")
def evaluation(built_warehouse):
    """The extraction scored against the shared answer key (skipped without it)."""
    from ingest.evaluate import evaluate, render

    if not GOLD.is_dir():
        pytest.skip(f"no answer key at {GOLD}")
    report = evaluate(built_warehouse, GOLD)
    text = render(report, details=50)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "evaluation.txt").write_text(text + "\n", encoding="utf-8")
    SUMMARY.write_text(render(report, details=0) + "\n", encoding="utf-8")
    return report


SLOW_FIXTURES = {"built_warehouse", "evaluation"}

# The modules that take longest (measured with `--durations`), in the order the
# workers start them, so that none is left running alone at the end of a run:
# test_publish builds the shared warehouse meanwhile the other worker runs
# test_sigkill, which needs none. A module not listed here comes after these
# if it is slow (its markers), else with the quick ones, most tests first.
LONGEST_FIRST = ("test_publish", "test_sigkill", "test_republished", "test_readers_pdf", "test_docs",
                 "test_safety", "test_ray_engine", "test_hostile_text", "test_warehouse",
                 "test_odd_files", "test_bad_files", "test_batching", "test_no_change",
                 "test_comparisons", "test_keys")


def _is_slow(item) -> bool:
    return bool(item.get_closest_marker("slow") or item.get_closest_marker("ray"))


def pytest_collection_modifyitems(config, items):
    """Mark every test that needs the built warehouse as ``slow`` (see pyproject),
    and order the modules for ``--dist loadscope --no-loadscope-reorder``
    (pyproject): xdist hands whole modules to the workers in this order (its
    default order, most tests first, left the one-test SIGKILL module for last)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)

    def rank(module: str) -> tuple[int, int]:
        name = Path(module).stem
        if name in LONGEST_FIRST:
            return 0, LONGEST_FIRST.index(name)
        tests = modules[module]
        return (1 if any(map(_is_slow, tests)) else 2), -len(tests)
    items[:] = [item for module in sorted(modules, key=rank) for item in modules[module]]


def pytest_terminal_summary(terminalreporter):
    """Print the score (written by whichever xdist worker built the warehouse)."""
    if SUMMARY.exists():
        terminalreporter.write_sep("=", "yibao evaluate on ../shared/gold")
        terminalreporter.write_line(SUMMARY.read_text(encoding="utf-8").rstrip())
