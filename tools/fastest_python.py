"""Print the fastest Python interpreter on this machine that can hold yibao's venv.

``make`` asks this once, when it creates ``.venv`` (``PYTHON=...`` skips it).
The same CPython version runs the same code at different speeds depending on how
it was built: a distribution's interpreter (Debian's ``/usr/bin/python3``) is
built with profile-guided optimisation and link-time optimisation, and pyenv's
default build with neither, and measured here, the parse ran ~17 % faster on
the Debian build with no line of yibao changed (README, *Choices*). Version
numbers don't say which build is faster, so each candidate runs a short
workload like the parse (regex scans and string handling over CJK lines,
dicts, small functions), taking the best of a few rounds.

Candidates: ``python3`` on PATH, ``/usr/bin/python3`` and ``/usr/local/bin/python3``,
and ``python3.N`` on PATH. A candidate must be Python ≥ 3.10 and able to create a
venv with pip in it (``venv`` and ``ensurepip``). The first candidate (PATH's
``python3``) is kept unless another is more than ``MARGIN`` faster, so a tie
never changes the interpreter. Standard library only; the choice and the times
go to stderr, the interpreter's path to stdout. Prints ``python3`` if no
candidate qualifies (the venv step then fails with Python's own message).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

MARGIN = 0.05   # another interpreter must be at least this much faster
ROUNDS = 3
TIMEOUT_S = 60

CANDIDATES = ("python3", "/usr/bin/python3", "/usr/local/bin/python3",
              "python3.14", "python3.13", "python3.12", "python3.11", "python3.10")

# runs in each candidate: prints the best CPU seconds of ROUNDS rounds of a small
# workload of the parse's kind, after checking what a venv with pip needs
WORKLOAD = r"""
import sys, time, re
if sys.version_info < (3, 10):
    raise SystemExit("Python < 3.10")
import venv, ensurepip   # a venv with pip in it (Debian: the python3-venv package)
if not ensurepip.version():
    raise SystemExit("no pip wheel for ensurepip")
lines = [f"（{k % 9 + 1}）{k}年度部门决算支出合计{k * 37 % 9973}.{k % 100:02d}万元，比上年增长{k % 17}.5%。"
         for k in range(400)]
amount = re.compile(r"(\d+(?:\.\d+)?)万元")
heading = re.compile(r"^[（(][一二三四五六七八九十\d]+[）)]")
def row(line):
    m = amount.search(line)
    return {"text": line.strip(), "level": 1 if heading.match(line) else None,
            "value": float(m.group(1)) if m else None, "width": len(line)}
best = None
for _ in range(int(sys.argv[1])):
    t = time.process_time()
    for _ in range(150):
        rows = [row(line) for line in lines]
        seen = {}
        for r in rows:
            seen.setdefault(r["level"], []).append(r["value"])
        "".join(r["text"].replace("，", ",") for r in rows).split("。")
    t = time.process_time() - t
    best = t if best is None else min(best, t)
print(best)
"""


def candidates() -> list[str]:
    """Each distinct interpreter (by resolved path), in CANDIDATES' order."""
    out, seen = [], set()
    for name in CANDIDATES:
        path = shutil.which(name)
        if path is None:
            continue
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            out.append(path)
    return out


def timed(python: str) -> float | None:
    """The workload's best CPU seconds in ``python``; None if it can't hold the venv."""
    try:
        done = subprocess.run([python, "-I", "-c", WORKLOAD, str(ROUNDS)], capture_output=True,
                              text=True, timeout=TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        return float(done.stdout.strip())
    except ValueError:
        return None


def fastest(times: dict[str, float]) -> str:
    """The first candidate, unless another is more than MARGIN faster: then the fastest."""
    first = next(iter(times))
    best = min(times, key=times.__getitem__)
    return best if times[best] < times[first] * (1 - MARGIN) else first


def main() -> None:
    times = {}
    for python in candidates():
        t = timed(python)
        if t is not None:
            times[python] = t
    if not times:
        print("fastest_python: no Python >= 3.10 with venv and ensurepip found; using python3",
              file=sys.stderr)
        print("python3")
        return
    chosen = fastest(times)
    print("choosing " + chosen + " (" + ", ".join(f"{p} {t * 1000:.0f} ms" for p, t in times.items())
          + "; PYTHON=... overrides)", file=sys.stderr)
    print(chosen)


if __name__ == "__main__":
    main()
