"""The text reader tells a space-aligned line by string calls (``_two_chunks``)
instead of counting ``aligned_chunks._CHUNK`` matches: on generated lines of
words, spaces and every kind of whitespace both must agree."""
from __future__ import annotations

import random

from ingest.readers.aligned_chunks import is_aligned_line
from ingest.readers.text import _two_chunks, kind_of, kinds_of

PIECES = ["a", "合计", "1.0", " ", "  ", "\u3000", "\xa0", "\x0b", "\x0c", "\x1c", "\x85", "\u2028",
          "\u200b", "\r", "|", " | ", "\t"]


def test_two_chunks_is_is_aligned_line():
    rng = random.Random(7)
    checked = 0
    for _ in range(50_000):
        line = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 9)))
        if line.strip():
            assert _two_chunks(line.strip()) == is_aligned_line(line), repr(line)
            checked += 1
    assert checked > 30_000


def test_kinds_of_gives_each_lines_kind_and_the_table_rows():
    lines = ["标题", "", "甲\t乙", "| a | b |", "科目  金额", "2020 年 合计", "  ", "a\x0bb"]
    kinds, rows = kinds_of(lines)
    assert kinds == [kind_of(line) for line in lines] == [
        "prose", "blank", "tab", "pipe", "aligned", "prose", "blank", "aligned"]
    assert rows == [2, 3, 4, 7]


def test_kinds_of_is_kind_of_line_by_line():
    rng = random.Random(3)
    for _ in range(3000):
        lines = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 9))) for _ in range(rng.randint(0, 12))]
        kinds, rows = kinds_of(lines)
        assert kinds == [kind_of(line) for line in lines], lines
        assert rows == [k for k, kind in enumerate(kinds) if kind in ("tab", "pipe", "aligned")]
