"""The raw layer as Parquet files: one folder per raw table, one part per batch.

A raw folder is where a cluster (or the local pool, with ``--raw-dir``) leaves
the facts, and what the single-machine build loads into DuckDB's ``raw``
schema before ``dbt build``, so the same dbt project builds the same marts
wherever the facts were parsed::

    <raw>/<table>/part-<batch>.parquet   every raw table of ``ingest.schema``,
                                         declared types and lineage columns
    <raw>/_manifest/batch-<batch>.json   the batch's files (source_file,
                                         sha256, document_id or null) and parts

* **Commit by manifest.** A worker writes its parts first and the batch's
  manifest file last; the loader reads only the parts that a manifest lists.
  Parts of a batch whose worker was killed before its manifest are never read.
* **Names from content.** ``<batch>`` is a hash of the batch's sorted
  (sha256, source_file) pairs, so a retried task writes the same names again
  and nothing is duplicated; ``document_id`` is the file's sha256 prefix.
* **Skipping.** The sha256 of every document in a manifest counts as ingested;
  a file that could not be read is retried on the next run, as locally.
* **Replacing.** A changed file (same ``source_file``, new content) gets a new
  part; the loader keeps each source file's latest reading (by ``loaded_at``)
  and the error rows of its latest attempt — what ``load.write_batch`` does in
  the DuckDB file.
* **Where.** A local or shared folder, or any URI pyarrow's filesystems open
  (``s3://bucket/raw``; an S3-compatible store with
  ``s3://bucket/raw?endpoint_override=host:9000&scheme=http``, credentials
  from the usual ``AWS_*`` variables). pyarrow ships these filesystems, so no
  cloud package is needed.
"""
from __future__ import annotations

import hashlib
import io
import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ingest import columns
from ingest.schema import FACT_TABLES, all_raw_schemas

if TYPE_CHECKING:   # the workers that write parts import this module, not DuckDB
    import duckdb

RAW = "raw"

MANIFEST_DIR = "_manifest"


def filesystem(location: str) -> tuple[pafs.FileSystem, str]:
    """A pyarrow filesystem and the path within it for a local path or a URI."""
    if "://" in location:
        return pafs.FileSystem.from_uri(location)
    return pafs.LocalFileSystem(), str(Path(location).expanduser().resolve())


def is_uri(location: str) -> bool:
    return "://" in location


def read_bytes(location: str) -> bytes:
    """The bytes of one source file (a local path or a URI)."""
    if not is_uri(location):
        return Path(location).read_bytes()
    fs, path = filesystem(location)
    with fs.open_input_stream(path) as stream:
        return stream.read()


def _write_atomic(fs: pafs.FileSystem, path: str, data: bytes) -> None:
    """Write under a unique temporary name, then move over ``path``."""
    fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
    tmp = f"{path}.{uuid.uuid4().hex}.tmp"
    with fs.open_output_stream(tmp) as out:
        out.write(data)
    fs.move(tmp, path)


def batch_id(parsed: list[dict]) -> str:
    """A batch's name from its content: the hash of its sorted (sha256, source_file) pairs."""
    keys = sorted(f"{item['sha256'] or ''}\t{item['source_file']}" for item in parsed)
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:20]


def write_parts(raw: str, parsed: list[dict], loaded_at: datetime) -> tuple[str, dict]:
    """Write one Parquet part per non-empty raw table; returns (batch id, parts)."""
    fs, root = filesystem(raw)
    batch = batch_id(parsed)
    parts = {}
    for table, rows in columns.to_batch(parsed, loaded_at).tables.items():
        buffer = io.BytesIO()
        pq.write_table(rows, buffer, compression="zstd")
        relative = f"{table}/part-{batch}.parquet"
        _write_atomic(fs, f"{root}/{relative}", buffer.getvalue())
        parts[table] = {"path": relative, "rows": rows.num_rows}
    return batch, parts


