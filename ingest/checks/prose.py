"""What the text checks share: passages, headings, sentences, figures, issue rows.

Report text quirks handled here
-------------------------------
* Prose converted from PDF wraps anywhere, even inside a figure
  (``149.22`` / ``万元``), and a blank line may fall inside a sentence. A
  **passage** joins the prose lines (rows without tabs) of one paragraph: a
  line joins the next unless it ends a sentence (``。！？：；``), is short (a
  title), or the next line starts a numbered heading. Each character keeps
  its source line, so an issue names the line its sentence starts on.
* **Headings** are numbered (``第三部分``, ``四、``, ``（二）``, ``1、``,
  ``（1）``) and may run into their paragraph (``（一）决策情况。县医保局…``): the
  heading is then the text up to the first ``。``/``：``. The **outline** is
  the path of the headings above a line, from the outermost level
  (``四、绩效评价指标分析/（二）过程情况``); a heading closes every deeper one.
* Table rows (tab-separated lines) are not prose; checks that need tables
  read the parsers' ``line_items`` facts.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import accumulate

from ingest.prefilter import newline_free, possible
from ingest.text import fold_width, normalize_label

_CLAUSE_MARK = re.compile(r"[。，,；]")
_PAGE_NO = re.compile(r"(?<!\d)\d+$")   # the trailing digits (linear: one start per run)
_SIGNATURE = re.compile(r"(?:局|中心|办公室|委员会)$")
TOLERANCE = Decimal("0.01")       # 万元 and percentage points, as the table checks
CN_NUM = "一二三四五六七八九十"
_LEVELS = (
    (0, re.compile(rf"^第[{CN_NUM}]+部分")),
    (1, re.compile(rf"^[{CN_NUM}]+[、．.]")),
    (2, re.compile(rf"^[（(][{CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d{1,2}、")),
    (4, re.compile(r"^\d{1,2}(?:．|\.(?!\d)|\.(?=(?:19|20)\d\d年))")),
    (5, re.compile(r"^[（(]\d{1,2}[）)]")),
)
_SENTENCE_END = "。！？!?；;：:"
MONEY = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元)")
PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*%")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")


def number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def wan(value: Decimal, unit: str) -> Decimal:
    return value / 10000 if unit == "元" else value * 10000 if unit == "亿元" else value


def fmt(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01")) if value != value.to_integral() else value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_table_row(line: str) -> bool:
    return "\t" in line


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


@dataclass
class Passage:
    text: str            # folded (full width → ASCII), whitespace removed
    starts: list[int]    # character offset where each source line begins
    lines: list[int]     # the 1-based source line of each of those offsets

    def line_at(self, pos: int) -> int:
        return self.lines[max(0, bisect_right(self.starts, pos) - 1)]

    @property
    def first_line(self) -> int:
        return self.lines[0]


_clean = normalize_label   # folded, whitespace removed (memoised)


def passages(lines: list[str]) -> list[Passage]:
    """The document's prose paragraphs, wrapped lines joined."""
    out: list[Passage] = []
    cur: Passage | None = None
    for i, raw in enumerate(lines):
        if is_table_row(raw):
            if cur:
                out.append(cur)
                cur = None
            continue
        text = _clean(raw)
        if not text:
            continue
        level = heading_level(text)
        if cur is not None and level is not None:
            out.append(cur)
            cur = None
        if cur is None:
            cur = Passage(text, [0], [i + 1])
        else:
            cur.starts.append(len(cur.text))
            cur.lines.append(i + 1)
            cur.text += text
        own_line = level is not None and level <= 2 and len(text) <= 40 and cur.text == text
        if text[-1] in _SENTENCE_END or len(text) < 20 or own_line:
            out.append(cur)  # a sentence end, a title, or a 一、/（一） heading on its own line
            cur = None
    if cur:
        out.append(cur)
    return out


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


def outline(lines: list[str], toc: dict[int, str] | None = None,
            all_passages: list[Passage] | None = None) -> list[str]:
    """For each line (0-based), the heading path above it ('' before any)."""
    paths: list[str] = []
    open_headings = _Outline()
    by_line: dict[int, str] = {}
    toc = toc_lines(lines) if toc is None else toc
    # each entry with its text unnumbered, and without 部门 (目录 部门主要职能 ↔ 某某局主要职能)
    entries = [(entry, bare, bare.replace("部门", ""))
               for entry, bare in ((e, strip_numbering(e)) for e in toc.values())]
    after_heading = False
    for p in passages(lines) if all_passages is None else all_passages:
        if p.first_line - 1 in toc:
            continue
        level, text = heading_level(p.text), p.text
        if level is None and len(p.text) <= 30 and p.text[-1] not in _SENTENCE_END:
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


@dataclass
class Sentence:
    text: str
    start: int           # offset in its passage
    passage: Passage

    @property
    def line(self) -> int:
        return self.passage.line_at(self.start)


_SENTENCE_MARK = re.compile(r"[。！？!?；;]")


def sentences(passage: Passage) -> list[Sentence]:
    out, start = [], 0
    for m in _SENTENCE_MARK.finditer(passage.text):
        out.append(Sentence(passage.text[start:m.end()], start, passage))
        start = m.end()
    if start < len(passage.text):
        out.append(Sentence(passage.text[start:], start, passage))
    return out


_SCREENS: dict[re.Pattern, re.Pattern] = {}


