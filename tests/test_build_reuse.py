"""A rebuild keeps the views and seeds its last build made with the same project
(ingest.build_reuse), builds the tables and runs every data test; anything that
could make them differ builds everything."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.build import target_dir
from ingest.build_reuse import dbt_version, made_relations, reusable
from ingest.cli import main
from ingest.publish_record import project_sha256


def _node(kind: str, name: str, materialized: str, schema: str = "s") -> tuple[str, dict]:
    return f"{kind}.p.{name}", {"resource_type": kind, "schema": schema, "alias": name,
                                "config": {"materialized": materialized}}


def _manifest(tmp_path: Path, *nodes) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": dict(nodes)}), encoding="utf-8")
    return path


def test_the_views_and_seeds_of_a_manifest_are_what_a_rebuild_keeps(tmp_path):
    manifest = _manifest(tmp_path, _node("model", "v", "view", "staging"),
                         _node("model", "t", "table", "marts"),
                         _node("seed", "codes", "seed", "reference"),
                         _node("test", "not_null_t_x", "test"))
    assert made_relations(manifest) == ["reference.codes", "staging.v"]


def test_a_model_materialised_otherwise_or_no_manifest_keeps_nothing(tmp_path):
    assert made_relations(_manifest(tmp_path, _node("model", "v", "view"),
                                    _node("model", "i", "incremental"))) is None
    assert made_relations(tmp_path / "absent.json") is None


def _warehouse(tmp_path: Path, rows: list[tuple], relations=("staging.v", "reference.codes")) -> Path:
    """A file with the relations and a meta.build_info of (project, duckdb, dbt,
    recorded relations, dbt_passed) rows, oldest first."""
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema staging; create schema reference; create schema meta")
    con.execute("create table reference.codes (code varchar)")
    con.execute("create view staging.v as select * from reference.codes")
    con.execute("create table meta.build_info (built_at timestamp, project_sha256 varchar, "
                "duckdb_version varchar, dbt_version varchar, dbt_relations varchar[], "
                "dbt_passed integer)")
    for k, (project, duck, dbt, recorded, passed) in enumerate(rows):
        con.execute("insert into meta.build_info values "
                    "(timestamp '2026-01-01' + to_seconds(?), ?, ?, ?, ?, ?)",
                    [k, project, duck, dbt, recorded, passed])
    for relation in set(relations) - {"staging.v", "reference.codes"}:
        schema, name = relation.split(".")
        con.execute(f"create table {schema}.{name} (x integer)")
    con.close()
    return path


KEPT = ["reference.codes", "staging.v"]


def test_the_last_dbt_build_of_this_project_and_versions_is_kept(tmp_path):
    same = ("p1", duckdb.__version__, dbt_version(), KEPT, 80)
    ingest_only = ("p1", duckdb.__version__, None, None, None)   # after it: only raw changed
    assert reusable(_warehouse(tmp_path, [same, ingest_only]), "p1") == KEPT


@pytest.mark.parametrize("row, project", [
    (("p0", duckdb.__version__, dbt_version(), KEPT, 80), "p1"),        # another project
    (("p1", "0.9.0", dbt_version(), KEPT, 80), "p1"),                   # another DuckDB
    (("p1", duckdb.__version__, "dbt-core 1.0.0", KEPT, 80), "p1"),     # another dbt
    (("p1", duckdb.__version__, dbt_version(), None, 80), "p1"),        # nothing recorded
    (("p1", duckdb.__version__, dbt_version(), ["staging.gone"] + KEPT, 80), "p1"),  # dropped since
    (("p1", duckdb.__version__, None, None, None), "p1"),               # never built by dbt
])
def test_anything_that_could_make_them_differ_builds_everything(tmp_path, row, project):
    assert reusable(_warehouse(tmp_path, [row]), project) is None


def test_a_newer_build_of_another_project_is_the_one_asked(tmp_path):
    rows = [("p1", duckdb.__version__, dbt_version(), KEPT, 80),
            ("p2", duckdb.__version__, dbt_version(), KEPT, 80)]
    assert reusable(_warehouse(tmp_path, rows), "p1") is None


def test_a_warehouse_recorded_before_these_columns_builds_everything(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema meta")
    con.execute("create table meta.build_info (built_at timestamp, project_sha256 varchar, "
                "duckdb_version varchar, dbt_passed integer)")
    con.execute("insert into meta.build_info values (now(), 'p1', ?, 80)", [duckdb.__version__])
    con.close()
    assert reusable(path, "p1") is None


def _results(warehouse: Path) -> dict[str, str]:
    results = json.loads((target_dir(warehouse) / "run_results.json").read_text())["results"]
    return {r["unique_id"]: r["status"] for r in results}


def _marts(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from duckdb_tables() "
                                            "where schema_name = 'marts' order by 1").fetchall()]
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def test_a_rebuild_keeps_the_views_and_seeds_and_runs_every_test(built_warehouse, tmp_path, capsys):
    live = tmp_path / "live" / "yibao.duckdb"
    live.parent.mkdir()
    shutil.copy(built_warehouse, live)
    before = _marts(live)
    assert main(["build", "--warehouse", str(live)]) == 0
    assert "views and seeds kept" in capsys.readouterr().out
    ran = _results(live)
    manifest = json.loads((target_dir(live) / "manifest.json").read_text())["nodes"]
    kinds = {uid: (n["resource_type"], n["config"].get("materialized")) for uid, n in manifest.items()}
    tests = {uid for uid, (kind, _) in kinds.items() if kind == "test"}
    tables = {uid for uid, kind in kinds.items() if kind == ("model", "table")}
    kept = {uid for uid, kind in kinds.items() if kind in (("model", "view"), ("seed", "seed"))}
    assert tests and tables and kept
    assert tests | tables == set(ran)          # every data test and every table, nothing else
    assert not {s for s in ran.values()} - {"pass", "success", "warn"}
    assert _marts(live) == before
    con = duckdb.connect(str(live), read_only=True)
    try:
        recorded, = con.execute("select dbt_relations from meta.build_info "
                                "order by built_at desc limit 1").fetchone()
        for relation in recorded:               # the kept views still read the new raw layer
            con.execute(f"select count(*) from {relation}").fetchone()
    finally:
        con.close()
    assert len(recorded) == len(kept)
    assert main(["build", "--warehouse", str(live), "--rebuild"]) == 0
    assert "kept" not in capsys.readouterr().out
    assert kept <= set(_results(live))          # --rebuild makes them again
    assert reusable(live, project_sha256()) == sorted(recorded)