def commit(raw: str, batch: str, parsed: list[dict], parts: dict, loaded_at: datetime) -> dict:
    """Write the batch's manifest file: from now on the loader reads its parts."""
    fs, root = filesystem(raw)
    manifest = {
        "batch": batch,
        "loaded_at": loaded_at.isoformat(),
        "files": [{"source_file": item["source_file"], "sha256": item["sha256"],
                   "document_id": (item["document"] or {}).get("document_id"),
                   "extractor_sha256": (item["document"] or {}).get("extractor_sha256")}
                  for item in parsed],
        "parts": parts,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
    _write_atomic(fs, f"{root}/{MANIFEST_DIR}/batch-{batch}.json", text.encode("utf-8"))
    return manifest


def write_batch(raw: str, parsed: list[dict], loaded_at: datetime) -> dict | None:
    """Parts then manifest for one batch of parsed files (None for an empty batch)."""
    if not parsed:
        return None
    batch, parts = write_parts(raw, parsed, loaded_at)
    return commit(raw, batch, parsed, parts, loaded_at)


def manifests(raw: str) -> list[dict]:
    """Every committed batch of a raw folder, in name order ([] for a new folder)."""
    fs, root = filesystem(raw)
    folder = f"{root}/{MANIFEST_DIR}"
    if fs.get_file_info(folder).type == pafs.FileType.NotFound:
        return []
    infos = fs.get_file_info(pafs.FileSelector(folder))
    found = []
    for info in sorted(infos, key=lambda i: i.path):
        if info.is_file and info.base_name.startswith("batch-") and info.base_name.endswith(".json"):
            with fs.open_input_stream(info.path) as stream:
                found.append(json.loads(stream.read().decode("utf-8")))
    return found


def known_hashes(raw: str, extractor: str | None = None) -> set[str]:
    """sha256 of every document already in the raw folder (skipped on the next
    run), read by ``extractor`` if given (``ingest.version``: a document read
    by another version of the extractor is read again, and the latest reading wins)."""
    return {f["sha256"] for m in manifests(raw) for f in m["files"]
            if f["document_id"] and (extractor is None or f.get("extractor_sha256") == extractor)}


def _insert_parts(con: duckdb.DuckDBPyConnection, fs: pafs.FileSystem, paths: list[str],
                  table: str) -> None:
    """Stream Parquet parts into a raw table (one record batch at a time)."""
    import pyarrow.dataset as ds

    reader = ds.dataset(paths, filesystem=fs, format="parquet").scanner().to_reader()
    con.register("_yibao_parts", reader)
    try:
        con.execute(f"insert into {RAW}.{table} by name select * from _yibao_parts")
    finally:
        con.unregister("_yibao_parts")


def _keep_latest(con: duckdb.DuckDBPyConnection, found: list[dict]) -> None:
    """Each source file's latest reading wins (``load.write_batch``'s replacement rule)."""
    raw = RAW
    con.execute(f"""
        delete from {raw}.documents as d
        using (select source_file, max(loaded_at) as latest from {raw}.documents group by 1) as l
        where d.source_file = l.source_file and d.loaded_at < l.latest""")
    for table in FACT_TABLES:
        con.execute(f"""
            delete from {raw}.{table} as f
            where not exists (select 1 from {raw}.documents as d
                              where d.source_file = f.source_file and d.sha256 = f.sha256
                                and d.loaded_at = f.loaded_at)""")
    attempts = pa.table({"source_file": [f["source_file"] for m in found for f in m["files"]],
                         "loaded_at": [m["loaded_at"] for m in found for f in m["files"]]},
                        schema=pa.schema([("source_file", pa.string()), ("loaded_at", pa.string())]))
    con.register("_yibao_attempts", attempts)
    try:
        con.execute(f"""
            delete from {raw}.ingest_errors as e
            using (select source_file, max(loaded_at::timestamp) as latest
                   from _yibao_attempts group by 1) as a
            where e.source_file = a.source_file and e.loaded_at < a.latest""")
    finally:
        con.unregister("_yibao_attempts")


def load_into(con: duckdb.DuckDBPyConnection, raw: str) -> dict[str, int]:
    """Replace the warehouse's raw layer by a raw folder's committed parts, in one transaction.

    ``con`` comes from ``load.connect`` (raw tables exist). Returns rows per raw table.
    """
    fs, root = filesystem(raw)
    found = manifests(raw)
    con.execute("begin transaction")
    try:
        for table in all_raw_schemas():
            con.execute(f"delete from {RAW}.{table}")
            paths = [f"{root}/{m['parts'][table]['path']}" for m in found if table in m["parts"]]
            if paths:
                _insert_parts(con, fs, paths, table)
        _keep_latest(con, found)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return {table: con.execute(f"select count(*) from {RAW}.{table}").fetchone()[0]
            for table in all_raw_schemas()}


def load_warehouse(raw: str, warehouse: Path) -> dict[str, int]:
    """``load_into`` on a warehouse file (created with its raw schema when new)."""
    from ingest import load  # DuckDB: the driver's, not the workers'

    con = load.connect(warehouse)
    try:
        return load_into(con, raw)
    finally:
        con.close()
