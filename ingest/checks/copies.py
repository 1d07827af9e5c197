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

from ingest.checks.copies_shingles import Shingles
from ingest.checks.copies_shingles import grams as _grams
from ingest.checks.outline import heading_level, heading_text
from ingest.checks.prose import context, issue

MIN_LENGTH = 50            # a paragraph printed twice word for word
MIN_CHANGED_FIGURES = 90   # printed twice with other figures: only long paragraphs
SIMILAR = 0.8              # …or with a few words changed (difflib ratio), as long
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
    seen: list[tuple[object, str]] = []
    keys: list[str] = []             # seen's keys
    shingles = Shingles(keys)
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
            grams = _grams(key)
            earlier, same = _similar(key, p.text, shingles.ranked(grams), seen, chars), "基本相同"
        if earlier is None:
            first.setdefault(key, p)
            if probe is not None:
                close.add(probe)
            if grams is not None:
                shingles.keep(len(seen), grams)
            seen.append((p, key))
            keys.append(key)
            continue
        if ctx.paths[earlier.first_line - 1] == ctx.paths[p.first_line - 1]:
            continue  # a passage repeated inside one section (a table note per page …)
        out.append(issue(
            "TEXT_DUPLICATE_PASSAGE", "warning", "copy_paste_text", ctx.where(p.first_line),
            "本节自己的文字", f"同第{earlier.first_line}行",
            f"“{p.text[:40]}…”与{ctx.where(earlier.first_line)}的段落{same},疑为沿用。",
            p.first_line))
    return out


class _Candidates:
    """The long paragraphs seen so far, and whether one of them passes the tests
    ``_similar`` puts a candidate to before its ``SequenceMatcher`` (another
    year's, ``_ratio_bound`` ≥ ``SIMILAR``): when none does, ``_similar`` finds
    nothing whatever the shingles say, and they are neither indexed nor counted.

    Cheaper necessary conditions come first. The lengths: ``real_quick_ratio``
    ≥ ``SIMILAR`` is ``2·min ≥ 0.8·(a + b)``, i.e. the other length within
    [⌈2n/3⌉, ⌊3n/2⌋] (``_window``), so each year's paragraphs are kept sorted by
    length and only those in the window are visited (``bisect``). Then the
    characters, put in 256 **buckets** (a code point's low byte, ``_buckets``):
    read as a sequence of buckets, a key matches the other at least as much as
    it does as characters (``quick_ratio``'s ``Σ min(a_c, b_c)`` can only grow
    when characters share a bucket), and of its buckets at least one occurrence
    of each one the other lacks is unmatched. So the buckets two keys share
    (the bits two masks share, ``int.bit_count``) plus the fewer repeats bound
    the characters ``quick_ratio`` matches: a bound as sound as the characters'
    own, whose masks are made in C with no object per character."""

    def __init__(self):
        # the years a paragraph names → the lengths of those naming them (sorted), and
        # for each (in that order) its key, the mask of its buckets and their number
        self.by_years: dict[frozenset[str], tuple[list[int], list[tuple[str, int, int]]]] = {}

    def probe(self, key: str, text: str) -> tuple[str, frozenset[str], int, int]:
        """A long paragraph's key, years, the mask of its buckets and their number."""
        mask = _buckets(key)
        return key, frozenset(_years(text)), mask, mask.bit_count()

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
        repeats = size - distinct   # occurrences of a bucket after its first
        for other_years, (lengths, entries) in self.by_years.items():
            if other_years == years:
                continue
            for k in range(bisect_left(lengths, low), bisect_right(lengths, high)):
                other, other_mask, other_distinct = entries[k]
                common = (mask & other_mask).bit_count()   # buckets both hold
                length = lengths[k]
                shared = common + min(repeats, length - other_distinct)
                if 2.0 * shared / (length + size) >= SIMILAR and _ratio_bound(other, key, chars) >= SIMILAR:
                    return True
        return False


_ZERO_ONLY = b"\x01" + bytes(255)   # (bytes.translate) a byte 0 → 1, any other → 0


def _buckets(key: str) -> int:
    """The buckets of ``key``'s characters (a code point's low byte) as a mask, bit
    ``8·b`` for bucket ``b``: the low bytes (UTF-32, every fourth byte) made 0 in a
    ``bytes.maketrans`` table, which then reads 1 where a bucket is present; its
    byte 0, always 0 there, is bucket 0's only if a character is in it."""
    low = key.encode("utf-32-le", "surrogatepass")[::4]
    mask = int.from_bytes(bytes.maketrans(low, bytes(len(low))).translate(_ZERO_ONLY), "little")
    return mask if 0 in low else mask ^ 1


def _window(size: int) -> tuple[int, int]:
    """The lengths ``n`` for which ``2·min(n, size) / (n + size)`` ≥ ``SIMILAR`` (0.8):
    ``3n ≥ 2·size`` and ``2n ≤ 3·size``."""
    return (2 * size + 2) // 3, 3 * size // 2


def _years(text: str) -> set[str]:
    return set(_YEARS.findall(text))


def _similar(key: str, key_text: str, candidates: list[int], seen: list,
             chars: dict[str, Counter]) -> object | None:
    """An earlier long paragraph of another year that differs from this one in a few
    words only: last year's text carried over (two paragraphs of one year that
    say much the same are a report restating itself, not a copy). ``candidates``:
    the seen paragraphs sharing the most shingles with this one
    (``copies_shingles.Shingles.ranked``), tried in that order."""
    matcher = None
    for i in candidates:
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
