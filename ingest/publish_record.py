"""``meta.build_info``, the record of every published build (when, from which
files, with which test and audit results, with which project), and the
no-change check it serves: the project's hash, and whether the live build
already holds exactly these inputs. See ``ingest.publish``."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from ingest import __version__
from ingest.build_reuse import dbt_version
from ingest.publish_paths import STORAGE_COMPATIBILITY, wal

PROJECT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds",
                  "data-tests", "ingest")


def project_sha256() -> str:
    """One hash of everything besides the reports that a build's output depends
    on: the dbt project (models, macros, seeds, tests, config) and the ingest code."""
    from ingest.build import PROJECT_DIR
    from ingest.version import files_digest, tree_files

    digest = hashlib.sha256()
    for name in PROJECT_INPUTS:
        files_digest(tree_files(PROJECT_DIR / name), PROJECT_DIR, digest)
    return digest.hexdigest()


def unchanged_since_last_build(live: Path, input_hashes: set[str], project: str) -> str | None:
    """The id of the live build if it was a full build (dbt passed) of these same
    inputs with this same project, so building again would publish the same file."""
    if not live.exists() or wal(live).exists():
        return None
    try:
        con = duckdb.connect(str(live), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(
            "select build_id, input_sha256, failed_sha256, project_sha256, dbt_passed "
            "from meta.build_info order by built_at desc limit 1").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if not row or row[3] != project or row[4] is None:
        return None
    seen = set(row[1] or ()) | set(row[2] or ())
    return row[0] if input_hashes <= seen else None


def write_build_info(con: duckdb.DuckDBPyConnection, info: dict) -> None:
    con.execute("create schema if not exists meta")
    con.execute("""
        create table if not exists meta.build_info (
            build_id varchar, built_at timestamp, command varchar, project_version varchar,
            duckdb_version varchar, storage_compatibility varchar,
            input_file_count integer, input_sha256 varchar[],
            dbt_passed integer, dbt_warned integer,
            audit_passed boolean, audit_problems varchar[],
            data_quality_issues json, marts_row_counts json)""")
    con.execute("alter table meta.build_info add column if not exists project_sha256 varchar")
    con.execute("alter table meta.build_info add column if not exists failed_sha256 varchar[]")
    # the build's dbt and the views and seeds it left as the project makes them
    # (ingest.build_reuse: what the next build may keep)
    con.execute("alter table meta.build_info add column if not exists dbt_version varchar")
    con.execute("alter table meta.build_info add column if not exists dbt_relations varchar[]")
    try:
        hashes = [r[0] for r in con.execute("select sha256 from raw.documents order by 1").fetchall()]
    except duckdb.CatalogException:
        hashes = []
    try:
        failed = [r[0] for r in con.execute(
            "select distinct sha256 from raw.ingest_errors where stage = 'decode' order by 1").fetchall()]
    except duckdb.CatalogException:
        failed = []
    con.execute("""
        insert into meta.build_info by name select
            ? as build_id, ? as built_at, ? as command, ? as project_version,
            ? as duckdb_version, ? as storage_compatibility, ? as input_file_count,
            ? as input_sha256, ? as dbt_passed, ? as dbt_warned, ? as audit_passed,
            ? as audit_problems, ? as data_quality_issues, ? as marts_row_counts,
            ? as project_sha256, ? as failed_sha256, ? as dbt_version, ? as dbt_relations""", [
        info["build_id"], info["built_at"], info["command"], __version__, duckdb.__version__,
        STORAGE_COMPATIBILITY, len(hashes), hashes, info.get("dbt_passed"), info.get("dbt_warned"),
        info["audit"].passed, info["audit"].problems,
        json.dumps(info["audit"].issues_by_severity), json.dumps(info["audit"].counts),
        info.get("project_sha256") or project_sha256(), failed,
        dbt_version() if info.get("dbt_passed") is not None else None, info.get("dbt_relations")])
    con.execute("comment on table meta.build_info is 'One row per published build of this "
                "warehouse: when, from which files, with which test and audit results.'")
