"""Searching a pattern only where one of its leading literals occurs.

A pattern led by an alternation of words, some behind a lookbehind
(``(?:本年收入合计|(?<!拨款)收入合计|总收入|…)``), gives ``re`` no literal to
scan for: it tries the pattern at every position, or (``prefilter.Finder``)
at every occurrence of a first character (``收``, ``总``, …: hundreds in a
report). ``leading_literals`` reads from the pattern's syntax tree the words
every match starts with (zero-width assertions consume nothing and are passed
over); ``LiteralFinder.search`` looks for each word with ``str.find`` (in C)
and tries the pattern with ``match(text, pos)`` at those places only, in
order: every match starts at one of them, and ``match`` sees the text before
``pos`` (lookbehinds, ``^``) exactly as ``search`` does, so the leftmost match
is the one ``pattern.search`` returns.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ingest.prefilter import _c, syntax_tree

_ZERO_WIDTH = (_c.ASSERT, _c.ASSERT_NOT, _c.AT)


def _leads(items) -> tuple[str, ...] | None:
    """The literal words each match of the sequence ``items`` starts with (each
    match starts with one of them), or None when not known."""
    for k, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL:
            run = []
            for op2, av2 in items[k:]:
                if op2 is not _c.LITERAL:
                    break
                run.append(chr(av2))
            return ("".join(run),)
        if op is _c.SUBPATTERN:
            if av[1] or av[2]:                          # flags inside the group
                return None
            return _leads(list(av[3]))
        if op is _c.BRANCH:
            out: list[str] = []
            for branch in av[1]:
                got = _leads(list(branch))
                if got is None:
                    return None
                out += got
            return tuple(dict.fromkeys(out))
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            return _leads(list(av[2]))
        return None                                     # a class, ANY, an optional part …
    return None                                         # a match can be empty


@lru_cache(maxsize=None)
def leading_literals(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Non-empty words one of which every match of ``pattern`` starts with, or
    None (IGNORECASE, flags, a pattern that can start with a class …)."""
    tree = syntax_tree(pattern)
    if tree is None:
        return None
    leads = _leads(tree)
    return leads if leads and all(leads) else None


class LiteralFinder:
    """``pattern.search`` with the same result, tried only where one of its
    leading words (``leading_literals``) occurs. Use ``usable`` first."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.words = leading_literals(pattern) or ()

    @staticmethod
    def usable(pattern: re.Pattern) -> bool:
        return leading_literals(pattern) is not None

    def search(self, text: str, pos: int = 0) -> re.Match | None:
        match, find = self.pattern.match, text.find
        words = self.words
        ahead = [find(w, pos) for w in words]   # each word's next occurrence (-1: none)
        while True:
            at = min((n for n in ahead if n >= 0), default=-1)
            if at < 0:
                return None
            m = match(text, at)
            if m:
                return m
            ahead = [find(w, at + 1) if n == at else n for w, n in zip(words, ahead)]
