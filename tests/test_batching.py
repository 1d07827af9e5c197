"""Bounded-memory ingest: facts reach the raw layer in batches, through a sink,
from chunks of files, and the result is the same as one batch at the end."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest import load, pipeline
from ingest.readers import supported
from ingest.schema import raw_schema
from ingest.text import fold_width, normalize_label

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


class RecordingSink:
    def __init__(self):
        self.batches: list[list[str]] = []
        self.committed = self.aborted = False

    def write(self, items, loaded_at):
        self.batches.append([item["source_file"] for item in items])

    def commit(self):
        self.committed = True

    def abort(self):
        self.aborted = True


@pytest.fixture
def reports(tmp_path) -> Path:
    """The seeds' .txt, the smallest of the samples' .pdf (the PDFs are ~95 % of
    the corpus' parse time, ~2 CPU-s each; one takes the PDF path through the
    pool as well as four) and an empty file."""
    folder = tmp_path / "reports"
    folder.mkdir()
    corpus = sorted(f for f in CORPUS.rglob("*") if f.is_file() and supported(f.name))
    texts = [f for f in corpus if f.suffix == ".txt"]
    pdf = min((f for f in corpus if f.suffix == ".pdf"), key=lambda f: f.stat().st_size)
    assert len(texts) >= 5
    for i, f in enumerate([pdf, *texts]):
        shutil.copy(f, folder / f"{i:02d}{f.suffix}")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _tasks(folder: Path) -> list[pipeline.Task]:
    summary = pipeline.Summary()
    return pipeline.plan(pipeline.discover([folder]), set(), summary)


def test_chunks_cover_every_file_once_in_order(reports):
    tasks = _tasks(reports)
    for workers in (1, 2, 8):
        chunks = pipeline.chunked(tasks, workers, size=3)
        assert [t for c in chunks for t in c] == tasks
        assert max(map(len, chunks)) <= 3


def test_sink_receives_bounded_batches_covering_every_file(reports):
    tasks = _tasks(reports)
    sink, summary = RecordingSink(), pipeline.Summary()
    pipeline.run_tasks(tasks, sink, summary, workers=2, batch_documents=3)
    written = [f for batch in sink.batches for f in batch]
    assert written == [t[1] for t in tasks]
    assert len(sink.batches) >= len(tasks) // 4 and all(len(b) <= 3 + pipeline.CHUNK_FILES
                                                        for b in sink.batches)
    assert summary.loaded == len(tasks) - 1 and summary.failed == 1


def _raw(warehouse: Path) -> dict[str, list]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for table in load.all_raw_schemas():
            cols = [c for c in load.all_raw_schemas()[table] if c != "loaded_at"]
            out[table] = sorted(map(repr, con.execute(
                f"select {', '.join(cols)} from raw.{table}").fetchall()))
        return out
    finally:
        con.close()


def test_many_small_batches_load_the_same_facts_as_one(reports, tmp_path, monkeypatch):
    one = tmp_path / "one.duckdb"
    pipeline.ingest([reports], one, workers=1)
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 2)
    monkeypatch.setattr(pipeline, "CHUNK_FILES", 1)
    many = tmp_path / "many.duckdb"
    pipeline.ingest([reports], many, workers=2)
    assert _raw(one) == _raw(many)
    assert sum(map(len, _raw(one).values())) > 1000


def test_a_failed_ingest_writes_nothing(reports, tmp_path, monkeypatch):
    wh = tmp_path / "w.duckdb"
    calls = []

    def failing_engine(fn, chunks, workers):
        for chunk in chunks:
            calls.append(chunk)
            if len(calls) == 3:
                raise RuntimeError("worker lost")
            yield fn(chunk)

    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 1)
    with pytest.raises(RuntimeError, match="worker lost"):
        pipeline.ingest([reports], wh, workers=1, engine=failing_engine)
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select count(*) from raw.documents").fetchone() == (0,)
    con.close()


def test_fold_width_and_labels():
    assert fold_width("１２３％（ａ）　，ｚ～！") == "123%(a) ,z~!"
    assert fold_width("合计") == "合计"
    assert normalize_label(" 合 计（万元）") == "合计(万元)"
    assert normalize_label(None) == "" and normalize_label("") == ""


def _item(source_file: str, sha: str, names: list[str]) -> dict:
    doc = {"document_id": sha[:16], "source_file": source_file, "file_name": source_file,
           "sha256": sha, "encoding": "utf-8", "line_count": len(names),
           "loaded_at": datetime(2026, 1, 1)}
    rows = [{"table_no": "1", "table_title": "支出决算表", "table_kind": "expenditure",
             "classification": "functional", "code": "2080501", "line_name": name,
             "measure_label": "合计", "measure": "total", "amount_text": "1.00", "unit": "万元",
             "amount_wan_yuan": None, "source_line": k + 1, "source_page": None,
             "source_locator": None} for k, name in enumerate(names)]
    return {"source_file": source_file, "sha256": sha, "document": doc,
            "rows": {"line_items": rows}, "errors": []}


def _names(wh: Path, source_file: str) -> list[str]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return [r[0] for r in con.execute("select line_name from raw.line_items where source_file = ? "
                                          "order by source_line", [source_file]).fetchall()]
    finally:
        con.close()


def test_a_file_written_again_replaces_its_rows_in_one_run_and_across_runs(tmp_path):
    """The sink skips deletes for files the raw layer has no rows of; a file
    written earlier (this transaction or a committed one) is still replaced."""
    wh = tmp_path / "w.duckdb"
    at = datetime(2026, 1, 1)
    con = load.connect(wh)
    sink = load.DuckDBSink(con)
    sink.write([_item("a.txt", "a" * 64, ["旧甲", "旧乙"])], at)
    sink.write([_item("b.txt", "b" * 64, ["乙"]), _item("a.txt", "c" * 64, ["新甲"])], at)
    sink.commit()
    con.close()
    assert _names(wh, "a.txt") == ["新甲"]
    con = load.connect(wh)
    sink = load.DuckDBSink(con)
    sink.write([_item("b.txt", "d" * 64, ["新乙", "新丙"])], at)
    sink.commit()
    con.close()
    assert _names(wh, "b.txt") == ["新乙", "新丙"]
    assert _names(wh, "a.txt") == ["新甲"]


def test_the_sink_caps_duckdb_while_it_appends_and_lifts_the_cap_after(tmp_path):
    """Gathered rows reach the tables at ``flush`` (before any reader in the
    transaction); between its first write and ``flush``/``commit`` the sink holds
    DuckDB to what the transaction needs + ``LOAD_MEMORY``, then restores the limit."""
    def limit(con) -> int:   # bytes, to DuckDB's printed precision (0.1 MiB)
        return load._size_bytes(con.execute("select current_setting('memory_limit')").fetchone()[0])

    con = load.connect(tmp_path / "w.duckdb")
    before = limit(con)
    sink = load.DuckDBSink(con)
    sink.write([_item("a.txt", "a" * 64, ["甲", "乙"])], datetime(2026, 1, 1))
    assert limit(con) < before - 2**20
    assert con.execute("select count(*) from raw.line_items").fetchone() == (0,)   # gathered
    sink.flush()
    assert abs(limit(con) - before) <= 2**20
    assert con.execute("select count(*) from raw.line_items").fetchone() == (2,)
    sink.write([_item("b.txt", "b" * 64, ["丙"])], datetime(2026, 1, 1))
    sink.commit()
    assert abs(limit(con) - before) <= 2**20
    con.close()
    assert _names(tmp_path / "w.duckdb", "b.txt") == ["丙"]


def test_the_sink_inserts_what_it_gathered_once_it_holds_its_buffer_of_rows(tmp_path):
    """Rows wait in the sink until it holds ``buffer_rows`` of them (then one insert
    per table writes them all), so a load holds a bounded number of rows."""
    con = load.connect(tmp_path / "w.duckdb")
    sink = load.DuckDBSink(con, buffer_rows=5)
    at = datetime(2026, 1, 1)

    def written() -> int:
        return con.execute("select count(*) from raw.line_items").fetchone()[0]

    sink.write([_item("a.txt", "a" * 64, ["甲", "乙"])], at)
    assert written() == 0 and sink.pending_rows > 0
    sink.write([_item("b.txt", "b" * 64, ["丙", "丁", "戊"])], at)   # 7 rows held (with the documents rows)
    assert written() == 5 and sink.pending_rows == 0
    sink.write([_item("c.txt", "c" * 64, ["己"])], at)
    assert written() == 5
    sink.commit()
    con.close()
    assert _names(tmp_path / "w.duckdb", "c.txt") == ["己"]


def test_a_batch_carries_each_row_lineage_in_columns_and_survives_pickling():
    """What a worker sends back: one Arrow table per raw table, every row with its
    document's lineage; pickled (as Arrow IPC) and received unchanged."""
    import pickle

    from ingest import columns

    at = datetime(2026, 1, 1)
    batch = columns.to_batch([_item("a.txt", "a" * 64, ["甲", "乙"]), _item("b.txt", "b" * 64, ["丙"]),
                              pipeline._failed("c.txt", None, "read", "cannot be read")], at)
    lines = batch.tables["line_items"]
    assert lines.column("source_file").to_pylist() == ["a.txt", "a.txt", "b.txt"]
    assert lines.column("document_id").to_pylist() == ["a" * 16, "a" * 16, "b" * 16]
    assert lines.column("source_line").to_pylist() == [1, 2, 1]
    assert set(lines.column("loaded_at").to_pylist()) == {at}
    assert lines.schema == columns.schema_of(raw_schema("line_items"))
    assert batch.tables["ingest_errors"].column("source_file").to_pylist() == ["c.txt"]
    assert [f["facts"] for f in batch] == [{"line_items": 2}, {"line_items": 1}, {}]
    assert len(batch) == 3 and batch.rows == 3 + 2 + 1   # facts, documents, errors
    received = pickle.loads(pickle.dumps(batch))
    assert received.files == batch.files
    assert {n: t.to_pylist() for n, t in received.tables.items()} == \
        {n: t.to_pylist() for n, t in batch.tables.items()}
