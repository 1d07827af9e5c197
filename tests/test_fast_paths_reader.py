"""The reader helper's fast paths against the definitions they replace, on
generated inputs (each test fails when its fast path is broken)."""
from __future__ import annotations

import hashlib
import random

from ingest import lineage
from ingest.text import fold_width, fold_width_text

# wide forms, the ideographic space, zero-width characters, spaces, ideographs, ASCII
_ALPHABET = "ａＢ１２３％（），：\u3000\u200b\ufeff \t国家医疗保障局预算,.()0123456789abc"


def _lines(rng: random.Random) -> list[str]:
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 40)))
            for _ in range(rng.randrange(0, 30))]


def _fingerprint_by_lines(lines: list[str]) -> str | None:
    """``text_fingerprint``'s definition: each line folded (``fold_width``), joined."""
    text = "".join("".join(map(fold_width, lines)).split())
    for ch in lineage._ZERO_WIDTH:
        text = text.replace(ch, "")
    if len(text) < lineage.FINGERPRINT_MIN_CHARS:
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def test_fold_width_text_is_fold_width():
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 30)))
        assert fold_width_text(text) == fold_width(text)


def test_text_fingerprint_is_its_line_by_line_definition():
    rng = random.Random(11)
    found = 0
    for _ in range(400):
        lines = _lines(rng)
        expected = _fingerprint_by_lines(lines)
        found += expected is not None
        assert lineage.text_fingerprint(lines) == expected
    assert found > 50   # the inputs reach the length that gets a fingerprint
