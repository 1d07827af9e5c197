"""Done-when of issue 17: the sample corpus plus every odd file publishes, the
samples' facts are those of a run without the odd files, and each odd file is
accounted for (loaded with its issues, or recorded with its reason)."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.oddfiles import copy_corpus, make_odd_folder

pytestmark = pytest.mark.slow
VOLATILE = {"source_file", "loaded_at", "file_name", "built_at", "build_id"}


def _facts(wh: Path, ids: list[str]) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        out = {}
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.columns where table_schema = 'marts' "
            "and column_name = 'document_id' and table_name like 'fct\\_%' escape '\\' "
            "order by 1").fetchall()]
        for table in tables:
            cols = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = ? order by ordinal_position", [table]).fetchall()]
            keep = ", ".join(f'"{c}"' for c in cols if c not in VOLATILE)
            rows = con.execute(f'select {keep} from marts."{table}" where document_id = any(?)',
                               [ids]).fetchall()
            out[table] = sorted(map(repr, rows))
        return out
    finally:
        con.close()


def _q(wh: Path, sql: str):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_odd_files_publish_alongside_the_samples_and_each_is_accounted_for(
        built_warehouse, tmp_path, monkeypatch, capsys):
    from ingest.cli import main

    reports = copy_corpus(tmp_path / "reports")
    made = make_odd_folder(reports / "odd", tmp_path / "outside", big_mb=50)
    monkeypatch.setenv("YIBAO_MAX_FILE_MB", "20")
    monkeypatch.setenv("YIBAO_FILE_TIMEOUT", "120")
    wh = tmp_path / "odd.duckdb"
    unreadable = Path("/proc/self/mem")    # regular file whose read() fails (EIO), even for root
    assert main(["run", str(reports), str(unreadable), "--warehouse", str(wh)]) == 0
    err = capsys.readouterr().err

    copied = {f.name for f in reports.rglob("*") if f.is_file()}
    samples = [r[0] for r in _q(built_warehouse, "select document_id, file_name from marts.dim_documents")
               if r[1] in copied]
    assert len(samples) >= 6 and any(name.endswith(".pdf") for name in copied)
    assert _facts(wh, samples) == _facts(built_warehouse, samples)

    docs = {r[0] for r in _q(wh, "select file_name from raw.documents")}
    errors = {}
    for source, stage, reason in _q(wh, "select source_file, stage, reason from raw.ingest_errors"):
        errors.setdefault(Path(source).name, []).append((stage, reason))
    aliases = [Path(r[0]).name for r in _q(wh, "select source_file from raw.document_aliases")]

    def accounted(name: str) -> bool:
        return name in docs or name in errors

    twins = {"copy of a report.txt", made["duplicate_of"]}
    assert len(aliases) == 1 and set(aliases) | (docs & twins) == twins   # loaded once, one alias
    for kind in ("amount_15_digits", "amount_100000_digits"):
        name = made[kind].name
        assert name in docs and any(stage == "validate" for stage, _ in errors[name]), kind
    for kind in ("replacement_char", "ocr_typo", "prose_only", "web_page", "unreadable"):
        assert accounted(made[kind].name), kind
    assert any("above the limit" in why for _, why in errors["big.txt"])
    assert [stage for stage, _ in errors["big5.txt"]] == ["decode"]
    assert any(stage == "read" for stage, _ in errors["mem"])
    assert "\\xc6\\xd5\\xcd\\xd3\\xc7\\xf8\\xb1\\xa8\\xb8\\xe6.txt" in docs
    assert "link-out.txt: skipped: a symbolic link" in err
    outside_unit = _q(wh, "select count(*) from raw.document_identity "
                          "where department_name like '%国有资产监督管理委员会%'")
    assert outside_unit == [(0,)]
    assert not os.path.exists(str(wh) + ".wal")
