"""The generated corpus of the speed benchmark (``bench_speed.py``): copies of
``corpus/`` with the fiscal years shifted, every amount scaled (printed as
before) and one distinguishing line, so every copy is parsed."""
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


def make_corpus(folder: Path, docs: int) -> tuple[int, int]:
    sources = sorted((ROOT / "corpus").rglob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in sources]
    total = 0
    for k in range(docs):
        i = k % len(sources)
        data = (texts[i] if k < len(sources) else vary(texts[i], k)).encode("utf-8")
        (folder / f"{k:06d}_{sources[i].name}").write_bytes(data)
        total += len(data)
    return docs, total
