"""Literal prefilters for regexes: what text a pattern can't match, cheaply.

Python's ``re`` finds a pattern that starts with a literal (``基本支出…``) with
a fast substring search, but one that starts with an alternation, a
lookbehind or an optional class (``(?:本年收入合计|(?<!拨款)收入合计|…)``,
``[“"]?三公…``) is tried at every position of the text: measured on report
lines, 30–100× slower. ``required(pattern)`` reads the pattern's own syntax
tree and returns substrings every match must contain (``收入``, ``元``);
``possible(pattern, text)`` is false when one of them is missing from the
text, so the scan can be skipped. It is a necessary condition only — when it
is true the pattern is run as before — so results never change.

Only what is sure is required: literal runs of the pattern's top-level
sequence, of its groups and of repeats that must occur at least once, and of
an alternation the longest substring every branch requires. Lookarounds,
optional parts, classes and back-references require nothing. A pattern with
IGNORECASE, or one the parser can't read, requires nothing (never skipped).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, contains, not_

try:                                   # Python ≥ 3.11
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:                    # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]


def _seq(items) -> list[str]:
    """Strings every match of the sequence ``items`` contains."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append("".join(run))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is _c.SUBPATTERN:
            _, add_flags, _, sub = av
            if not add_flags & _c.SRE_FLAG_IGNORECASE:
                out += _seq(sub)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            low, _, sub = av
            if low >= 1:
                out += _seq(sub)
        elif op is _c.BRANCH:
            common = _common([_seq(branch) for branch in av[1]])
            if common:
                out.append(common)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            out += _seq(av)
        # IN, ANY, AT, NOT_LITERAL, ASSERT(_NOT), GROUPREF…: nothing required
    flush()
    return out


def _common(branches: list[list[str]]) -> str:
    """The longest string that each branch requires (as a substring of one of its strings)."""
    if not branches or any(not b for b in branches):
        return ""
    best = ""
    for s in branches[0]:
        for size in range(len(s), len(best), -1):
            for start in range(0, len(s) - size + 1):
                piece = s[start:start + size]
                if all(any(piece in t for t in b) for b in branches[1:]):
                    best = piece
                    break
            if len(best) == size:
                break
    return best


@lru_cache(maxsize=None)
def required(pattern: re.Pattern) -> tuple[str, ...]:
    """Substrings that every match of ``pattern`` contains (possibly none)."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return ()
    try:
        tree = _sre.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 — an unreadable pattern is simply never skipped
        return ()
    found = sorted(set(_seq(list(tree))), key=lambda s: (-len(s), s))
    # a string inside a longer one says nothing more
    return tuple(s for k, s in enumerate(found) if not any(s in t for t in found[:k]))


def possible(pattern: re.Pattern, text: str) -> bool:
    """False when ``pattern`` can't match anywhere in ``text`` (a required piece is missing)."""
    return all(piece in text for piece in required(pattern))


class Screen:
    """Several patterns screened at once: each piece any of them requires is looked
    for once per text (``present``); pattern ``k`` can match only where
    ``needs[k] <= present``."""

    def __init__(self, patterns):
        self.needs = [frozenset(required(p)) for p in patterns]
        self.pieces = tuple(sorted(set().union(*self.needs)))

    def present(self, text: str) -> set[str]:
        return {piece for piece in self.pieces if piece in text}


_NEWLINE = ord("\n")
_FREE_CATEGORIES = {_c.CATEGORY_DIGIT, _c.CATEGORY_WORD}   # \d, \w: never a newline


def _class_free(items) -> bool:
    for op, av in items:
        if op is _c.LITERAL and av != _NEWLINE:
            continue
        if op is _c.RANGE and not av[0] <= _NEWLINE <= av[1]:
            continue
        if op is _c.CATEGORY and av in _FREE_CATEGORIES:
            continue
        return False   # NEGATE, \s, \D, \W, a newline … (or what is not known)
    return True


def _free(items, flags: int) -> bool:
    for op, av in items:
        if op is _c.LITERAL:
            ok = av != _NEWLINE
        elif op is _c.ANY:
            ok = not flags & re.DOTALL
        elif op is _c.IN:
            ok = _class_free(av)
        elif op is _c.SUBPATTERN:
            ok = not av[1] & re.DOTALL and _free(av[3], flags)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            ok = _free(av[2], flags)
        elif op is _c.BRANCH:
            ok = all(_free(branch, flags) for branch in av[1])
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            ok = _free(av[1], flags)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            ok = _free(av, flags)
        else:   # GROUPREF: its group is checked where it stands
            ok = op is _c.GROUPREF   # AT (^ $ \b …), conditionals … : not known to be free
        if not ok:
            return False
    return True


