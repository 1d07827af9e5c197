"""`yibao analyses`: every comparison query of analyses/ is plain SQL, is
listed, and returns rows on the sample warehouse, printed or as CSV."""
from __future__ import annotations

import csv

import pytest

from ingest.analyses import available
from ingest.cli import main

NAMES = [a.name for a in available()]


def test_analyses_are_plain_sql_with_a_question():
    assert len(NAMES) >= 8
    for analysis in available():
        assert "{{" not in analysis.sql and "{%" not in analysis.sql, analysis.name
        assert analysis.headline, analysis.name


def test_listing_names_every_analysis(capsys):
    assert main(["analyses"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert listed == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_analysis_returns_rows_on_the_sample_warehouse(name, built_warehouse, tmp_path):
    out = tmp_path / f"{name}.csv"
    assert main(["analyses", name, "--csv", str(out), "--warehouse", str(built_warehouse)]) == 0
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) >= 2, f"{name} returned no rows on the sample corpus"


def test_printed_result_and_unknown_name(built_warehouse, capsys):
    assert main(["analyses", "budget_vs_final_by_code", "--warehouse", str(built_warehouse)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("department_name\tfiscal_year\tfunctional_code")
    assert main(["analyses", "no_such_query", "--warehouse", str(built_warehouse)]) == 1
    assert "no analysis named 'no_such_query'" in capsys.readouterr().err
