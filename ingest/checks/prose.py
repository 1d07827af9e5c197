"""What the text checks share: passages, sentences, figures, issue rows, one context.

Report text quirks handled here
-------------------------------
* Prose converted from PDF wraps anywhere, even inside a figure
  (``149.22`` / ``万元``), and a blank line may fall inside a sentence. A
  **passage** joins the prose lines (rows without tabs) of one paragraph: a
  line joins the next unless it ends a sentence (``。！？：；``), is short (a
  title), or the next line starts a numbered heading. Each character keeps
  its source line, so an issue names the line its sentence starts on.
* **Headings** and the **outline** (the path of the headings above a line)
  are :mod:`ingest.checks.outline`'s; ``Context`` computes them once.
* Table rows (tab-separated lines) are not prose; checks that need tables
  read the parsers' ``line_items`` facts.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import accumulate

from ingest.checks.outline import SENTENCE_END, heading_level, outline, toc_lines
from ingest.prefilter import JoinedLines, newline_free, possible, required
from ingest.text import fold_width, normalize_label

TOLERANCE = Decimal("0.01")       # 万元 and percentage points, as the table checks
# A figure and its unit. The lookbehind (the character before the figure is no
# digit and no dot) stands behind the figure's first digit, not before it: the
# same matches, but the pattern opens with a digit, which ``re`` scans for in
# C, where a pattern opening with a lookbehind is tried at every position
# (tests/test_fast_paths_checks_s8.py compares it with the lookbehind first).
MONEY = re.compile(r"(\d(?<![\d.]\d)[\d,]*(?:\.\d+)?)\s*(万元|亿元|元)")
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




@dataclass(slots=True)
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
    append = out.append
    cur: Passage | None = None
    for i, raw in enumerate(lines, 1):
        if "\t" in raw:   # a table row (is_table_row)
            if cur is not None:
                append(cur)
                cur = None
            continue
        text = _clean(raw)
        if not text:
            continue
        level = heading_level(text)
        ends = text[-1] in SENTENCE_END or len(text) < 20   # a sentence end, or a title
        if cur is None or level is not None:   # a heading starts a passage
            if cur is not None:
                append(cur)
            cur = Passage(text, [0], [i])
            if ends or (level is not None and level <= 2 and len(text) <= 40):
                append(cur)   # …or a 一、/（一） heading on its own line
                cur = None
        else:
            cur.starts.append(len(cur.text))
            cur.lines.append(i)
            cur.text += text
            if ends:
                append(cur)
                cur = None
    if cur is not None:
        append(cur)
    return out




@dataclass(slots=True)
class Sentence:
    text: str
    start: int           # offset in its passage
    passage: Passage

    @property
    def line(self) -> int:
        return self.passage.line_at(self.start)


_SENTENCE_MARK = re.compile(r"[。！？!?；;]")


def sentences(passage: Passage) -> list[Sentence]:
    text = passage.text
    if text and _SENTENCE_MARK.search(text, 0, len(text) - 1) is None:
        return [Sentence(text, 0, passage)]   # no mark before its last character: one sentence
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


_FREE: dict[re.Pattern, bool] = {}


def _newline_free(pattern: re.Pattern) -> bool:
    """``prefilter.newline_free``, once per pattern (it parses the pattern)."""
    free = _FREE.get(pattern)
    if free is None:
        free = _FREE[pattern] = newline_free(pattern)
    return free


def _piece(pattern: re.Pattern, screen: re.Pattern | None) -> str | None:
    """The longest substring every match of ``pattern`` contains (its screen's
    counts too), if any: a passage without it can't hold a match."""
    pieces = required(pattern) + (required(screen) if screen is not None else ())
    return max(pieces, key=len) if pieces else None


def _holding(prose: str, starts: list[int], piece: str | None) -> list[int]:
    """The passages (indexes) of ``prose`` whose text contains ``piece``; all when
    there is none. Found with ``str.find`` over the joined prose, on from the next
    passage after each find (a piece found across the joining newline only adds a
    passage that is then tested)."""
    if not piece:
        return list(range(len(starts)))
    out, last, pos = [], len(starts) - 1, prose.find(piece)
    while pos >= 0:
        k = bisect_right(starts, pos) - 1
        out.append(k)
        pos = prose.find(piece, starts[k + 1]) if k < last else -1
    return out


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
        self.folded_lines: list[str] = []   # (with ``folded``)
        self._joined: JoinedLines | None = None   # (with ``folded``)

    def prose(self) -> tuple[str, list[int]]:
        """The passages joined by newlines, and where each starts in the joined text."""
        if self._prose is None:
            self._prose = "\n".join(p.text for p in self.passages)
            self._starts = list(accumulate((len(p.text) + 1 for p in self.passages[:-1]), initial=0))
        return self._prose, self._starts

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
        prose, starts = self.prose()
        live = [(pattern, _SCREENS.get(pattern)) for pattern in patterns if possible(pattern, prose)]
        live = [(pattern, screen) for pattern, screen in live if (screen or pattern).search(prose)]
        found: dict[int, set[re.Pattern]] = {}
        last = len(starts) - 1
        for pattern, screen in live:
            if _newline_free(pattern):
                # one scan of the prose: a match's passage, then on from the next passage
                # (a match can't run into it; lookbehinds still read the text before)
                m = pattern.search(prose)
                while m is not None:
                    k = bisect_right(starts, m.start()) - 1
                    found.setdefault(k, set()).add(pattern)
                    m = pattern.search(prose, starts[k + 1]) if k < last else None
                continue
            for k in _holding(prose, starts, _piece(pattern, screen)):
                text = self.passages[k].text
                if possible(pattern, text) and (screen is None or screen.search(text)) and pattern.search(text):
                    found.setdefault(k, set()).add(pattern)
        return {id(self.passages[k]): frozenset(patterns) for k, patterns in found.items()}

    @property
    def folded(self) -> str:
        """The lines width-folded, joined by newlines (computed once): a check that
        scans every line with a pattern first asks whether it matches here at all."""
        if self._folded is None:
            self.folded_lines = list(map(fold_width, self.lines))
            self._joined = JoinedLines(self.folded_lines)
            self._folded = self._joined.text
        return self._folded

    def lines_holding(self, pieces: tuple[str, ...]) -> list[int]:
        """The (0-based) lines whose folded text contains one of ``pieces`` (none
        holding a newline), in order: the lines a pattern can match on whose every
        match contains one of them. Found with ``str.find`` over ``folded``
        (``prefilter.JoinedLines``)."""
        self.folded   # noqa: B018 — builds the joined lines once
        return self._joined.holding_any(pieces)

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


def forget() -> None:
    """Let go of the last document's Context (and so of the document): called
    once its checks are done, so the document dies with its parse instead of
    living, unused, until the next document's checks."""
    _LAST.clear()
