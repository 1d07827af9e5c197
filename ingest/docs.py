"""The dbt docs site as one static page, generated from a published warehouse.

``dbt docs generate`` opens the database to read its catalog. To leave the
live file to its readers, the site is generated from a private copy of it.
The page is dbt's single-file site (what ``--static`` writes: the docs app
with the manifest and the catalog inlined), written as ``index.html`` into
the output folder, after two additions to the manifest:

* the **catalogue of data-quality checks** (the seed ``data_quality_checks``,
  as loaded in the warehouse) is rendered as a table into that seed's page,
  so every ``check_id`` of ``fct_data_quality_issues`` can be looked up in
  the site;
* seeds get the ``identifier`` the docs app reads for its example query
  (without it the seed pages show ``from <db>.reference.undefined``).
"""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import tempfile
from pathlib import Path

from ingest.build import run_dbt, target_dir

CHECKS_SEED = "data_quality_checks"


class DocsFailed(Exception):
    """dbt could not generate the site."""


def generate(warehouse: Path, out: Path) -> Path:
    if not warehouse.exists():
        raise DocsFailed(f"{warehouse}: no warehouse; run `yibao run PATH` first")
    with tempfile.TemporaryDirectory(prefix="yibao-docs-") as tmp:
        copy = Path(tmp) / warehouse.name
        shutil.copyfile(warehouse, copy)
        proc = run_dbt(["docs", "generate", "--static"], copy)
        target = target_dir(copy)
        page = target / "static_index.html"
        if proc.returncode != 0 or not page.exists():
            tail = (proc.stdout or "").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
            raise DocsFailed(f"dbt docs generate failed: {tail[0][-300:]}")
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        complete_seeds(manifest, checks_catalogue(copy))
        out.mkdir(parents=True, exist_ok=True)
        (out / "index.html").write_text(
            static_page(manifest, (target / "catalog.json").read_text(encoding="utf-8")),
            encoding="utf-8")
    return out / "index.html"


def checks_catalogue(warehouse: Path) -> tuple[list[str], list[tuple]]:
    """The check catalogue as the warehouse holds it: (columns, rows)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        relation = con.sql(f"select * from reference.{CHECKS_SEED} order by check_id")
        return relation.columns, relation.fetchall()
    except duckdb.Error as exc:
        raise DocsFailed(f"{warehouse}: no check catalogue ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()


def markdown_table(columns: list[str], rows: list[tuple]) -> str:
    def cell(value) -> str:
        return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def complete_seeds(manifest: dict, catalogue: tuple[list[str], list[tuple]]) -> None:
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "seed":
            continue
        node.setdefault("identifier", node.get("alias") or node.get("name"))
        if node.get("name") == CHECKS_SEED:
            columns, rows = catalogue
            node["description"] = (f"{node.get('description', '').rstrip()}\n\n"
                                   f"### 检查目录 The {len(rows)} checks\n\n"
                                   f"{markdown_table(columns, rows)}\n")


def static_page(manifest: dict, catalog_json: str) -> str:
    """dbt's docs app with the manifest and catalog inlined (as `--static` does)."""
    from dbt.task.docs import DOCS_INDEX_FILE_PATH

    page = Path(DOCS_INDEX_FILE_PATH).read_text(encoding="utf-8")
    for marker, data in (('"MANIFEST.JSON INLINE DATA"', json.dumps(manifest)),
                         ('"CATALOG.JSON INLINE DATA"', catalog_json)):
        if marker not in page:
            raise DocsFailed(f"dbt's docs page has no {marker} placeholder (dbt version changed?)")
        page = page.replace(marker, data)
    return page


def serve(folder: Path, port: int) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"serving the docs site at http://127.0.0.1:{port}/ (Ctrl-C stops)")
        httpd.serve_forever()
