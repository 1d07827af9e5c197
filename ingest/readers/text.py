"""Text files (the text of a published PDF, however it was converted) → Document.

Every way a report arrives as text is read here, and only here:

* **Encoding**: UTF-8 (with or without BOM) or GB18030 (``ingest.text.decode``);
  anything else, an empty file or a binary file is ``UnreadableFile`` naming
  the file and the reason.
* **Characters** are normalised once (``ingest.text.normalize``: full-width
  forms, NBSP/U+3000, zero-width characters, Kangxi and supplement radicals);
  what was replaced is counted in ``Document.flags`` (``kangxi_radicals:3``).
* **Tab-separated rows** (today's converted corpus): a line holding a tab is a
  table row, its cells are the tab-separated fields, blanks kept.
* **`` | ``-separated rows** (HTML tables flattened by web tools): cells between
  the pipes, blanks kept; a ``|---|`` rule line is no row.
* **Space-aligned columns** (``pdftotext -layout``, copy-paste from a PDF
  viewer): consecutive lines with runs of two or more spaces form a table,
  whose cells are assigned to columns by character position
  (:mod:`ingest.readers.aligned`).
* **Pages**: a form feed starts a new page (``Location.page``); a page number
  alone on its line is prose, not a row.

One rendered line per line of the file: ``Document.lines[k]`` is line ``k + 1``
of the file, so ``source_line`` is the file's own line number. A table row's
cells carry their location as ``L<line>:<first char>-<last char>`` (1-based
characters of the file's line), so a figure moved to its row from the line
above (a cell drawn over two lines) still points at where it is printed.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import partial

from ingest.document import (
    Cell,
    Document,
    Line,
    Location,
    Table,
    lazy_blocks,
    lazy_rows,
    prose_lines,
    table_lines,
    table_of_rows,
)
from ingest.readers.aligned import _CHUNK, build_grid
from ingest.text import UnreadableFile, decode, lines_of, normalize

# (no two \s* meet with only optional parts between them: linear on long runs)
_PIPE_RULE = re.compile(r"^\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*(?:\|\s*)?$")
_PAGE_NUMBER = re.compile(r"^\s*(?:第\s*)?(?:[-—–]\s*)?\d{1,4}\s*(?:[-—–]\s*)?(?:页\s*)?$")
_MAX_GAP = 4   # prose-looking lines a space-aligned table may hold between its rows


def read(data: bytes, name: str) -> Document:
    try:
        decoded = decode(data)
    except UnreadableFile as exc:
        raise UnreadableFile(f"{name}: {exc}") from None
    text, counts = normalize(decoded.text)
    raw = lines_of(text)
    pages, lines = _pages(raw)
    tables, rendered = _blocks(lines, pages)
    flags = tuple(f"{k}:{v}" for k, v in sorted(counts.items()))
    doc = Document([], "text", encoding=decoded.encoding, flags=flags)
    doc._lines = rendered   # the blocks' rendering (``ingest.document.render``), built with them
    return lazy_blocks(doc, rendered, tables)   # its paragraphs: one per prose line, when read


def _pages(raw: list[str]) -> tuple[list[str | None], list[str]]:
    """Each line's page (None when the file has no form feeds) and its text."""
    if not any("\f" in line for line in raw):
        return [None] * len(raw), raw
    page, pages, lines = 1, [], []
    for line in raw:
        page += line.count("\f") if line.strip("\f").strip() or line.startswith("\f") else 0
        pages.append(str(page))
        lines.append(line.replace("\f", ""))
    return pages, lines


def kind_of(line: str) -> str:
    """tab / pipe / aligned / prose / blank."""
    if "\t" in line:
        return "tab" if line.strip() else "blank"
    text = line.strip()
    if not text:
        return "blank"
    if "|" in text and (line.count("|") >= 2 or " | " in line):
        return "pipe"
    if _two_chunks(text):
        return "aligned"
    return "prose"


def _two_chunks(text: str) -> bool:
    """``is_aligned_line`` of a stripped line, by C-level string calls instead of a
    regex scan: its chunks are its words joined by single spaces, so it has two
    or more where a run of whitespace between two words is not one space."""
    return "  " in text or " ".join(text.split()) != text


def kinds_of(lines: list[str]) -> tuple[list[str], list[int]]:
    """``kind_of`` of each line, and the indices of the table rows (tab, pipe or
    aligned), in order."""
    kinds = list(map(kind_of, lines))
    return kinds, [k for k, kind in enumerate(kinds) if kind in _ROW_KINDS]


_ROW_KINDS = frozenset({"tab", "pipe", "aligned"})


