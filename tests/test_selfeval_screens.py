"""The self-evaluation readers find their lines through one joined text of the
squashed lines (``model.squashed_index``); read through an index that hands
them every line instead, they must read the same."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from ingest.parsers import selfeval
from ingest.parsers.evaluation import assessment, model, projects
from ingest.readers import read

SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "seeds").glob("*.txt"))


class EveryLine:
    """An index whose every piece is held by every line (the slow definition)."""

    def __init__(self, lines):
        self.flat = list(map(model.normalize_label, lines))

    def holding(self, piece):
        return list(range(len(self.flat)))

    def holding_any(self, pieces):
        return list(range(len(self.flat)))


def _slow(lines, monkeypatch):
    with monkeypatch.context() as m:
        for module in (selfeval, assessment, projects):
            m.setattr(module, "squashed_index", EveryLine)
        got = selfeval.extract(lines)
        return dict(got), got.value


def _fast(lines):
    got = selfeval.extract(lines)
    return dict(got), got.value


def _mutated(rng: random.Random, lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        r = rng.random()
        if r < 0.05:
            continue                                             # a line lost
        if r < 0.10 and len(line) > 2:
            k = rng.randrange(1, len(line))
            line = line[:k] + rng.choice([" ", "  ", "\t", "\n"]) + line[k:]   # a word broken
        if r > 0.97:
            out.append(line)                                     # a line twice
        out.extend(line.split("\n"))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_screened_readers_read_what_every_line_reads(seed, monkeypatch):
    rng = random.Random(seed)
    path = SEEDS[seed % len(SEEDS)]
    lines = read(path.read_bytes(), path.name).text_lines
    if seed >= len(SEEDS):
        lines = _mutated(rng, lines)
    assert _fast(lines) == _slow(lines, monkeypatch)


def test_fixtures_read_the_same(monkeypatch):
    for path in sorted((Path(__file__).resolve().parent / "fixtures" / "selfeval").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert _fast(lines) == _slow(lines, monkeypatch), path.name
