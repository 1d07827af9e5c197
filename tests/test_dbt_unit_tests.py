"""The dbt unit tests: each model's logic on the fixed inputs its YAML gives.

`yibao build` runs the seeds, models and data tests, not the unit tests
(``ingest.build.BUILD_ARGS``): a unit test's inputs are written in the
project, so it says the same on every warehouse and is the code's test, not
the data's. They run here instead, on a copy of the sample warehouse (dbt
unit tests read the column types of the models they mock from the database).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from ingest.build import BUILD_ARGS, PROJECT_DIR, run_dbt, target_dir


def _declared_unit_tests() -> set[str]:
    names = set()
    for path in (PROJECT_DIR / "models").rglob("*.yml"):
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", []):
            names.add(test["name"])
    return names


def _results(warehouse: Path) -> list[dict]:
    return json.loads((target_dir(warehouse) / "run_results.json").read_text())["results"]


def test_every_dbt_unit_test_passes(built_warehouse, tmp_path):
    declared = _declared_unit_tests()
    assert declared, "the project declares no unit tests: this test would prove nothing"
    warehouse = tmp_path / "yibao.duckdb"
    shutil.copy(built_warehouse, warehouse)   # the shared one is read by other tests
    proc = run_dbt(["test", "--select", "test_type:unit"], warehouse)
    results = _results(warehouse)
    # a unit test is `unit_test.<project>.<model>.<name>`
    ran = {r["unique_id"].rsplit(".", 1)[1]: str(r["status"]).lower() for r in results}
    assert set(ran) == declared, (sorted(declared - set(ran)), proc.stdout[-2000:])
    failed = {name: status for name, status in ran.items() if status != "pass"}
    assert not failed, (failed, proc.stdout[-2000:])
    assert proc.returncode == 0


def test_a_build_runs_models_and_data_tests_but_no_unit_test(built_warehouse):
    assert "--exclude-resource-type" in BUILD_ARGS
    kinds = {r["unique_id"].split(".")[0] for r in _results(built_warehouse)}
    assert {"model", "seed", "test"} <= kinds
    assert "unit_test" not in kinds