@lru_cache(maxsize=None)
def newline_free(pattern: re.Pattern) -> bool:
    """True when nothing in ``pattern`` can match a newline: no match contains
    one, and a lookaround that reaches a newline fails to match it as it fails
    where the text ends; no anchors (``^ $ \\b``). Run over texts joined by
    newlines, such a pattern finds in each text what it finds in it alone."""
    if pattern.flags & (re.IGNORECASE | re.MULTILINE) or not isinstance(pattern.pattern, str):
        return False
    try:
        tree = _sre.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 — not known: never treated as free
        return False
    return _free(list(tree), pattern.flags)


# --- where a match can start --------------------------------------------------
#
# A pattern led by an alternation whose branches open with a lookbehind
# (``(?:本年收入合计|(?<!拨款)收入合计|…)``) gives ``re`` no first character to
# scan for, so ``search`` tries the whole pattern at every position of the
# text. ``first_chars`` reads from the syntax tree the characters every match
# must start with (zero-width lookarounds and anchors consume none, so they are
# passed over); ``Finder.search`` scans for those in C and tries the pattern
# only there, with ``match(text, pos)``, which sees the text before ``pos``
# (lookbehinds, ``^``) exactly as ``search`` does: the same leftmost match.

_MAX_FIRST = 256   # a class with more characters than this is not worth a scan


def _first(items, flags: int) -> tuple[frozenset[str] | None, bool]:
    """(characters a match of the sequence can start with, None if not known;
    whether the sequence can match the empty string)."""
    chars: set[str] = set()
    for op, av in items:
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue                                    # zero width
        if op is _c.LITERAL:
            return frozenset(chars | {chr(av)}), False
        if op is _c.IN:
            got = _class_chars(av)
            return (None, False) if got is None else (frozenset(chars | got), False)
        if op is _c.SUBPATTERN:
            if av[1] & (re.IGNORECASE | re.DOTALL) or av[2] & re.IGNORECASE:
                return None, False
            sub, empty = _first(av[3], flags)
        elif op is _c.BRANCH:
            sub, empty = frozenset(), False
            for branch in av[1]:
                got, e = _first(branch, flags)
                if got is None:
                    return None, False
                sub, empty = sub | got, empty or e
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            sub, e = _first(av[2], flags)
            empty = e or av[0] == 0
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            sub, empty = _first(av, flags)
        else:                                           # ANY, GROUPREF, conditionals …
            return None, False
        if sub is None:
            return None, False
        chars |= sub
        if not empty:
            return frozenset(chars), False
    return frozenset(chars), True


def _class_chars(items) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            out.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < _MAX_FIRST:
            out.update(chr(o) for o in range(av[0], av[1] + 1))
        else:                                           # NEGATE, categories, big ranges
            return None
        if len(out) > _MAX_FIRST:
            return None
    return out


def syntax_tree(pattern: re.Pattern) -> list | None:
    """The top-level items of a case-sensitive str pattern's syntax tree, or
    None (IGNORECASE, bytes, a pattern ``re``'s parser refuses): what the
    pattern readers here (and ``ingest.lead_literals``) read."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        return list(_sre.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 — not known: searched as usual
        return None


@lru_cache(maxsize=None)
def first_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """The characters every match of ``pattern`` starts with; None when not
    known (IGNORECASE, a match that can be empty, ``.``, a negated class …)."""
    tree = syntax_tree(pattern)
    if tree is None:
        return None
    chars, empty = _first(tree, pattern.flags)
    return None if empty or not chars else chars


def _led(items) -> bool:
    """The pattern opens the way ``re`` scans for by itself: a literal, a class,
    or an alternation whose every branch opens with a literal."""
    while items and items[0][0] is _c.SUBPATTERN and not items[0][1][1] and not items[0][1][2]:
        items = items[0][1][3]
    if not items:
        return False
    op, av = items[0]
    if op is _c.BRANCH:
        return all(branch and branch[0][0] is _c.LITERAL for branch in av[1])
    return op in (_c.LITERAL, _c.IN)


class Finder:
    """``pattern.search`` / ``finditer`` with the same results, scanning for the
    characters a match can start with first (see ``first_chars``) where ``re``
    has no start of its own to scan for."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        chars = first_chars(pattern)
        self._starts = None
        if chars and not _led(list(_sre.parse(pattern.pattern, pattern.flags))):
            self._starts = re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")

    def search(self, text: str, pos: int = 0) -> re.Match | None:
        if self._starts is None:
            return self.pattern.search(text, pos)
        match = self.pattern.match
        for start in self._starts.finditer(text, pos):
            m = match(text, start.start())
            if m:
                return m
        return None

    def finditer(self, text: str):
        """Non-overlapping matches left to right, as ``pattern.finditer`` gives
        them (with a first character known a match is never empty, so each
        search goes on at its end)."""
        if self._starts is None:
            yield from self.pattern.finditer(text)
            return
        pos = 0
        while True:
            m = self.search(text, pos)
            if m is None:
                return
            yield m
            pos = m.end()


