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


def heading_level(text: str) -> int | None:
    first = text[:1]
    if first not in _HEADING_FIRST and not first.isdecimal():
        return None   # no pattern of _LEVELS can match
    for level, pattern in _LEVELS:
        if pattern.match(text):
            return level
    return None


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
        leader = _LEADER.search(text) if "…" in text or "." in text or "·" in text else None
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

    def push(self, style: int, text: str) -> None:
        if style <= 0:
            self.stack.clear()
            self.rank.clear()
        else:
            rank = self.rank.setdefault(style, len(self.rank))
            while self.stack and self.stack[-1][0] > 0 and self.rank[self.stack[-1][0]] >= rank:
                self.stack.pop()
        self.stack.append((style, text))

    def clear(self) -> None:
        self.stack.clear()
        self.rank.clear()

    @property
    def path(self) -> str:
        return "/".join(h for _, h in self.stack)


def outline(lines: list[str], toc: dict[int, str], all_passages: list[Passage]) -> list[str]:
    """For each line (0-based), the heading path above it ('' before any), from
    the document's passages (``prose.passages``) and contents (``toc_lines``)."""
    paths: list[str] = []
    open_headings = _Outline()
    by_line: dict[int, str] = {}
    # each entry with its text unnumbered, and without 部门 (目录 部门主要职能 ↔ 某某局主要职能)
    entries = [(entry, bare, bare.replace("部门", ""))
               for entry, bare in ((e, strip_numbering(e)) for e in toc.values())]
    after_heading = False
    for p in all_passages:
        if p.first_line - 1 in toc:
            continue
        level, text = heading_level(p.text), p.text
        if level is None and len(p.text) <= 30 and p.text[-1] not in SENTENCE_END:
            # an unnumbered heading that the contents page lists (with its number)
            for entry, bare, unit_free in entries:
                if (len(bare) >= 4 and p.text.endswith(bare) or p.text == bare
                        or len(unit_free) >= 4 and p.text.endswith(unit_free)):
                    level = 0
                    text = entry[:len(entry) - len(bare)] + p.text
                    break
        if (level is None and len(p.text) <= 15 and _SIGNATURE.search(p.text)
                and not after_heading):
            open_headings.clear()  # a signature (or a letterhead) ends the document above it
        after_heading = level is not None
        if level is None and len(p.text) <= 30 and _TITLE.search(p.text):
            level = -1  # a document's title (an attached 工作总结 …) closes every heading
        if level is not None:
            open_headings.push(level, heading_text(text))
        path = open_headings.path
        for ln in p.lines:
            by_line[ln] = path
    current = ""
    for i in range(len(lines)):
        current = by_line.get(i + 1, current)
        paths.append(current)
    return paths
