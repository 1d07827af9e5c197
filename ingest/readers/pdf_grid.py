"""Tables without ruling lines → ``Table`` blocks, from word positions.

Budget tables are often printed without rules (or the rules are an image the
text layer doesn't know). Their structure is still on the page: the lines
that hold amounts print them in columns. Measured on the sample reports with
every rule removed, this beats camelot stream/network, img2table and the
libraries' "text" strategies, which invent tables on prose pages and split
names into columns.

1. Words are grouped into lines (a word belongs to a line when its middle
   lies within the line's height), and the words of a line into *phrases*
   (words closer than a character's width: ``1.`` ``一般公共预算资金``).
2. A **table region** is a run of lines that hold amounts, allowing a couple
   of text-only lines in between (a wrapped name, a sub-heading), but not a
   title (``…表``), a caption (``单位：万元``, ``部门：…``) or a note (``注：…``),
   and a table-number caption (``公开 03 表``) holds no amounts: otherwise one
   table runs into the next.
3. **Columns** are the x-intervals covered by the phrases of the amount lines:
   wherever no phrase of any such line crosses, a column ends.
4. **Header lines** above the region join it when their phrases fall into at
   least two columns (with any one-phrase line between two such lines, the
   sub-header of a spanned cell); a caption with a colon (``编制单位：…``,
   ``单位：万元``) is never a header and stops the search. Every phrase goes to the column its
   centre is in (or the nearest one).

The same grid serves OCR'd pages, whose boxes come from :mod:`ingest.readers.ocr`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.document import Cell, Location, Table
from ingest.readers.clean import normalize_chars

_AMOUNT = re.compile(r"^[-+(]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,4})?\)?%?$")
MAX_GAP_LINES = 2     # text-only lines allowed inside a region
MAX_HEADER_LINES = 4


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float | None = None   # OCR recognition confidence (the lowest character's); None: text layer

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


def is_amount(text: str) -> bool:
    t = text.replace(" ", "")
    return bool(_AMOUNT.match(t)) and ("." in t or "," in t or len(t) <= 2)


def looks_tabular(segments) -> bool:
    """Cheap pre-check on a page's text segments: 3+ lines printing 2+ amounts."""
    by_line: dict[int, int] = {}
    for seg in segments:
        n = sum(1 for t in seg.text.split() if is_amount(t))
        if n:
            key = round((seg.top + seg.bottom) / 8)
            by_line[key] = by_line.get(key, 0) + n
    return sum(1 for n in by_line.values() if n >= 2) >= 3


def word_grid_tables(page, page_no: int) -> list[Table]:
    """Unruled tables of a pdfplumber page."""
    words = [Word(normalize_chars(w["text"]), w["x0"], w["top"], w["x1"], w["bottom"])
             for w in page.dedupe_chars().extract_words(x_tolerance=1.5, y_tolerance=3)]
    return grid_tables(words, page_no, height=page.height)


_PAGE_NUMBER = re.compile(
    r"^[-—–·\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–·\s]*$")


def is_page_number(text: str) -> bool:
    """``3``, ``- 3 -``, ``第 3 页``, ``3/20``, ``第3页共20页``."""
    return bool(_PAGE_NUMBER.match(text))


def grid_tables(words: list[Word], page_no: int, flag: str = "word_grid",
                height: float | None = None) -> list[Table]:
    """Unruled tables among positioned words; page numbers in the margins ignored."""
    lines = [_phrases(line) for line in _lines(words)]
    if height:
        lines = [line for line in lines if not (
            is_page_number(" ".join(p.text for p in line))
            and (line[0].bottom < 0.07 * height or line[0].top > 0.93 * height))]
    tables = []
    for start, end in _regions(lines):
        columns = _columns([p for line in lines[start:end] if _amounts(line) for p in line])
        if len(columns) < 2:
            continue
        head = _header_start(lines, start, columns)
        columns = _with_header_columns(columns, lines[head:start])
        tables.append(_table(lines[head:end], columns, page_no, flag))
    return tables


def _lines(words: list[Word]) -> list[list[Word]]:
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (w.top + w.bottom) / 2
        if out:
            top = min(x.top for x in out[-1])
            bottom = max(x.bottom for x in out[-1])
            if top <= middle <= bottom:
                out[-1].append(w)
                continue
        out.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in out]


def _phrases(line: list[Word]) -> list[Word]:
    out: list[Word] = []
    for w in line:
        if out and w.x0 - out[-1].x1 < 0.8 * min(w.height, out[-1].height) and not (
                is_amount(w.text) or is_amount(out[-1].text)):
            p = out[-1]
            sep = " " if p.text[-1:].isascii() and w.text[:1].isascii() else ""
            out[-1] = Word(p.text + sep + w.text, p.x0, min(p.top, w.top), w.x1, max(p.bottom, w.bottom))
        else:
            out.append(w)
    return out


_TABLE_NUMBER = re.compile(r"^(?:公开|附)?表?\d{1,3}(?:[-—]\d{1,3})?表?$")


def _amounts(line: list[Word]) -> int:
    """Amounts on a line; none on a table-number caption (``公开 03 表``), whose
    number would otherwise run one table into the next."""
    n = sum(1 for w in line if is_amount(w.text))
    if n and len(line) <= 4:
        text = "".join(w.text for w in line).replace(" ", "")
        if "表" in text and _TABLE_NUMBER.match(text):
            return 0
    return n