def screened(pattern: re.Pattern, screen: str) -> re.Pattern:
    """``pattern``, registered with ``screen``: a regex that starts with a literal and
    that every match of ``pattern`` contains a match of (a piece of its sequence).
    ``Context.hits`` looks for the screen first: ``re`` finds a literal with a fast
    scan, where a pattern that opens with a lookbehind or a class is tried at every
    position of the text."""
    _SCREENS[pattern] = re.compile(screen)
    return pattern


class Context:
    """One document's lines, passages and outline, computed once for all checks."""

    def __init__(self, lines: list[str], facts: dict[str, list[dict]] | None = None):
        self.lines = lines
        self.facts = facts or {}
        self.passages = passages(lines)
        self.toc = toc_lines(lines)
        self.paths = outline(lines, self.toc, self.passages)
        self.sentences = [s for p in self.passages for s in sentences(p)]
        self._prose: str | None = None
        self._starts: list[int] = []   # where each passage starts in _prose
        self._folded: str | None = None

    def hits(self, patterns: tuple[re.Pattern, ...]) -> dict[int, frozenset[re.Pattern]]:
        """For each passage (by ``id``) that some of ``patterns`` match somewhere
        in, those patterns; passages none matches are left out.

        A check that runs many patterns over every sentence runs each here over
        the prose once (all passages joined by newlines), then over the passages
        where it can match, and over the sentences of those only. Exact for a
        pattern whose match in a sentence is a match at the same place in its
        passage: a pattern whose lookarounds read only characters of the match's
        own sentence, or at its edges a sentence mark or the start/end of the text
        (what a sentence's edges are; the joining newline is neither a mark nor
        a digit, a letter or a comma), and no ``$`` (the joined text has one end).
        A passage's own pattern is exact under the same terms. A pattern that
        can't match a newline (``prefilter.newline_free``) is run once over the
        joined prose, its matches placed in their passages."""
        if not self.passages:
            return {}
        if self._prose is None:
            self._prose = "\n".join(p.text for p in self.passages)
            self._starts = list(accumulate((len(p.text) + 1 for p in self.passages[:-1]), initial=0))
        prose = self._prose
        live = [(pattern, _SCREENS.get(pattern)) for pattern in patterns if possible(pattern, prose)]
        live = [(pattern, screen) for pattern, screen in live if (screen or pattern).search(prose)]
        found: dict[int, set[re.Pattern]] = {}
        scanned = [pattern for pattern, _ in live if newline_free(pattern)]
        for pattern in scanned:   # one scan of the prose: each match's passage
            for m in pattern.finditer(prose):
                found.setdefault(bisect_right(self._starts, m.start()) - 1, set()).add(pattern)
        rest = [(pattern, screen) for pattern, screen in live if pattern not in scanned]
        for k, p in enumerate(self.passages if rest else ()):
            text = p.text
            for pattern, screen in rest:
                if possible(pattern, text) and (screen is None or screen.search(text)) and pattern.search(text):
                    found.setdefault(k, set()).add(pattern)
        return {id(self.passages[k]): frozenset(patterns) for k, patterns in found.items()}

    @property
    def folded(self) -> str:
        """The lines width-folded, joined by newlines (computed once): a check that
        scans every line with a pattern first asks whether it matches here at all."""
        if self._folded is None:
            self._folded = "\n".join(map(fold_width, self.lines))
        return self._folded

    @property
    def fiscal_year(self) -> int | None:
        rows = self.facts.get("document_identity") or []
        year = rows[0].get("fiscal_year") if rows else None
        return int(year) if year else None

    @property
    def phase(self) -> str | None:
        rows = self.facts.get("document_identity") or []
        return rows[0].get("phase") if rows else None

    def where(self, line: int) -> str:
        """Section path (or table title) and line of a 1-based source line."""
        if 0 < line <= len(self.lines) and is_table_row(self.lines[line - 1]):
            title = self.table_title(line)
            if title:
                return f"{title} 第{line}行"
        path = self.paths[line - 1] if 0 < line <= len(self.paths) else ""
        return f"{path} 第{line}行" if path else f"第{line}行"

    def table_title(self, line: int) -> str | None:
        """The title printed above the table that holds a 1-based line."""
        for k in range(line - 2, max(-1, line - 120), -1):
            raw = self.lines[k]
            if is_table_row(raw):
                continue
            text = _clean(raw)
            if text.endswith("表") and len(text) <= 50:
                return text
            if len(text) > 80:
                return None
        return None


def quote(text: str, pos: int, width: int = 30) -> str:
    """A short verbatim snippet around ``pos``."""
    a, b = max(0, pos - width), min(len(text), pos + width)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


def issue(check_id: str, severity: str, kind: str, location: str, expected: str | None,
          observed: str | None, description: str, source_line: int | None) -> dict:
    return {"check_id": check_id, "severity": severity, "kind": kind, "location": location,
            "expected": expected, "observed": observed, "description": description,
            "source_line": source_line}


_LAST: list = []  # (doc, facts, Context) of the last document: its checks share it


def context(doc, facts) -> Context:
    """One Context per (document, facts): the checks of one run share it."""
    if _LAST and _LAST[0] is doc and _LAST[1] is facts:
        return _LAST[2]
    ctx = Context(doc.text_lines, facts)
    _LAST[:] = [doc, facts, ctx]
    return ctx