def _blocks(lines: list[str], pages: list[str | None]) -> tuple[dict[int, Table], list[Line]]:
    """The tables of the file's lines (block number → Table; every other line is
    a paragraph of its own) and their rendering (``Document.lines``): one
    rendered line per line of the file."""
    kinds, rows = kinds_of(lines)
    tables: dict[int, Table] = {}
    rendered: list[Line] = []
    previous = None  # columns of the last space-aligned table, while it may continue
    i = block = 0
    while i < len(lines):
        kind = kinds[i]
        if kind in ("tab", "pipe"):
            j = i
            while j < len(lines) and kinds[j] == kind:
                j += 1
            tables[block] = _delimited_table(lines, pages, i, j, kind, block, rendered)
            block += 1
        elif kind == "aligned":
            j = _aligned_end(lines, kinds, pages, i)
            table, previous = _aligned_table(lines, pages, i, j, previous)
            rendered.extend(table_lines(table, block, len(rendered) + 1))
            tables[block] = table
            block += 1
        else:   # prose and blank lines up to the next table row
            k = bisect_left(rows, i)
            j = rows[k] if k < len(rows) else len(lines)
            if previous is not None and any(kinds[n] == "prose" and _ends_table(lines[n]) for n in range(i, j)):
                previous = None  # prose between: the next table is a new one
            rendered.extend(_paragraphs(lines, pages, i, j, block))
            block += j - i
        i = j
    return tables, rendered


def _paragraphs(lines: list[str], pages: list[str | None], i: int, j: int, block: int) -> list[Line]:
    """The rendering of lines ``i:j``, paragraphs ``block`` on, each located at its
    line (``ingest.document.prose_lines``: made in C, the location when first
    read where the file has no pages)."""
    locations = None if pages[i] is None else \
        list(map(Location, pages[i:j], map("L%d".__mod__, range(i + 1, j + 1))))
    return prose_lines(i + 1, lines[i:j], block, locations)


def _ends_table(line: str) -> bool:
    """A prose line after which a space-aligned table does not continue: not a
    page number, not a short line indented as a cell is."""
    indented = len(line) - len(line.lstrip()) > 4 and len(line.strip()) <= 30
    return not _PAGE_NUMBER.match(line) and not indented


def _aligned_end(lines: list[str], kinds: list[str], pages: list[str | None], i: int) -> int:
    """One past the last line of the space-aligned table starting at ``i``.

    Prose-looking lines may sit between its rows (a name wrapped onto its own
    line) up to ``_MAX_GAP`` of them; any number of short single cells that
    start where a later column of the table starts (one half of a table whose
    other half is blank on those rows) belong to it as well."""
    last, j = i, i + 1
    starts = _inner_starts(lines[i])
    firsts = {_lead(lines[i])}
    while j < len(kinds) and pages[j] == pages[i]:
        if kinds[j] == "aligned":
            last = j
            starts |= _inner_starts(lines[j])
            firsts.add(_lead(lines[j]))
        elif kinds[j] in ("tab", "pipe"):
            break
        elif kinds[j] == "prose":
            if _in_column(lines[j], starts):
                last = j
            elif j - last > _MAX_GAP or not _fragment(lines[j], starts | firsts):
                break  # a title or a paragraph: the table ended
        elif j - last > _MAX_GAP:
            break
        j += 1
    return last + 1


def _lead(line: str) -> int:
    return len(line) - len(line.lstrip())


def _fragment(line: str, starts: set[int]) -> bool:
    """A short piece of a cell (a wrapped name) starting where a column does."""
    return len(line.strip()) <= 12 and any(abs(_lead(line) - s) <= 1 for s in starts)


def _inner_starts(line: str) -> set[int]:
    """Where the chunks after the first start (character positions)."""
    return {m.start() for m in _CHUNK.finditer(line)} - {len(line) - len(line.lstrip())}


def _in_column(line: str, starts: set[int]) -> bool:
    text = line.strip()
    lead = len(line) - len(line.lstrip())
    return 0 < len(text) <= 30 and lead > 4 and any(abs(lead - s) <= 1 for s in starts)


def _cell_location(page: str | None, line: int, start: int, end: int) -> Location:
    return Location(page, f"L{line}:{start + 1}-{end}")


