"""The generated corpus of the speed benchmark (``bench_speed.py``): copies of
``corpus/`` with the fiscal years shifted, every amount scaled (printed as
before) and one distinguishing line, so every copy is parsed.

The corpus' text reports are copied as they are; its PDFs as the text yibao's
PDF reader renders from them (table rows tab-separated, as a published text
conversion prints them). Until session 18 only the text reports were copied:
five reports of bureaus, mostly prose and 绩效 tables, which parse at about
twice the rate per kB of the 部门预算/决算 with their nine public tables that
the PDFs are, and that most of a national corpus is."""
from __future__ import annotations

import re
from pathlib import Path

from speed_common import ROOT

_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?=\s*年)")
# amounts: decimals, or digits grouped by thousands (codes, years and counts are neither)
_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\d.,])")


def _scaled(printed: str, factor: float) -> str:
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    value = float(printed.replace(",", "")) * factor
    return f"{value:,.{decimals}f}" if "," in printed else f"{value:.{decimals}f}"


def vary(text: str, k: int) -> str:
    """Copy ``k`` of a report: years shifted by -3..+4, every amount scaled by the
    same factor 1 + k%17/100 (printed as before: grouping, decimals), one line added."""
    shift, factor = (k % 8) - 3, 1 + (k % 17) / 100
    text = _YEAR.sub(lambda m: str(int(m[1]) + shift), text)
    if factor != 1:
        text = _AMOUNT.sub(lambda m: _scaled(m[1], factor), text)
    return text + f"\n（基准测试副本 {k}）\n"


def corpus_texts() -> list[tuple[str, str]]:
    """(a ``.txt`` name, its text) for each report of ``corpus/``: a text file's own
    text, a PDF's as ``ingest.readers`` renders it."""
    from ingest import readers

    out = []
    for path in sorted((ROOT / "corpus").rglob("*")):
        if path.suffix == ".txt":
            out.append((path.name, path.read_text(encoding="utf-8")))
        elif path.suffix == ".pdf":
            out.append((f"{path.stem}.txt", readers.read(path.read_bytes(), path.name).text))
    return out


def make_corpus(folder: Path, docs: int) -> tuple[int, int]:
    sources = corpus_texts()
    total = 0
    for k in range(docs):
        name, text = sources[k % len(sources)]
        data = (text if k < len(sources) else vary(text, k)).encode("utf-8")
        (folder / f"{k:06d}_{name}").write_bytes(data)
        total += len(data)
    return docs, total
