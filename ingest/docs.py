"""The dbt docs site as one static page, generated from a published warehouse.

``dbt docs generate`` opens the database to read its catalog. To leave the
live file to its readers, the site is generated from a private copy of it;
the result is ``dbt docs generate --static``'s single ``static_index.html``,
written as ``index.html`` into the output folder.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
from pathlib import Path

from ingest.build import run_dbt, target_dir


class DocsFailed(Exception):
    """dbt could not generate the site."""


def generate(warehouse: Path, out: Path) -> Path:
    if not warehouse.exists():
        raise DocsFailed(f"{warehouse}: no warehouse; run `yibao run PATH` first")
    with tempfile.TemporaryDirectory(prefix="yibao-docs-") as tmp:
        copy = Path(tmp) / warehouse.name
        shutil.copyfile(warehouse, copy)
        proc = run_dbt(["docs", "generate", "--static"], copy)
        page = target_dir(copy) / "static_index.html"
        if proc.returncode != 0 or not page.exists():
            tail = (proc.stdout or "").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
            raise DocsFailed(f"dbt docs generate failed: {tail[0][-300:]}")
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, out / "index.html")
    return out / "index.html"


def serve(folder: Path, port: int) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"serving the docs site at http://127.0.0.1:{port}/ (Ctrl-C stops)")
        httpd.serve_forever()
