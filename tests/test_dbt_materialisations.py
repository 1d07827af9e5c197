"""The project's own table and view materialisations (macros/materialization_*.sql)
and its column_checks test, on a tiny dbt project of their own: an enforced
contract still fails a model whose query does not match it, a model that
fails leaves its old table as it was, a changed model replaces its table and
view (a view that becomes a table too, and back), comments are written;
column_checks' combination and any-not-null rules fail the rows that break
them, and only those."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
MACROS = ("materialization_table.sql", "materialization_view.sql", "persist_docs.sql",
          "test_column_checks.sql")

pytestmark = pytest.mark.slow

PROJECT = """name: tiny
version: "1.0.0"
config-version: 2
profile: tiny
models:
  tiny:
    +persist_docs: {relation: true, columns: true}
"""
PROFILE = """tiny:
  target: dev
  outputs:
    dev: {type: duckdb, path: "%s", threads: 2}
"""
SCHEMA = """models:
  - name: %s
    description: A contracted table.
    config: {materialized: table, contract: {enforced: true}}
    columns:
      - {name: id, data_type: integer, description: The key., constraints: [{type: not_null}]}
      - {name: label, data_type: varchar, description: Its label.}
"""
GOOD = "select 1 as id, 'one' as label"
CHECKED = """models:
  - name: c_rows
    description: "Rows for column_checks. Grain: one row."
    data_tests:
      - column_checks:
          name: column_checks_c_rows
          arguments:
            unique_combinations: [[id, grp]]
            any_not_null: [[grp, note]]
"""
CLEAN_ROWS = "select * from (values (1, 'a', null), (2, 'a', 'x'), (3, null, 'y')) as t (id, grp, note)"
# (1, 'a') twice, (4, NULL) twice (NULL equals NULL in a combination), (5, NULL, NULL) all null
BAD_ROWS = ("select * from (values (1, 'a', null), (1, 'a', 'x'), (4, null, 'y'), (4, null, 'z'), "
            "(5, null, null), (6, 'b', null)) as t (id, grp, note)")


def write_project(folder: Path, models: dict[str, str]) -> None:
    (folder / "models").mkdir(parents=True, exist_ok=True)
    (folder / "macros").mkdir(exist_ok=True)
    for name in MACROS:
        shutil.copy(ROOT / "macros" / name, folder / "macros" / name)
    (folder / "dbt_project.yml").write_text(PROJECT)
    (folder / "profiles.yml").write_text(PROFILE % (folder / "tiny.duckdb"))
    for name, sql in models.items():
        (folder / "models" / f"{name}.sql").write_text(sql)
        if name.startswith("t_"):
            (folder / "models" / f"{name}.yml").write_text(SCHEMA % name)
    (folder / "models" / "c_rows.yml").write_text(CHECKED)
    (folder / "models" / "v_all.sql").write_text(
        "{{ config(materialized='view') }}\n"
        "select * from {{ ref('t_contract') }} union all select * from {{ ref('t_broken') }}"
        " union all select * from {{ ref('t_changed') }}")


def dbt_build(folder: Path) -> tuple[int, dict[str, dict], str]:
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_LOG_PATH": str(folder / "logs"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("DBT_LOG_LEVEL", None)
    env.pop("DBT_LOG_LEVEL_FILE", None)
    proc = subprocess.run([sys.executable, "-m", "ingest.dbt_child", "build",
                           "--project-dir", str(folder), "--profiles-dir", str(folder),
                           "--target-path", str(folder / "target")],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=180)
    assert (folder / "target" / "run_results.json").exists(), proc.stdout[-2000:]
    results = json.loads((folder / "target" / "run_results.json").read_text())["results"]
    return proc.returncode, {r["unique_id"].split(".")[2]: r for r in results}, proc.stdout


def rows(folder: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(folder / "tiny.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_contracts_failures_and_replacements(tmp_path):
    write_project(tmp_path, {"t_contract": GOOD, "t_broken": GOOD, "t_changed": GOOD,
                             "c_rows": CLEAN_ROWS,
                             "k_to_table": "{{ config(materialized='view') }} select 1 as id",
                             "k_to_view": "{{ config(materialized='table') }} select 1 as id"})
    code, results, out = dbt_build(tmp_path)
    assert code == 0, out
    assert results["column_checks_c_rows"]["status"] == "pass"
    assert rows(tmp_path, "select count(*) from main.v_all") == [(3,)]
    assert rows(tmp_path, "select comment from duckdb_columns() where table_name = 't_contract' "
                          "order by column_index") == [("The key.",), ("Its label.",)]
    assert rows(tmp_path, "select comment from duckdb_tables() where table_name = 't_changed'") \
        == [("A contracted table.",)]

    write_project(tmp_path, {
        "t_contract": "select 'x' as id, 'one' as label",      # id is not an integer
        "t_broken": "select 1 as id, 'one' as label from no_such_table",
        "t_changed": "select 2 as id, 'two' as label",
        "c_rows": BAD_ROWS,
        "k_to_table": "{{ config(materialized='table') }} select 2 as id",
        "k_to_view": "{{ config(materialized='view') }} select 2 as id",
    })
    code, results, out = dbt_build(tmp_path)
    assert code == 1
    assert results["column_checks_c_rows"]["status"] == "fail"
    assert results["column_checks_c_rows"]["failures"] == 5
    compiled = next((tmp_path / "target" / "compiled").rglob("column_checks_c_rows.sql")).read_text()
    assert sorted(rows(tmp_path, f"select id, failed_rules from ({compiled})")) == [
        (1, "id, grp is not unique"), (1, "id, grp is not unique"),
        (4, "id, grp is not unique"), (4, "id, grp is not unique"), (5, "grp, note all null")]
    assert results["t_contract"]["status"] == "error"
    assert "contract" in results["t_contract"]["message"].lower()
    assert results["t_broken"]["status"] == "error"
    assert "no_such_table" in results["t_broken"]["message"]
    assert results["t_changed"]["status"] == "success"
    # a view that becomes a table and a table that becomes a view replace the old relation
    switched = "in ('k_to_table', 'k_to_view')"
    assert rows(tmp_path, f"select table_name from duckdb_tables() where table_name {switched}") \
        == [("k_to_table",)]
    assert rows(tmp_path, f"select view_name from duckdb_views() where view_name {switched}") \
        == [("k_to_view",)]
    assert rows(tmp_path, "select * from main.k_to_table union all select * from main.k_to_view") \
        == [(2,), (2,)]
    # the failed models' tables are as they were; the changed one is replaced
    assert rows(tmp_path, "select * from main.t_contract") == [(1, "one")]
    assert rows(tmp_path, "select * from main.t_broken") == [(1, "one")]
    assert rows(tmp_path, "select * from main.t_changed") == [(2, "two")]
    assert rows(tmp_path, "select data_type from duckdb_columns() where table_name = 't_contract' "
                          "and column_name = 'id'") == [("INTEGER",)]
    assert rows(tmp_path, "select comment from duckdb_tables() where table_name = 't_changed'") \
        == [("A contracted table.",)]
    # one statement built each table: no table under a temporary or backup name is left
    assert rows(tmp_path, "select count(*) from duckdb_tables() where table_name like '%dbt%'") == [(0,)]
    log = (tmp_path / "logs" / "dbt.log").read_text()
    assert "Completed with 3 errors" in log and "t_broken" in log