# --- lines worth a closer look ------------------------------------------------
#
# A parser that asks every line of a document the same cheap question first
# (does it hold ``三级指标``? any prose punctuation?) pays a Python frame per
# line for it. These helpers ask it with ``map`` over a C-level function and
# ``compress`` the indexes: no Python frame per line, so a loop runs only over
# the lines that may matter. (Measured under cachegrind: a regex character
# class, BIGCHARSET for CJK, costs ≈ 1 000 instructions a call plus ≈ 30 a
# character; ``operator.contains`` through ``map`` ≈ 500 a line; a ``map`` of a
# bound ``str.__contains__`` several times that.)


def lines_holding(lines, piece: str) -> list[int]:
    """Indexes of the lines that contain ``piece``."""
    return list(compress(count(), map(contains, lines, repeat(piece))))


def lines_matching(lines, pattern: re.Pattern) -> list[int]:
    """Indexes of the lines where ``pattern.search`` finds something."""
    return list(compress(count(), map(pattern.search, lines)))


def lines_opening(lines, pattern: re.Pattern) -> list[int]:
    """Indexes of the lines where ``pattern.match`` matches (at the line's start)."""
    return list(compress(count(), map(pattern.match, lines)))


def lines_missing(lines, pattern: re.Pattern) -> list[int]:
    """Indexes of the lines where ``pattern.search`` finds nothing."""
    return list(compress(count(), map(not_, map(pattern.search, lines))))


class JoinedLines:
    """A document's lines joined once by newlines, to find the lines that hold
    a piece with ``str.find`` over the whole text (memchr-fast: a rare piece
    costs next to nothing) instead of one test per line. A hit maps back to its
    line by bisection on the lines' starts, which count every line's length,
    so a piece without a newline is found in exactly the lines that hold it,
    whatever the lines hold."""

    def __init__(self, lines):
        self.text = "\n".join(lines)
        self.starts = list(map(add, accumulate(map(len, lines), initial=0), count()))

    def holding(self, piece: str) -> list[int]:
        """Indexes of the lines that contain ``piece`` (non-empty, no newline), in order."""
        find, starts = self.text.find, self.starts
        out = []
        pos = find(piece)
        while pos >= 0:
            k = bisect_right(starts, pos) - 1
            out.append(k)
            pos = find(piece, starts[k + 1])
        return out

    def holding_any(self, pieces) -> list[int]:
        """Indexes of the lines that contain one of ``pieces``, in order."""
        return sorted(set().union(*map(self.holding, pieces)))


def pieces_touched(pieces, text: str, pattern: re.Pattern) -> set[int]:
    """Indexes of the ``pieces`` (``text`` is ``"".join(pieces)``) that a match of
    ``pattern.finditer(text)`` overlaps: a superset of the pieces where
    ``pattern.search`` finds something, for a pattern whose matches in a piece
    are matches in the text too (no anchor, lookaround or boundary: e.g. an
    alternation of literals) and never empty. (A match in a piece that
    ``finditer`` does not report starts inside one it reports, so its piece is
    among those that one overlaps.) One scan of the text, no call per piece."""
    out: set[int] = set()
    ends = None
    for m in pattern.finditer(text):
        if ends is None:
            ends = list(accumulate(map(len, pieces)))   # ends[k]: where piece k ends
        first = bisect_right(ends, m.start())
        out.update(range(first, bisect_right(ends, m.end() - 1, first) + 1))
    return out
