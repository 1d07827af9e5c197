"""Passages printed twice: text carried over from another report or year.

* ``TEXT_DUPLICATE_PASSAGE`` (warning, ``copy_paste_text``): a paragraph of
  50 characters or more printed again, word for word, in another section of
  the same file; a paragraph of 90 characters or more printed again with only
  its figures changed, or with a few words and its years changed (``difflib``
  ratio ≥ 0.8): last year's paragraph carried over. A report that
  attaches last year's work summary and repeats its paragraphs in this year's
  one has copied them; the issue names the later copy and where the earlier
  one stands. Headings, table rows and short boilerplate are not compared.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from difflib import SequenceMatcher
from itertools import chain, repeat

from ingest.checks.outline import heading_level, heading_text
from ingest.checks.prose import context, issue

MIN_LENGTH = 50            # a paragraph printed twice word for word
MIN_CHANGED_FIGURES = 90   # printed twice with other figures: only long paragraphs
SIMILAR = 0.8              # …or with a few words changed (difflib ratio), as long
SHINGLE = 8
_LEAD = re.compile(r"^[\W_]+")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_YEARS = re.compile(r"(?:19|20)\d\d(?=年)")


def _key(text: str) -> str:
    body = text
    if heading_level(text) is not None:
        body = text[len(heading_text(text)):]  # the paragraph after a run-in heading
    return _FIGURE.sub("#", _LEAD.sub("", body))


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    first: dict[str, object] = {}
    shingles: dict[str, tuple[int] | list[int]] = {}
    seen: list[tuple[object, str]] = []
    indexed = 0                      # seen passages whose shingles are in ``shingles``
    grams_of: dict[int, list[str]] = {}
    chars: dict[str, Counter] = {}   # a key's characters as a multiset, once (_ratio_bound)
    close = _Candidates()
    out = []
    for p in ctx.passages:
        if len(p.text) < MIN_LENGTH or ("，" not in p.text and "," not in p.text):
            continue   # (a key is never longer than its text)
        key = _key(p.text)
        if len(key) < MIN_LENGTH:
            continue
        earlier, same = first.get(key), "逐字相同"
        if earlier is not None and earlier.text != p.text:
            same = "仅数字不同"
            if len(key) < MIN_CHANGED_FIGURES:
                earlier = None  # a short formula (年初预算为…决算为…) repeated with its own figures
        grams = probe = None
        if earlier is None and len(key) >= MIN_CHANGED_FIGURES:
            probe = close.probe(key, p.text)
        if probe is not None and close.any(probe, chars):
            for n in range(indexed, len(seen)):   # the index, brought up to this passage
                _index(shingles, grams_of.pop(n, None) or _grams(seen[n][1]), n)
            indexed = len(seen)
            grams = _grams(key)
            earlier, same = _similar(key, grams, p.text, shingles, seen, chars), "基本相同"
        if earlier is None:
            first.setdefault(key, p)
            if probe is not None:
                close.add(probe)
            if grams is not None:
                grams_of[len(seen)] = grams
            seen.append((p, key))
            continue
        if ctx.paths[earlier.first_line - 1] == ctx.paths[p.first_line - 1]:
            continue  # a passage repeated inside one section (a table note per page …)
        out.append(issue(
            "TEXT_DUPLICATE_PASSAGE", "warning", "copy_paste_text", ctx.where(p.first_line),
            "本节自己的文字", f"同第{earlier.first_line}行",
            f"“{p.text[:40]}…”与{ctx.where(earlier.first_line)}的段落{same},疑为沿用。",
            p.first_line))
    return out


def _grams(key: str) -> list[str]:
    return [key[k:k + SHINGLE] for k in range(0, len(key) - SHINGLE + 1)]


class _Candidates:
    """The long paragraphs seen so far, and whether one of them passes the tests
    ``_similar`` puts a candidate to before its ``SequenceMatcher`` (another
    year's, ``_ratio_bound`` ≥ ``SIMILAR``): when none does, ``_similar`` finds
    nothing whatever the shingles say, and they are neither indexed nor counted.

    Cheaper necessary conditions come first. The lengths: ``real_quick_ratio``
    ≥ ``SIMILAR`` is ``2·min ≥ 0.8·(a + b)``, i.e. the other length within
    [⌈2n/3⌉, ⌊3n/2⌋] (``_window``), so each year's paragraphs are kept sorted by
    length and only those in the window are visited (``bisect``). Then the
    characters: of a key's characters, at least one occurrence of each one the
    other key lacks is unmatched; the distinct characters two keys share are
    counted as the set bits two masks share (one bit per character of the
    document, ``int.bit_count``), not by building their intersection."""

    def __init__(self):
        self.bits: dict[str, int] = {}   # a character → its bit (this document's)
        # the years a paragraph names → the lengths of those naming them (sorted), and
        # for each (in that order) its key, the mask of its characters and their number
        self.by_years: dict[frozenset[str], tuple[list[int], list[tuple[str, int, int]]]] = {}

    def probe(self, key: str, text: str) -> tuple[str, frozenset[str], int, int]:
        """A long paragraph's key, years, the mask of its characters and their number."""
        own, bits = frozenset(key), self.bits
        new = own.difference(bits)   # characters no key had: the next bits, assigned in C
        bits.update(zip(new, map((1).__lshift__, range(len(bits), len(bits) + len(new)))))
        return key, frozenset(_years(text)), sum(map(bits.__getitem__, own)), len(own)

    def add(self, probe: tuple[str, frozenset[str], int, int]) -> None:
        key, years, mask, distinct = probe
        lengths, entries = self.by_years.setdefault(years, ([], []))
        at = bisect_right(lengths, len(key))
        lengths.insert(at, len(key))
        entries.insert(at, (key, mask, distinct))

    def any(self, probe: tuple[str, frozenset[str], int, int], chars: dict[str, Counter]) -> bool:
        key, years, mask, distinct = probe
        size = len(key)
        low, high = _window(size)
        repeats = size - distinct   # occurrences of a character after its first
        for other_years, (lengths, entries) in self.by_years.items():
            if other_years == years:
                continue
            for k in range(bisect_left(lengths, low), bisect_right(lengths, high)):
                other, other_mask, other_distinct = entries[k]
                common = (mask & other_mask).bit_count()   # distinct characters both hold
                length = lengths[k]
                shared = common + min(repeats, length - other_distinct)
                if 2.0 * shared / (length + size) >= SIMILAR and _ratio_bound(other, key, chars) >= SIMILAR:
                    return True
        return False


def _window(size: int) -> tuple[int, int]:
    """The lengths ``n`` for which ``2·min(n, size) / (n + size)`` ≥ ``SIMILAR`` (0.8):
    ``3n ≥ 2·size`` and ``2n ≤ 3·size``."""
    return (2 * size + 2) // 3, 3 * size // 2


def _index(shingles: dict[str, tuple[int] | list[int]], grams: list[str], n: int) -> None:
    """Add passage ``n``'s shingles: each shingle → the passages holding it, once per
    occurrence, in order. A shingle held by one passage once maps to a shared
    ``(n,)``, so a passage is indexed in one C-level ``dict.update``; in Python only
    the shingles already indexed are extended, and those it prints more than once
    (counted by ``Counter``) get ``n`` as many times."""
    single = (n,)
    distinct = set(grams)
    times: dict[str, int] = {}
    if len(distinct) != len(grams):   # a shingle printed twice in the passage
        times = {gram: k for gram, k in Counter(grams).items() if k > 1}
    prior = [(gram, shingles[gram]) for gram in shingles.keys() & distinct]
    shingles.update(zip(grams, repeat(single)))
    for gram, k in times.items():
        shingles[gram] = single * k
    for gram, held in prior:
        more = single * times.get(gram, 1) if times else single
        if type(held) is tuple:
            shingles[gram] = [*held, *more]
        else:
            held.extend(more)
            shingles[gram] = held


def _years(text: str) -> set[str]:
    return set(_YEARS.findall(text))


def _similar(key: str, grams: list[str], key_text: str, shingles: dict[str, tuple[int] | list[int]],
             seen: list, chars: dict[str, Counter]) -> object | None:
    """An earlier long paragraph of another year that differs from this one in a few
    words only: last year's text carried over (two paragraphs of one year that
    say much the same are a report restating itself, not a copy)."""
    shared = Counter(chain.from_iterable(map(shingles.get, grams, repeat((), len(grams)))))
    matcher = None
    for i, count in shared.most_common(3):
        if count < 5:
            break
        passage, other = seen[i]
        if (len(other) >= MIN_CHANGED_FIGURES and _years(passage.text) != _years(key_text)
                and _ratio_bound(other, key, chars) >= SIMILAR):
            if matcher is None:
                matcher = SequenceMatcher(None, other, key)
            else:
                matcher.set_seq1(other)   # ``key`` stays the second sequence: its index is kept
            if _ratio_reaches(matcher, SIMILAR):
                return passage
    return None


def _ratio_reaches(matcher: SequenceMatcher, threshold: float) -> bool:
    """``matcher.ratio() >= threshold``, its matching blocks found as
    ``get_matching_blocks`` finds them (its loop, difflib's ``find_longest_match``;
    the ratio is the blocks' total size) but stopping once those found reach the
    threshold, or once they could not even if every range left matched whole."""
    la, lb = len(matcher.a), len(matcher.b)
    total = la + lb
    if not total:
        return 1.0 >= threshold   # (difflib's ratio of two empty sequences)
    queue, found, rest = [(0, la, 0, lb)], 0, min(la, lb)   # rest: what the queue can still match
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        rest -= min(ahi - alo, bhi - blo)
        i, j, k = matcher.find_longest_match(alo, ahi, blo, bhi)
        if k:
            found += k
            if 2.0 * found / total >= threshold:
                return True
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
                rest += min(i - alo, j - blo)
            if i + k < ahi and j + k < bhi:
                queue.append((i + k, ahi, j + k, bhi))
                rest += min(ahi - i - k, bhi - j - k)
        if 2.0 * (found + rest) / total < threshold:
            return False
    return 2.0 * found / total >= threshold


def _ratio_bound(a: str, b: str, chars: dict[str, Counter]) -> float:
    """difflib's upper bounds of ``SequenceMatcher(None, a, b).ratio()``, computed as
    it does (``real_quick_ratio``: the lengths, then ``quick_ratio``: the characters
    shared as multisets, each key's counted once in ``chars``), so a pair that can't
    reach the threshold costs no ratio()."""
    length = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / length < SIMILAR:
        return 2.0 * min(len(a), len(b)) / length
    for text in (a, b):
        if text not in chars:
            chars[text] = Counter(text)
    return 2.0 * sum((chars[a] & chars[b]).values()) / length
