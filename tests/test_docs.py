"""The docs site: every marts model and column documented, the static page
renders its models and the catalogue of checks in a real browser, and every
analysis compiles and returns rows on the sample corpus."""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from ingest.build import run_dbt, target_dir

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"


def test_every_marts_model_and_column_is_documented(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        tables = con.execute("select table_name, coalesce(comment, '') from duckdb_tables() "
                             "where schema_name = 'marts'").fetchall()
        columns = con.execute("select table_name, column_name, coalesce(comment, '') "
                              "from duckdb_columns() where schema_name = 'marts'").fetchall()
    finally:
        con.close()
    assert len(tables) >= 12
    undocumented = [t for t, c in tables if len(c.strip()) < 10]
    undocumented += [f"{t}.{col}" for t, col, c in columns if len(c.strip()) < 3]
    assert undocumented == [], f"undocumented marts models/columns: {undocumented}"
    described = [(t, c) for t, c in tables] + [(f"{t}.{col}", c) for t, col, c in columns]
    not_bilingual = [name for name, text in described
                     if not re.search(r"[\u4e00-\u9fff]", text) or not re.search(r"[A-Za-z]{3}", text)]
    assert not_bilingual == [], f"described in one language only: {not_bilingual}"


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_static_docs_page_lists_the_marts_models_in_a_browser(built_warehouse, tmp_path):
    from ingest.docs import generate

    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (make test installs Debian's chromium)")
        pytest.skip("chromium not installed")
    page = generate(built_warehouse, tmp_path / "site")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=15000"]
    dom = subprocess.run([browser, *flags, "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=180).stdout
    for model in ("dim_departments", "fct_functional_lines", "fct_indicator_results",
                  "rpt_department_years"):
        # a rendered node of the model tree, not just the embedded manifest JSON
        # (the page's search list renders only its first 20 models as links)
        assert f'data-nav-unique-id="model.yibao.{model}"' in dom, model
    seed_page = subprocess.run([browser, *flags, "--dump-dom",
                                page.as_uri() + "#!/seed/seed.yibao.data_quality_checks"],
                               capture_output=True, text=True, timeout=180).stdout
    with (ROOT / "seeds" / "data_quality_checks.csv").open(encoding="utf-8", newline="") as f:
        check_ids = [row["check_id"] for row in csv.DictReader(f)]
    missing = [c for c in check_ids if f"<td>{c}</td>" not in seed_page]
    assert check_ids and missing == [], f"checks not in the docs site's catalogue: {missing}"
    assert 'class="token keyword">undefined</span>' not in seed_page
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "docs-site.png"
    subprocess.run([browser, *flags, "--window-size=1400,1000", f"--screenshot={shot}",
                    page.as_uri() + "#!/model/model.yibao.rpt_department_years"],
                   capture_output=True, timeout=180)
    assert shot.exists() and shot.stat().st_size > 10_000


def _analyses() -> list[str]:
    return sorted(p.stem for p in (ROOT / "analyses").glob("*.sql"))


def test_there_are_at_least_eight_analyses_each_explained():
    names = _analyses()
    assert len(names) >= 8
    for name in names:
        first = (ROOT / "analyses" / f"{name}.sql").read_text(encoding="utf-8").lstrip()
        assert first.startswith("--"), f"{name} must open with a comment on what it answers"


@pytest.fixture(scope="module")
def compiled_analyses(built_warehouse, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("compile") / "yibao.duckdb"
    shutil.copyfile(built_warehouse, copy)
    proc = run_dbt(["compile", "--select", "resource_type:analysis"], copy)
    assert proc.returncode == 0, proc.stdout[-2000:]
    return target_dir(copy) / "compiled" / "yibao" / "analyses"


@pytest.mark.parametrize("name", _analyses())
def test_analysis_compiles_and_returns_rows(name, compiled_analyses, built_warehouse):
    sql = (compiled_analyses / f"{name}.sql").read_text(encoding="utf-8")
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rows, f"analysis {name} returned no rows on the sample corpus"
