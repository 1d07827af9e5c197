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
        if "，" not in p.text and "," not in p.text:
            continue
        key = _key(p.text)
        if len(key) < MIN_LENGTH:
            continue
        earlier, same = first.get(key), "逐字相同"
        if earlier is not None and earlier.text != p.text:
            same = "仅数字不同"
            if len(key) < MIN_CHANGED_FIGURES:
                earlier = None  # a short formula (年初预算为…决算为…) repeated with its own figures
        grams = None
        if earlier is None and len(key) >= MIN_CHANGED_FIGURES and close.any(key, p.text, chars):
            for n in range(indexed, len(seen)):   # the index, brought up to this passage
                _index(shingles, grams_of.pop(n, None) or _grams(seen[n][1]), n)
            indexed = len(seen)
            grams = _grams(key)
            earlier, same = _similar(key, grams, p.text, shingles, seen, chars), "基本相同"
        if earlier is None:
            first.setdefault(key, p)
            if len(key) >= MIN_CHANGED_FIGURES:
                close.add(key, p.text)
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

    ``_ratio_bound`` counts the characters two keys share as multisets; a cheaper
    bound comes first: of a key's characters, at least one occurrence of each
    one the other key lacks is unmatched (one C-level set intersection)."""

    def __init__(self):
        # the years a paragraph names → (length, key, characters) of those naming them
        self.by_years: dict[frozenset[str], list[tuple[int, str, frozenset[str]]]] = {}

    def add(self, key: str, text: str) -> None:
        self.by_years.setdefault(frozenset(_years(text)), []).append((len(key), key, frozenset(key)))

    def any(self, key: str, text: str, chars: dict[str, Counter]) -> bool:
        size, years, own = len(key), frozenset(_years(text)), None
        for other_years, group in self.by_years.items():
            if other_years == years:
                continue
            for length, other, other_chars in group:
                total = length + size
                if 2.0 * min(length, size) / total < SIMILAR:
                    continue
                if own is None:
                    own = frozenset(key)
                common = len(own & other_chars)
                shared = min(size - len(own) + common, length - len(other_chars) + common)
                if 2.0 * shared / total >= SIMILAR and _ratio_bound(other, key, chars) >= SIMILAR:
                    return True
        return False


def _index(shingles: dict[str, tuple[int] | list[int]], grams: list[str], n: int) -> None:
    """Add passage ``n``'s shingles: each shingle → the passages holding it, once per
    occurrence, in order. A shingle held by one passage once maps to a shared
    ``(n,)``, so a passage whose shingles are all distinct is indexed in one C-level
    ``dict.update``, and only the shingles already indexed are extended in Python."""
    single = (n,)
    if len(set(grams)) != len(grams):   # a shingle printed twice in the passage
        for gram in grams:
            held = shingles.get(gram)
            if held is None:
                shingles[gram] = single
            elif type(held) is tuple:
                shingles[gram] = [*held, n]
            else:
                held.append(n)
        return
    prior = [(gram, shingles[gram]) for gram in shingles.keys() & grams]
    shingles.update(zip(grams, repeat(single)))
    for gram, held in prior:
        if type(held) is tuple:
            shingles[gram] = [*held, n]
        else:
            held.append(n)
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
            if matcher.ratio() >= SIMILAR:
                return passage
    return None


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
