"""Which earlier paragraphs share the most 8-character shingles with a key
(``checks.copies._similar``'s candidates, tried in that order).

The definition: for every shingle occurrence of the key, the earlier paragraphs
holding that shingle, once per occurrence, in order; these ``Counter``-ed, the
candidates are ``most_common(3)`` down to the first count under ``MIN_SHARED``.
An index shingle → paragraphs (``_index``) answers that, but costs ≈ 3 000
instructions a shingle of every earlier paragraph to make and build, while most
documents ask once or twice.

So ``Shingles.ranked`` first **searches**: the paragraphs holding one of the
key's shingles are where ``str.find`` finds it in the earlier keys joined by
newlines (a key holds no newline, a passage's lines being joined end to end, so
no shingle holds one and no find runs across two keys; each
overlapping occurrence found, left to right, mapped to its key by bisection):
the very lists the index holds, for the key's shingles only, counted the same
way. That scans the earlier keys once per distinct shingle of the key, so after
``RESCANS`` questions in one document the index is built and asked instead.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from itertools import accumulate, chain, repeat

SHINGLE = 8
MIN_SHARED = 5    # shingle occurrences shared for a paragraph to be a candidate
TOP = 3
RESCANS = 4       # questions answered by searching before the index is built


def grams(key: str) -> list[str]:
    return [key[k:k + SHINGLE] for k in range(0, len(key) - SHINGLE + 1)]


class Shingles:
    """The shingles of the paragraphs seen (``keys``, in order), asked by ``ranked``."""

    def __init__(self, keys: list[str]):
        self.keys = keys                       # the seen paragraphs' keys (the caller's list)
        self.grams_of: dict[int, list[str]] = {}   # a seen paragraph's shingles, once made
        self.index: dict[str, tuple[int] | list[int]] | None = None
        self.indexed = 0                       # seen paragraphs in ``index``
        self.asked = 0

    def keep(self, n: int, its_grams: list[str]) -> None:
        """Paragraph ``n``'s shingles, already made (its own question)."""
        self.grams_of[n] = its_grams

    def ranked(self, key_grams: list[str]) -> list[int]:
        """The seen paragraphs sharing ``MIN_SHARED`` shingle occurrences or more with
        the key, most first, at most ``TOP``."""
        self.asked += 1
        if self.index is None and self.asked <= RESCANS:
            return self._searched(key_grams)
        return self._indexed(key_grams)

    def _searched(self, key_grams: list[str]) -> list[int]:
        keys = self.keys
        text = "\n".join(keys)   # (a key holds no newline: see the module's docstring)
        starts = list(accumulate((len(k) + 1 for k in keys[:-1]), initial=0))
        held: dict[str, list[int]] = {}
        for gram in dict.fromkeys(key_grams):   # distinct, in order
            at = text.find(gram)
            if at < 0:
                continue
            holders = held[gram] = []
            while at >= 0:
                holders.append(bisect_right(starts, at) - 1)
                at = text.find(gram, at + 1)
        return _top(held, key_grams)

    def _indexed(self, key_grams: list[str]) -> list[int]:
        if self.index is None:
            self.index = {}
        for n in range(self.indexed, len(self.keys)):   # the index, brought up to this paragraph
            _index(self.index, self.grams_of.pop(n, None) or grams(self.keys[n]), n)
        self.indexed = len(self.keys)
        return _top(self.index, key_grams)


def _top(held: dict[str, tuple[int] | list[int]], key_grams: list[str]) -> list[int]:
    """The definition, from ``held``: shingle → the paragraphs holding it (once per
    occurrence, in order)."""
    shared = Counter(chain.from_iterable(map(held.get, key_grams, repeat((), len(key_grams)))))
    out = []
    for n, count in shared.most_common(TOP):
        if count < MIN_SHARED:
            break
        out.append(n)
    return out


def _index(shingles: dict[str, tuple[int] | list[int]], its_grams: list[str], n: int) -> None:
    """Add passage ``n``'s shingles: each shingle → the passages holding it, once per
    occurrence, in order. A shingle held by one passage once maps to a shared
    ``(n,)``, so a passage is indexed in one C-level ``dict.update``; in Python only
    the shingles already indexed are extended, and those it prints more than once
    (counted by ``Counter``) get ``n`` as many times."""
    single = (n,)
    distinct = set(its_grams)
    times: dict[str, int] = {}
    if len(distinct) != len(its_grams):   # a shingle printed twice in the passage
        times = {gram: k for gram, k in Counter(its_grams).items() if k > 1}
    prior = [(gram, shingles[gram]) for gram in shingles.keys() & distinct]
    shingles.update(zip(its_grams, repeat(single)))
    for gram, k in times.items():
        shingles[gram] = single * k
    for gram, held in prior:
        more = single * times.get(gram, 1) if times else single
        if type(held) is tuple:
            shingles[gram] = [*held, *more]
        else:
            held.extend(more)
            shingles[gram] = held
