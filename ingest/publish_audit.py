"""The audit and smoke steps of publishing: marts row counts and document
count of a warehouse, orphan keys in the marts, marts that lost more rows than
the tolerance allows, and every marts table queried once read-only. See
``ingest.publish``."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

FACT_KEYS = {
    "fct_functional_lines": ("document_id", "department_id"),
    "fct_economic_lines": ("document_id", "department_id"),
    "fct_indicator_results": ("document_id", "department_id"),
    "fct_project_executions": ("document_id", "department_id"),
    "fct_department_metrics": ("document_id", "department_id"),
    "fct_data_quality_issues": ("document_id",),
    "dim_documents": ("department_id",),
}


def marts_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "order by table_name").fetchall()]
    return {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}


def _document_count(con: duckdb.DuckDBPyConnection) -> int:
    try:
        return con.execute("select count(*) from raw.documents").fetchone()[0]
    except duckdb.CatalogException:
        return 0


def read_snapshot(path: Path) -> dict | None:
    """Marts row counts and document count of a published warehouse, if any."""
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {"counts": marts_counts(con), "documents": _document_count(con)}
    finally:
        con.close()


@dataclass
class Audit:
    passed: bool
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    issues_by_severity: dict[str, int] = field(default_factory=dict)


def audit(con: duckdb.DuckDBPyConnection, previous: dict | None, tolerance: float,
          marts_expected: bool) -> Audit:
    counts = marts_counts(con)
    result = Audit(passed=True, counts=counts, documents=_document_count(con))
    if marts_expected:
        for table, keys in FACT_KEYS.items():
            if table not in counts:
                result.problems.append(f"marts.{table} is missing")
                continue
            for key in keys:
                dim = "dim_documents" if key == "document_id" else "dim_departments"
                orphans = con.execute(
                    f"select count(*) from marts.{table} f where f.{key} is not null and not exists "
                    f"(select 1 from marts.{dim} d where d.{key} = f.{key})").fetchone()[0]
                if orphans:
                    result.problems.append(f"marts.{table}: {orphans} rows with an orphan {key}")
        if "fct_data_quality_issues" in counts:
            result.issues_by_severity = dict(con.execute(
                "select severity, count(*) from marts.fct_data_quality_issues group by 1").fetchall())
    if previous and result.documents >= previous["documents"]:
        for table, before in previous["counts"].items():
            after = counts.get(table, 0)
            if before and after < before * (1 - tolerance):
                result.problems.append(
                    f"marts.{table} fell from {before} to {after} rows (more than "
                    f"{tolerance:.0%}) though no document was removed")
    result.passed = not result.problems
    return result


def smoke(path: Path) -> None:
    con = duckdb.connect(str(path), read_only=True)
    try:
        for table in marts_counts(con):
            con.execute(f'select * from marts."{table}" limit 1').fetchall()
        con.execute("select count(*) from meta.build_info").fetchone()
    finally:
        con.close()
