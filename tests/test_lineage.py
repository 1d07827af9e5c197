"""Lineage follows content: renames, swaps, copies, removals, pruning."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.pipeline import ingest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
X = sorted((CORPUS / "seeds").glob("004_*.txt"))[0]
Y = sorted((CORPUS / "seeds").glob("000_*.txt"))[0]
Z = sorted((CORPUS / "seeds").glob("002_*.txt"))[0]


def docs(wh: Path) -> dict[str, str]:
    """file name → document id, and every fact row's path agrees with its document's."""
    con = duckdb.connect(str(wh), read_only=True)
    try:
        bad = con.execute("select count(*) from raw.line_items l join raw.documents d using (document_id) "
                          "where l.source_file <> d.source_file").fetchone()[0]
        bad += con.execute("select count(*) from raw.indicators l join raw.documents d using (document_id) "
                           "where l.source_file <> d.source_file").fetchone()[0]
        assert bad == 0
        return {Path(p).name: i for p, i in con.execute(
            "select source_file, document_id from raw.documents").fetchall()}
    finally:
        con.close()


def ident(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "r"
    d.mkdir()
    shutil.copy(X, d / "a.txt")
    shutil.copy(Y, d / "b.txt")
    return d


def test_a_renamed_file_takes_its_new_path(folder, tmp_path):
    wh = tmp_path / "w.duckdb"
    ingest([folder], wh, workers=1)
    (folder / "a.txt").rename(folder / "c.txt")
    ingest([folder], wh, workers=1)
    assert docs(wh) == {"c.txt": ident(X), "b.txt": ident(Y)}


def test_swapped_contents_swap_their_labels(folder, tmp_path):
    wh = tmp_path / "w.duckdb"
    ingest([folder], wh, workers=1)
    shutil.copy(Y, folder / "a.txt")
    shutil.copy(X, folder / "b.txt")
    ingest([folder], wh, workers=1)
    assert docs(wh) == {"a.txt": ident(Y), "b.txt": ident(X)}


def test_a_copy_keeps_its_facts_when_the_original_changes(folder, tmp_path):
    wh = tmp_path / "w.duckdb"
    ingest([folder], wh, workers=1)
    shutil.copy(folder / "a.txt", folder / "copy.txt")
    shutil.copy(Z, folder / "a.txt")
    ingest([folder], wh, workers=1)
    assert docs(wh) == {"copy.txt": ident(X), "a.txt": ident(Z), "b.txt": ident(Y)}


def test_a_file_moved_over_another_replaces_it(folder, tmp_path):
    wh = tmp_path / "w.duckdb"
    ingest([folder], wh, workers=1)
    (folder / "b.txt").replace(folder / "a.txt")
    ingest([folder], wh, workers=1)
    assert docs(wh) == {"a.txt": ident(Y)}


def test_prune_drops_documents_whose_files_are_gone_and_keeps_copies(folder, tmp_path):
    wh = tmp_path / "w.duckdb"
    shutil.copy(X, folder / "twin.txt")
    ingest([folder], wh, workers=1)
    (folder / "b.txt").unlink()
    (folder / "a.txt").unlink()
    kept = ingest([folder], wh, workers=1)
    assert set(docs(wh)) == {"twin.txt", "b.txt"}     # without --prune nothing is lost
    summary = ingest([folder], wh, workers=1, prune=True)
    assert [Path(p).name for p in summary.pruned] == ["b.txt"]
    assert docs(wh) == {"twin.txt": ident(X)}
    assert kept.skipped == 1


def test_remove_by_path_or_id_publishes_without_the_document(folder, tmp_path):
    from ingest.cli import main

    wh = tmp_path / "w.duckdb"
    assert main(["ingest", str(folder), "--warehouse", str(wh)]) == 0
    assert main(["remove", str(folder / "a.txt"), "--warehouse", str(wh)]) == 0
    assert docs(wh) == {"b.txt": ident(Y)}
    assert main(["remove", ident(Y)[:10], "--warehouse", str(wh)]) == 0
    assert docs(wh) == {}
    assert main(["remove", "nothing-like-this", "--warehouse", str(wh)]) == 1


def ids(wh: Path) -> set[str]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return {r[0] for r in con.execute("select document_id from raw.documents").fetchall()}
    finally:
        con.close()


def test_remove_names_a_document_from_another_directory(tmp_path, monkeypatch, capsys):
    """Paths are stored relative to where they were ingested; ``remove`` run from
    elsewhere finds a file by its content, a deleted one by the end of its path,
    and refuses a path end that several documents share, naming them."""
    from ingest.cli import main

    for sub, src in (("2023", X), ("2024", Y)):
        (tmp_path / "reports" / sub).mkdir(parents=True)
        shutil.copy(src, tmp_path / "reports" / sub / "report.txt")
    shutil.copy(Z, tmp_path / "reports" / "2024" / "other.txt")
    wh = tmp_path / "w.duckdb"
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", "reports", "--warehouse", str(wh)]) == 0
    monkeypatch.chdir(tmp_path / "reports" / "2024")
    assert main(["remove", "other.txt", "--warehouse", str(wh)]) == 0        # by its content
    assert ids(wh) == {ident(X), ident(Y)}
    (tmp_path / "reports" / "2023" / "report.txt").unlink()
    (tmp_path / "reports" / "2024" / "report.txt").unlink()
    capsys.readouterr()
    assert main(["remove", "report.txt", "--warehouse", str(wh)]) == 1       # two documents end so
    err = capsys.readouterr().err
    assert "reports/2023/report.txt" in err and "reports/2024/report.txt" in err
    assert ids(wh) == {ident(X), ident(Y)}
    assert main(["remove", "../2023/report.txt", "--warehouse", str(wh)]) == 1   # no '..' guesses
    assert main(["remove", "2023/report.txt", "--warehouse", str(wh)]) == 0  # by its path's end
    assert ids(wh) == {ident(Y)}