def _delimited_table(lines: list[str], pages: list[str | None], i: int, j: int, kind: str,
                     block: int, rendered: list[Line]) -> Table:
    """The Table of the tab or pipe rows ``i:j`` (block ``block``); its rendered
    lines are appended to ``rendered``, as ``ingest.document.table_lines`` gives
    them: each row padded with blank cells to the table's width, the row's
    location the table's lines on the row's page.

    Nothing is made per cell but its text: the table's cells are made from the
    rows only if they are read (``table_of_rows``), and so are the locations of
    a tab row's cells where no cell is padded (``lazy_rows``; most rows are)."""
    table_page, table_locator = pages[i], f"L{i + 1}-L{j}"
    row_of = _tab_row if kind == "tab" else _pipe_row
    rows = [row_of(lines[n], pages[n], n + 1) for n in range(i, j)]
    widths = [len(texts) for texts, _ in rows]
    width = max(widths)
    row_locations: dict[str | None, Location] = {}   # one per page: the rows share it
    locations, cells, texts = [], [], []
    given: dict[int, tuple[Location, ...]] = {}   # the rows whose cell locations are made now
    for r, (row_texts, locs) in enumerate(rows):
        page = pages[i + r]
        location = row_locations.get(page)
        if location is None:
            location = row_locations[page] = Location(page or table_page, table_locator)
        locations.append(location)
        if len(row_texts) < width:
            row_texts = row_texts + [""] * (width - len(row_texts))
        cells.append(tuple(row_texts))
        texts.append("\t".join(row_texts))
        if locs is not None:
            given[r] = tuple(locs) + (_NO_LOCATION,) * (width - len(locs))
    out = lazy_rows(i + 1, texts, cells, block, locations, partial(_tab_row_locations, pages, widths), given)
    rendered.extend(out)
    return table_of_rows(out, widths, Location(table_page, table_locator))


def _tab_row_locations(pages: list[str | None], widths: list[int], line: Line) -> tuple[Location, ...]:
    """``_tab_locations`` of a row of a tab table whose rows have ``widths`` cells
    (the table's rows share this, not one function each)."""
    return _tab_locations(pages[line.number - 1], widths[line.row], line)


_NO_LOCATION = Location()


def _tab_row(line: str, page: str | None, number: int) -> tuple[list[str], list[Location] | None]:
    """The texts and locations of a tab-separated row's cells (file line ``number``);
    None for the locations where no cell is padded (``_tab_locations`` makes them)."""
    parts = line.split("\t")
    texts = list(map(str.strip, parts))
    if texts == parts:
        return texts, None
    prefix = f"L{number}:"
    return texts, [Location(page, f"{prefix}{start + 1}-{end}") for _, start, end in _split(line, "tab")]


def _tab_locations(page: str | None, width: int, line: Line) -> tuple[Location, ...]:
    """The cells' locations of a tab row with ``width`` cells (the rest padding),
    none of them padded: each cell starts one past the tab after the previous one."""
    prefix = f"L{line.number}:"
    locs = []
    first = 1   # 1-based
    for text in line.cells[:width]:
        last = first + len(text) - 1
        locs.append(Location(page, f"{prefix}{first}-{last}"))
        first = last + 2
    return (*locs, *(_NO_LOCATION,) * (len(line.cells) - width))


def _pipe_row(line: str, page: str | None, number: int) -> tuple[list[str], list[Location]]:
    """The texts and locations of a ``|``-separated row's cells; a rule line is one
    blank cell located at the line (one rendered line per file line)."""
    if _PIPE_RULE.match(line):
        return [""], [Location(page, f"L{number}")]
    prefix = f"L{number}:"
    parts = _split(line, "pipe")
    return [text for text, _, _ in parts], [Location(page, f"{prefix}{start + 1}-{end}") for _, start, end in parts]


def _split(line: str, kind: str) -> list[tuple[str, int, int]]:
    """(text, start, end) of each cell of a tab or pipe row."""
    if kind == "tab":
        out, pos = [], 0
        for part in line.split("\t"):
            text = part.strip()
            if text == part:   # most cells: no padding to measure
                out.append((part, pos, pos + len(part)))
            else:
                lead = len(part) - len(part.lstrip())
                out.append((text, pos + lead, pos + len(part.rstrip())))
            pos += len(part) + 1
        return out
    body = line.strip()
    offset = line.index(body[0]) if body else 0
    if body.startswith("|"):
        body, offset = body[1:], offset + 1
    if body.endswith("|"):
        body = body[:-1]
    out, pos = [], offset
    for part in body.split("|"):
        lead = len(part) - len(part.lstrip())
        out.append((part.strip(), pos + lead, pos + len(part.rstrip())))
        pos += len(part) + 1
    return out


def _aligned_table(lines: list[str], pages: list[str | None], i: int, j: int, previous):
    """The Table of lines ``i:j`` and its columns (for a next page continuing it)."""
    grid = build_grid(lines[i:j], previous)
    cells = []
    for r, row in enumerate(grid.rows):
        n = i + r
        for c, text in enumerate(row):
            span = grid.spans[r][c]
            if span is None:
                loc = Location(pages[n], f"L{n + 1}")
            else:
                loc = _cell_location(pages[i + span[0]], i + span[0] + 1, span[1], span[2])
            cells.append(Cell(r, c, text, location=loc))
    return Table(cells, Location(pages[i], f"L{i + 1}-L{j}"), flags=grid.flags), grid.columns
