"""Ray: the per-file step as Ray tasks over batches of files (``pip install yibao[ray]``).

One task per batch runs ``ingest.engines.batch.ingest_batch`` on a worker: it
reads its files (a shared folder or an object-store URI every node can reach),
parses them with the same ``parse_file`` as the local pool, writes its Parquet
parts and commits its manifest, and returns only counts and error messages.
The driver keeps at most ``IN_FLIGHT_PER_CPU`` tasks per cluster CPU
submitted and never sees the facts, so its memory does not grow with the corpus.

* **Connecting.** ``address=None`` starts a private Ray instance on this
  machine (``workers`` CPUs, no dashboard) and stops it at the end;
  ``address="auto"`` or ``"HOST:6379"`` joins a running cluster (``ray start``).
  A process that already called ``ray.init`` is used as it is.
* **Retries.** A task whose worker dies (killed, out of memory, node lost) or
  that hits an ``OSError`` (a storage hiccup) is retried up to
  ``MAX_RETRIES`` times by Ray; a retry writes the same part and manifest names
  (see ``ingest.rawdir``), so nothing is duplicated. A batch that still fails
  is reported file by file and recorded in ``ingest_errors``; the next run
  tries those files again.
* **Why tasks, not Ray Data.** Each batch's output goes straight to its own
  Parquet parts and a manifest that commits them, which is a task's natural
  shape; Ray Data's streaming between operators would add nothing here and
  pull in pandas.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import datetime

from ingest import rawdir
from ingest.engines import batch as batch_step

MAX_RETRIES = 3
IN_FLIGHT_PER_CPU = 2
FAULT_ENV = "YIBAO_FAULT_KILL_WORKER"  # marker file: the first worker to create it dies mid-task


class RayMissing(Exception):
    """Ray is not installed."""


def _ray():
    try:
        import ray
    except ImportError:
        raise RayMissing("--engine ray needs Ray: pip install 'yibao[ray]'") from None
    return ray


def connect(address: str | None, workers: int | None) -> bool:
    """Make sure this process is a Ray driver; True when we started Ray (and must stop it)."""
    ray = _ray()
    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    else:
        ray.init(address="local", num_cpus=workers or os.cpu_count() or 1,
                 include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    return True


def _failed_batch(job: list, raw: str, loaded_at: datetime, exc: BaseException) -> dict:
    """A batch that failed every retry: one error per file, recorded in the raw folder."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    parsed = [batch_step.read_error(source, f"{source}: failed on the cluster after "
                                            f"{MAX_RETRIES} retries: {type(exc).__name__}: {reason}")
              for _, source in job]
    for item in parsed:
        item["errors"][0]["stage"] = "parse"
    rawdir.write_batch(raw, parsed, loaded_at)
    return batch_step.summarize(parsed, 0)


def run(files: list[tuple[str, str]], raw: str, known: frozenset[str], loaded_at: datetime,
        address: str | None = None, workers: int | None = None,
        size: int | None = None) -> Iterator[tuple[list, dict]]:
    """Yield (batch, summary) as the cluster finishes batches, in completion order."""
    from ingest.engines import batch_size, batches

    ray = _ray()
    started = connect(address, workers)
    try:
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        jobs = batches(files, size or batch_size(len(files), cpus))
        task = ray.remote(max_retries=MAX_RETRIES, retry_exceptions=[OSError])(
            batch_step.ingest_batch)
        known_ref = ray.put(known)
        fault = os.environ.get(FAULT_ENV)
        queue = iter(jobs)
        pending: dict = {}

        def submit() -> None:
            job = next(queue, None)
            if job is not None:
                pending[task.remote(job, raw, known_ref, loaded_at, fault)] = job

        for _ in range(cpus * IN_FLIGHT_PER_CPU):
            submit()
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            job = pending.pop(done[0])
            try:
                result = ray.get(done[0])
            except ray.exceptions.RayError as exc:
                result = _failed_batch(job, raw, loaded_at, exc)
            submit()
            yield job, result
    finally:
        if started:
            ray.shutdown()
