"""A run that changes nothing publishes nothing; a rebuild does not grow the file."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb

from ingest.cli import main
from ingest.publish_record import project_sha256, unchanged_since_last_build

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _live(built_warehouse: Path, tmp_path: Path) -> Path:
    live = tmp_path / "live" / "yibao.duckdb"
    live.parent.mkdir()
    shutil.copy(built_warehouse, live)
    return live


def test_a_run_with_nothing_changed_publishes_nothing(built_warehouse, tmp_path, capsys):
    live = _live(built_warehouse, tmp_path)
    before = _sha(live)
    assert main(["run", str(CORPUS), "--warehouse", str(live)]) == 0
    assert "nothing changed since build" in capsys.readouterr().out
    assert _sha(live) == before


def test_a_new_file_or_another_project_is_a_change(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    hashes = {r[0] for r in con.execute("select sha256 from raw.documents").fetchall()}
    con.close()
    project = project_sha256()
    assert unchanged_since_last_build(built_warehouse, hashes, project)
    assert unchanged_since_last_build(built_warehouse, hashes | {"0" * 64}, project) is None
    assert unchanged_since_last_build(built_warehouse, hashes, "f" * 64) is None


def test_the_published_file_does_not_grow_when_rebuilt(built_warehouse, tmp_path):
    live = _live(built_warehouse, tmp_path)
    size = live.stat().st_size
    assert main(["build", "--warehouse", str(live)]) == 0
    assert live.stat().st_size == size
    con = duckdb.connect(str(live), read_only=True)
    try:
        comments = con.execute("select count(*) from duckdb_columns() where schema_name = 'marts' "
                               "and comment is not null").fetchone()[0]
        builds = con.execute("select count(*) from meta.build_info").fetchone()[0]
    finally:
        con.close()
    assert comments > 50 and builds == 2
