"""Shared fixtures: the sample corpus built once into a temporary warehouse.

The evaluation against ``../shared/gold`` (when that folder is beside the
repository, as on developers' machines and in CI) is written to
``artifacts/evaluation.txt`` and printed at the end of the run.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT.parent / "shared" / "gold"
ARTIFACTS = ROOT / "artifacts"

os.environ.setdefault("DO_NOT_TRACK", "1")

_evaluation_text: list[str] = []


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """`yibao run corpus` into a fresh warehouse; returns its path."""
    from ingest.cli import main

    warehouse = tmp_path_factory.mktemp("wh") / "yibao.duckdb"
    assert main(["run", str(CORPUS), "--warehouse", str(warehouse)]) == 0
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
    _evaluation_text.append(render(report, details=0))
    return report


SLOW_FIXTURES = {"built_warehouse", "evaluation"}


def pytest_collection_modifyitems(config, items):
    """Mark every test that needs the built warehouse as ``slow`` (see pyproject)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter):
    for text in _evaluation_text:
        terminalreporter.write_sep("=", "yibao evaluate on ../shared/gold")
        terminalreporter.write_line(text)
