"""Long documents in the speed benchmark (``bench_speed.py``): whether a
report's parse grows in proportion to its length.

A national corpus holds reports far longer than the samples (a 汇总 决算 of a
bureau and all its units, a 绩效自评 with dozens of project tables). A step that
compares every item with every other costs four times as much for a report
twice as long, which a corpus of short reports never shows. Each report of
``corpus/`` (a PDF as its text: ``speed_corpus.corpus_texts``) is parsed
alone and as ``COPIES`` varied copies of itself in one file
(``speed_corpus.vary``: other years and figures, so the copies are not the
same lines), as a worker parses them; the figure is CPU-ms per kB of each,
and their ratio (1.0: the parse is linear in the document's length). Each
file is parsed once before it is timed, so both figures are warm (labels
memoised, regexes compiled); the long file's own repeated labels still make
its per-kB cost lower than a wholly new report of that length would have, so
a ratio well under 1 is usual and one over 1 is the sign to look for (four
quadratic steps, three checks and a parser, showed as 1.26–1.55× at 128 copies
before they were made linear; 32 copies did not show them).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from speed_common import ROOT
from speed_corpus import corpus_texts, vary

COPIES = 128


def _cpu_ms_per_kb(path: Path, rounds: int) -> float:
    from ingest import pipeline

    tasks = pipeline.plan([path], set(), pipeline.Summary())
    pipeline.parse_chunk(tasks)   # warm
    start = time.process_time()
    for _ in range(rounds):
        pipeline.parse_chunk(tasks)
    return (time.process_time() - start) * 1e3 / rounds / (path.stat().st_size / 1e3)


def long_documents(copies: int = COPIES) -> list[tuple[str, float, float]]:
    """(text's name, CPU-ms per kB alone, CPU-ms per kB as ``copies`` copies in one file)."""
    out = []
    with tempfile.TemporaryDirectory(prefix="yibao-long-") as tmp:
        for name, text in corpus_texts():
            one, long = Path(tmp) / f"one_{name}", Path(tmp) / f"long_{name}"
            one.write_text(text, encoding="utf-8")
            long.write_text("\n".join(vary(text, k) for k in range(1, copies + 1)), encoding="utf-8")
            out.append((name, _cpu_ms_per_kb(one, rounds=copies), _cpu_ms_per_kb(long, rounds=1)))
    return out


def report(line, copies: int = COPIES) -> None:
    """The long-document figures, one line a corpus text, in ``bench_speed``'s
    report. Measured in a child process: parsing a long file raises the peak RSS
    of the process that does it, and Linux hands a process's peak on through
    ``fork`` and ``exec``, so measured here it would become the later memory
    runs' peak."""
    print(f"\nlong documents ({copies} varied copies in one file, parsed warm in one worker)",
          flush=True)
    subprocess.run([sys.executable, __file__, str(copies)], check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


if __name__ == "__main__":
    from speed_common import line

    for name, alone, long in long_documents(int(sys.argv[1])):
        line(name, f"{long:.2f} CPU-ms/kB long, {alone:.2f} alone: {long / alone:.2f}×",
             "target ≈ 1 (linear)")
