"""What every part of the speed benchmark (``bench_speed.py``) uses: the
project root, the national corpus size, CPU-seconds of this process or its
children, the printed figure line, stopping the fork server (so its pool
workers' CPU counts), and the ``yibao`` CLI run in a child with its wall, CPU
and peak RSS."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NATIONAL_DOCS = 100_000


def cpu(who=resource.RUSAGE_SELF) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def stop_forkserver() -> None:
    """Stop (and reap) this process' fork server, so the CPU time of the pool
    workers it forked and reaped counts in ``RUSAGE_CHILDREN``."""
    from multiprocessing import forkserver
    forkserver._forkserver._stop()


def line(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<46} {value:<34} {target}")


def own_peak_rss_kib() -> int:
    """This process' own peak RSS (KiB) since it was exec'd. Linux hands a
    process's peak on through ``fork`` and ``exec`` (``ru_maxrss`` of a child of
    a 300 MiB parent reads 300 MiB, whatever the child holds), so it is read from
    ``VmHWM`` of ``/proc/self/status`` where there is one."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# the CLI, then its fork server stopped and reaped, so the pool workers' CPU
# reaches the benchmark's RUSAGE_CHILDREN (a fork server left running is not counted);
# its peak RSS: its own, or its largest child's (pool workers fork from the fork
# server, a small process, so theirs is their own)
_LAUNCH = """import os, resource, runpy, sys
sys.argv[0] = "yibao"
try:
    runpy.run_module("ingest.cli", run_name="__main__", alter_sys=True)
finally:
    from multiprocessing import forkserver
    forkserver._forkserver._stop()
    sys.path.insert(0, os.environ["BENCH_DIR"])
    from speed_common import own_peak_rss_kib
    with open(os.environ["BENCH_RSS_FILE"], "w") as f:   # this run's own peak RSS (KiB)
        f.write(str(max(own_peak_rss_kib(),
                        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)))
"""


def yibao(*args: str, cwd: Path = ROOT) -> dict:
    """Run the CLI in a child; wall, CPU and peak RSS of it and its descendants."""
    c0 = cpu(resource.RUSAGE_CHILDREN)
    w0 = time.perf_counter()
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        proc = subprocess.run([sys.executable, "-c", _LAUNCH, *args], capture_output=True,
                              text=True, cwd=cwd,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "DO_NOT_TRACK": "1",
                                   "BENCH_RSS_FILE": rss.name,
                                   "BENCH_DIR": str(Path(__file__).parent)})
        wall = time.perf_counter() - w0
        if proc.returncode:
            raise SystemExit(f"yibao {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
        rss_mib = int(rss.read() or 0) / 1024
    return {"wall": wall, "cpu": cpu(resource.RUSAGE_CHILDREN) - c0, "stdout": proc.stdout,
            "rss_mib": rss_mib}