def _regions(lines: list[list[Word]]) -> list[tuple[int, int]]:
    """[start, end) runs of lines that form a table body."""
    out = []
    i = 0
    while i < len(lines):
        if not (_amounts(lines[i]) and len(lines[i]) >= 2):
            i += 1
            continue
        start = end = i
        gap = 0
        j = i + 1
        while j < len(lines):
            if _amounts(lines[j]) and len(lines[j]) >= 2:
                end, gap = j, 0
            else:
                gap += 1
                if gap > MAX_GAP_LINES or _ends_table(lines[j]):
                    break
            j += 1
        if sum(1 for line in lines[start:end + 1] if _amounts(line)) >= 2:
            out.append((start, end + 1))
        i = end + 1
    return out


_CAPTION = re.compile(r"^(?:单位|编制单位|编制部门|部门|金额单位)[:：]|^注[:：]|表$")


def _ends_table(line: list[Word]) -> bool:
    """A line no table body holds: the next table's title (``…表``), its unit or
    unit-name caption (``单位：万元``, ``部门：…``), a note (``注：…``)."""
    text = "".join(p.text for p in line).replace(" ", "")
    return len(line) <= 2 and bool(_CAPTION.search(text))


def _columns(phrases: list[Word]) -> list[tuple[float, float]]:
    spans = sorted((p.x0, p.x1) for p in phrases)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _with_header_columns(columns: list[tuple[float, float]], header: list[list[Word]]):
    """Columns no amount line fills (事业收入 with nothing budgeted) exist only in
    the header: where two phrases of one header line fall into the same column,
    the one farther from it is a column of its own."""
    out = list(columns)
    for line in reversed(header):
        by_col: dict[int, list[Word]] = {}
        for p in line:
            by_col.setdefault(_column_of(p, out), []).append(p)
        added = []
        for c, phrases in by_col.items():
            if len(phrases) < 2:
                continue
            a, b = out[c]
            phrases.sort(key=lambda p: _distance((p.x0 + p.x1) / 2, a, b))
            added += [(p.x0, p.x1) for p in phrases[1:]]
        out = sorted(out + added)
    return out


def _distance(x: float, a: float, b: float) -> float:
    return 0.0 if a <= x <= b else min(abs(x - a), abs(x - b))


def _column_of(p: Word, columns: list[tuple[float, float]]) -> int:
    centre = (p.x0 + p.x1) / 2
    best, dist = 0, float("inf")
    for i, (a, b) in enumerate(columns):
        d = 0.0 if a <= centre <= b else min(abs(centre - a), abs(centre - b))
        if d < dist:
            best, dist = i, d
    return best


def _header_start(lines: list[list[Word]], start: int, columns) -> int:
    """The first header line above a body: up to ``MAX_HEADER_LINES`` lines,
    through the farthest header line; a one-phrase line between two header
    lines (``科目编码`` under ``支出功能分类 科目名称``) belongs to the header too.
    A caption, a title or a note above stops the search."""
    head = k = start
    while k > 0 and start - k < MAX_HEADER_LINES:
        line = lines[k - 1]
        if _ends_table(line) or any(re.search(r"[:：]", p.text) for p in line):
            break
        k -= 1
        if _is_header(line, lines[k + 1], columns):
            head = k
    return head


def _is_header(line: list[Word], below: list[Word], columns) -> bool:
    """A header line: no caption colon, and in two columns or set tight on the next line
    (a header cell spanning two rows prints its text between them)."""
    if any(re.search(r"[:：]", p.text) for p in line):
        return False
    if len({_column_of(p, columns) for p in line}) >= 2:
        return True
    bottom = max(p.bottom for p in line)
    return min(p.top for p in below) - bottom <= 0.5 * max(p.height for p in line)


def _rows(lines: list[list[Word]], columns) -> list[dict[int, list[Word]]]:
    """Each line's phrases by column. A header line holding one phrase in a column
    the header line above leaves blank is a cell spanning two rows, its text set
    between them: it joins the line above, where the grid starts the cell (a
    one-cell line would not read as a table row)."""
    rows: list[dict[int, list[Word]]] = []
    in_header = True
    for line in lines:
        by_col: dict[int, list[Word]] = {}
        for p in line:
            by_col.setdefault(_column_of(p, columns), []).append(p)
        in_header = in_header and not _amounts(line)
        if in_header and rows and len(by_col) == 1 and not set(by_col) & set(rows[-1]):
            rows[-1].update(by_col)
        else:
            rows.append(by_col)
    return rows


def lowest_score(words: list[Word]) -> float | None:
    """The lowest OCR confidence of the words of a cell (None for a text layer)."""
    scores = [w.score for w in words if w.score is not None]
    return round(min(scores), 4) if scores else None


def _table(lines: list[list[Word]], columns, page_no: int, flag: str) -> Table:
    page = str(page_no)
    cells = []
    for r, by_col in enumerate(_rows(lines, columns)):
        for c, ps in sorted(by_col.items()):
            text = "".join(p.text for p in ps)
            x0, x1 = min(p.x0 for p in ps), max(p.x1 for p in ps)
            top, bottom = min(p.top for p in ps), max(p.bottom for p in ps)
            cells.append(Cell(r, c, text, x0=x0, x1=x1,
                              location=Location(page, f"{x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}",
                                                lowest_score(ps))))
    x0 = min(c.x0 for c in cells)
    x1 = max(c.x1 for c in cells)
    top = min(w.top for line in lines for w in line)
    bottom = max(w.bottom for line in lines for w in line)
    return Table(cells, Location(page, f"{x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}"), flags=(flag,))
