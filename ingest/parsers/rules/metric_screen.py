"""Which lines of a document can hold a headline figure, found in one scan.

``ingest.parsers.metrics`` reads each prose line squashed, together with the
next non-empty line when its sentence runs on (``reading_text``: a *window*),
and each table line's cells. Every figure pattern's match contains certain
literal pieces: those ``prefilter.required`` finds, and, where the pattern
passes through an alternation, one piece of each branch
(``(?:人员经费|工资福利支出)``: one of the two). Each pattern is given one such
*clause* (the pieces one of which every match holds: its rarest-looking, the
one whose shortest piece is longest), and a line is read only where its
window holds one of the clauses' pieces.

Instead of testing every piece on every line (a few dozen ``in`` per line,
and the Python work of building each window), the document's squashed lines
are concatenated (``joined``; a window is then one slice of it, since the
empty lines between a line and the one it runs on into are empty strings) and
one alternation of every piece, shortest first, is searched over it. A hit
at ``[s, e)`` starting in line ``k`` is credited to the windows that contain it
whole: line ``k``'s own, and that of the line whose sentence runs on into
``k``. A hit inside line ``k`` is in every window holding ``k``, so the
search goes on at the next line; a hit running out of line ``k`` goes on at
``s + 1`` (a shorter piece may start later and end inside the line). It is a
necessary condition only: a line it keeps is read exactly as before, and a
line it drops holds no match of any pattern.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from ingest.prefilter import _seq, required  # _seq: the required pieces of a parsed sequence
from ingest.text import normalize_label

try:                                   # Python ≥ 3.11
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:                    # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]

END = "。；;！？!?"   # a line ending with one of these ends its sentence


def _branches(items) -> list[frozenset[str]]:
    """For each alternation every match passes through (in the top-level
    sequence, its groups and repeats of at least one), the set of each branch's
    longest required piece; none for an alternation with a branch requiring nothing."""
    out: list[frozenset[str]] = []
    for op, av in items:
        if op is _c.SUBPATTERN and not av[1] & _c.SRE_FLAG_IGNORECASE:
            out += _branches(av[3])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            out += _branches(av[2])
        elif op is _c.BRANCH:
            longest = [max(_seq(list(branch)), key=len, default="") for branch in av[1]]
            if all(longest):
                out.append(frozenset(longest))
    return out


def clauses(pattern: re.Pattern) -> list[frozenset[str]]:
    """Sets of pieces, one of each set in every match of ``pattern`` (possibly none)."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return []
    out = [frozenset([piece]) for piece in required(pattern)]
    try:
        out += _branches(list(_sre.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 — an unreadable pattern: its required pieces only
        pass
    return out


class ClauseScreen:
    """Several patterns screened by their clauses at once: each piece of any
    clause is looked for once per text (``present``); pattern ``k`` can match
    only where each of its clauses meets the pieces present (``possible``)."""

    def __init__(self, patterns):
        self.clauses = [clauses(p) for p in patterns]
        self.pieces = tuple(sorted(set().union(*(c for cs in self.clauses for c in cs))))

    def present(self, text: str) -> frozenset[str]:
        return frozenset([piece for piece in self.pieces if piece in text])

    def possible(self, k: int, present: frozenset[str]) -> bool:
        return all(not clause.isdisjoint(present) for clause in self.clauses[k])


def anchor(pattern: re.Pattern) -> frozenset[str] | None:
    """The clause a line is screened by: the one whose shortest piece is longest,
    then the fewest pieces, then the one printed first in the pattern (its
    keyword: ``三公`` before ``预算``); None when every match need hold nothing."""
    got = clauses(pattern)
    if not got:
        return None
    text = pattern.pattern

    def printed_at(piece: str) -> int:   # (a piece escaped in the pattern: last)
        at = text.find(piece)
        return at if at >= 0 else len(text)

    return max(got, key=lambda c: (min(map(len, c)), -len(c), -min(map(printed_at, c)), sorted(c)))


def pieces_regex(anchors) -> re.Pattern | None:
    """One alternation of every anchor's pieces, shortest first (at a position
    the shortest piece there is found); None when some pattern has no anchor."""
    if any(a is None for a in anchors):
        return None
    return re.compile("|".join(re.escape(p) for p in screen_pieces(anchors)))


def screen_pieces(anchors) -> list[str]:
    """The anchors' pieces, shortest first, without those holding a shorter one
    (a window holding ``收入合计`` holds ``收入``: one is enough to keep it)."""
    pieces = sorted(set().union(*anchors), key=lambda p: (len(p), p))
    return [p for k, p in enumerate(pieces) if not any(q in p for q in pieces[:k])]


def window_end(lines: list[str], flat: list[str], starts: list[int], i: int) -> int:
    """Where line ``i``'s window ends in the joined text (``reading_text``'s rule)."""
    own = flat[i]
    if own and own[-1] not in END:
        for j in range(i + 1, min(i + 3, len(lines))):
            if flat[j]:
                if "\t" in lines[j] or "\t" in lines[i]:
                    break
                return starts[j] + len(flat[j])
    return starts[i] + len(own)


def candidate_lines(lines: list[str], pieces: re.Pattern | None) -> list[int]:
    """The (0-based) lines whose window holds one of ``pieces``, in order
    (every non-empty line when ``pieces`` is None)."""
    flat = list(map(normalize_label, lines))
    if pieces is None:
        return [i for i, s in enumerate(flat) if s]
    joined = "".join(flat)
    starts = list(accumulate(map(len, flat), initial=0))
    found: set[int] = set()
    pos = 0
    while True:
        m = pieces.search(joined, pos)
        if m is None:
            return sorted(found)
        s, e = m.span()
        k = bisect_right(starts, s, hi=len(lines)) - 1   # the non-empty line holding s
        line_end = starts[k + 1]
        if e <= line_end:
            found.add(k)
            p = _before(flat, k)
            if p is not None and window_end(lines, flat, starts, p) >= e:
                found.add(p)
            pos = line_end
        else:
            if window_end(lines, flat, starts, k) >= e:
                found.add(k)
            pos = s + 1


def _before(flat: list[str], k: int) -> int | None:
    """The line whose window can run on into line ``k`` (the non-empty line
    one or two lines above, with only empty lines between)."""
    if k >= 1 and flat[k - 1]:
        return k - 1
    if k >= 2 and flat[k - 2]:
        return k - 2
    return None
