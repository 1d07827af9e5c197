"""Headings and the outline of a report's text: which headings stand above a line.

Report text quirks handled here
-------------------------------
* **Headings** are numbered (``第三部分``, ``四、``, ``（二）``, ``1、``,
  ``（1）``) and may run into their paragraph (``（一）决策情况。县医保局…``): the
  heading is then the text up to the first ``。``/``：``.
* The **outline** is the path of the headings above a line, from the
  outermost level (``四、绩效评价指标分析/（二）过程情况``); a heading closes
  every deeper one. Reports order their numbering styles differently, so a
  style ranks where it first appeared within a part (``_Outline``).
* The contents page (目录) is not body text: its entries (dot leaders, or
  numbered lines after a 目录 title) are found first, and an unnumbered
  heading the contents list gives is a heading all the same.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.text import normalize_label

if TYPE_CHECKING:
    from ingest.checks.prose import Passage

_clean = normalize_label   # folded, whitespace removed (memoised)
_CLAUSE_MARK = re.compile(r"[。，,；]")
_PAGE_NO = re.compile(r"(?<!\d)\d+$")   # the trailing digits (linear: one start per run)
_SIGNATURE = re.compile(r"(?:局|中心|办公室|委员会)$")
CN_NUM = "一二三四五六七八九十"
_LEVELS = (
    (0, re.compile(rf"^第[{CN_NUM}]+部分")),
    (1, re.compile(rf"^[{CN_NUM}]+[、．.]")),
    (2, re.compile(rf"^[（(][{CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d{1,2}、")),
    (4, re.compile(r"^\d{1,2}(?:．|\.(?!\d)|\.(?=(?:19|20)\d\d年))")),
    (5, re.compile(r"^[（(]\d{1,2}[）)]")),
)
SENTENCE_END = "。！？!?；;：:"


# the characters a numbered heading can start with (and any decimal digit, as \d)
_HEADING_FIRST = frozenset("第（(" + CN_NUM)


# every level's pattern in one alternation, tried in _LEVELS' order: group k+1 is level k
# (anchored as each of them is, so a search never retries it at every position)
_ANY_LEVEL = re.compile("^(?:" + "|".join(f"({pattern.pattern.removeprefix('^')})"
                                          for _, pattern in _LEVELS) + ")")
assert [level for level, _ in _LEVELS] == list(range(len(_LEVELS))) and _ANY_LEVEL.groups == len(_LEVELS)


def heading_level(text: str) -> int | None:
    first = text[:1]
    if first not in _HEADING_FIRST and not first.isdecimal():
        return None   # no pattern of _LEVELS can match
    m = _ANY_LEVEL.match(text)
    return m.lastindex - 1 if m else None


def heading_text(text: str) -> str:
    """The heading part of a paragraph that starts with a numbered heading."""
    cut = len(text)
    for mark in ("。", "：", ":"):
        i = text.find(mark)
        if 0 < i < cut:
            cut = i
    head = text[:cut]
    return head if len(head) <= 40 else head[:40] + "…"


_LEADER = re.compile(r"(?:…{2,}|\.{4,}|·{4,}).*$")
_NUMBERING = re.compile(rf"^(?:第[{CN_NUM}]+部分|[{CN_NUM}]+[、．.]|[（(][{CN_NUM}\d]+[）)]|\d{{1,2}}[、．.])")


_TITLE = re.compile(r"^[^。，,；]*(?:19|20)\d\d年[^。，,；]*(?:报告|总结|计划|决算|预算)$")


def strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text, count=1)


def toc_lines(lines: list[str]) -> dict[int, str]:
    """0-based line → entry text of the contents page (目录): dot-leader lines and
    the numbered lines right after a 目录 title."""
    out: dict[int, str] = {}
    in_toc = False
    first = None   # the contents' first entry: the body starts where it recurs
    for i, raw in enumerate(lines):
        text = _clean(raw)
        if text in ("目录", "目次"):
            in_toc, first = True, None
            continue
        leader = (_LEADER.search(text) if "……" in text or "...." in text or "····" in text
                  else None)   # (what each branch of _LEADER holds: a number's "." is none)
        if leader and 1 < leader.start() <= 45 and not _CLAUSE_MARK.search(text[:leader.start()]):
            out[i] = text[:leader.start()]
            continue
        if in_toc:
            if not text:
                continue
            entry = _PAGE_NO.sub("", text)
            if first is not None and entry == first:
                in_toc = False   # a contents page without page numbers runs into the body
                continue
            if heading_level(text) is not None and len(text) <= 45 and text[-1] not in "。；":
                out[i] = entry
                first = entry if first is None else first
                continue
            in_toc = False
    return out


class _Outline:
    """The open headings. Reports order their numbering styles differently (``1、``
    above ``（一）`` in one, below it in another), so within a part each style
    ranks where it first appeared: a heading closes the open ones of its rank or
    deeper. A 第X部分, a heading the 目录 lists, or a document title closes
    everything and starts the ranking anew."""

    def __init__(self):
        self.stack: list[tuple[int, str]] = []
        self.rank: dict[int, int] = {}
        self._path: str | None = ""   # the joined stack, until it changes

    def push(self, style: int, text: str) -> None:
        if style <= 0:
            self.stack.clear()
            self.rank.clear()
        else:
            rank = self.rank.setdefault(style, len(self.rank))
            while self.stack and self.stack[-1][0] > 0 and self.rank[self.stack[-1][0]] >= rank:
                self.stack.pop()
        self.stack.append((style, text))
        self._path = None

    def clear(self) -> None:
        self.stack.clear()
        self.rank.clear()
        self._path = None

    @property
    def path(self) -> str:
        if self._path is None:
            self._path = "/".join(h for _, h in self.stack)
        return self._path


class _ContentsEntries:
    """The contents' entries, each with its text unnumbered (``bare``) and without
    部门 (目录 部门主要职能 ↔ 某某局主要职能). ``find(text)``: the first entry, in
    the contents' order, whose bare text is ``text`` or, 4 characters or more, ends
    it, or whose text without 部门 (4 or more) ends it — looked up by ``text``'s
    suffixes instead of compared entry by entry."""

    def __init__(self, entries):
        self.entries: list[tuple[str, str]] = []
        self.exact: dict[str, int] = {}      # bare text → first entry
        self.suffix: dict[str, int] = {}     # bare or unit-free text (4+) → first entry
        for k, entry in enumerate(entries):
            bare = strip_numbering(entry)
            self.entries.append((entry, bare))
            self.exact.setdefault(bare, k)
            for key in (bare, bare.replace("部门", "")):
                if len(key) >= 4:
                    self.suffix.setdefault(key, k)

    def find(self, text: str) -> tuple[str, str] | None:
        if not self.entries:
            return None
        best = self.exact.get(text)
        suffix = self.suffix
        for n in range(4, len(text) + 1):
            k = suffix.get(text[-n:])
            if k is not None and (best is None or k < best):
                best = k
        return None if best is None else self.entries[best]


def outline(lines: list[str], toc: dict[int, str], all_passages: list[Passage]) -> list[str]:
    """For each line (0-based), the heading path above it ('' before any), from
    the document's passages (``prose.passages``) and contents (``toc_lines``)."""
    open_headings = _Outline()
    starts: list[tuple[int, str]] = []   # (first line, path) of each passage read where it changes
    last = None                          # the path last recorded (the same object until it changes)
    listed = _ContentsEntries(toc.values())
    after_heading = False
    for p in all_passages:
        if p.first_line - 1 in toc:
            continue
        level, text = heading_level(p.text), p.text
        if level is None and len(text) > 30:
            after_heading = False   # a paragraph: not listed, no signature or title (all ≤ 30)
            continue                # (its path is the one recorded before it)
        if level is None and len(p.text) <= 30 and p.text[-1] not in SENTENCE_END:
            # an unnumbered heading that the contents page lists (with its number)
            found = listed.find(p.text)
            if found is not None:
                entry, bare = found
                level = 0
                text = entry[:len(entry) - len(bare)] + p.text
        if (level is None and len(p.text) <= 15 and _SIGNATURE.search(p.text)
                and not after_heading):
            open_headings.clear()  # a signature (or a letterhead) ends the document above it
        after_heading = level is not None
        if level is None and len(p.text) <= 30 and _TITLE.search(p.text):
            level = -1  # a document's title (an attached 工作总结 …) closes every heading
        if level is not None:
            open_headings.push(level, heading_text(text))
        path = open_headings.path
        if path is not last:   # (a passage under the same path as the one before adds nothing)
            starts.append((p.first_line, path))
            last = path
    return _spread(starts, len(lines))


def _spread(starts: list[tuple[int, str]], count: int) -> list[str]:
    """Each of ``count`` lines' path: that of the last passage starting on or
    above it ('' above the first). Passages follow each other, so a passage's
    lines, the blank lines inside it and the lines after it up to the next one
    read (tables, contents entries) all carry its path: filled a run at a time."""
    paths: list[str] = []
    line, path = 1, ""
    for first, next_path in starts:
        paths += [path] * (first - line)
        line, path = first, next_path
    paths += [path] * (count + 1 - line)
    return paths
