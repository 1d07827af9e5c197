"""Space-aligned tables (``pdftotext -layout``, text copied from a PDF viewer)
→ grids of cells assigned to columns **by character position**.

Quirks of the layout handled here:

* **Unit of position.** ``pdftotext -layout`` puts every character, CJK or
  not, in one column of its grid; text laid out for a monospace display (an
  editor, a terminal, a viewer's copy) gives a CJK character two columns
  (``unicodedata.east_asian_width``). Both are measured and the unit under
  which the numbers of a table line up best (fewest distinct right edges) is
  used.
* **Columns** come from the lines that hold numbers: numbers are right-aligned
  in their cells, so number columns are the clusters of right edges; text
  columns (codes, names) are the clusters of left edges. A header fragment
  that sits over no data column (a column left empty on that page) becomes a
  column of its own, so a blank cell stays blank instead of letting the next
  figure slide left.
* **Headers over several lines** keep their fragments in the column they sit
  over (``本年收入合`` / ``计``); a group header spanning several columns goes
  to the column under its centre. Words of one chunk that sit over different
  columns (``基本支出 项目支出``) are split.
* **A row drawn over two lines**: a cell centred in a tall row may be printed
  one line above the row's text. A line holding only numbers whose columns the
  next text line leaves blank is merged into that line (its cells keep their
  own line in their location). A name wrapped onto the next line stays on its
  own line (one rendered line per file line); parsers join such fragments.
* **Pages.** A form feed ends a table's page; a page that starts with data
  rows and no header continues the previous page's table and its columns are
  mapped onto that table's columns by relative position.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CHUNK = re.compile(r"\S+(?: \S+)*")       # text between runs of two or more spaces
_WORD = re.compile(r"\S+")
_NUMBER = re.compile(r"^[-−(（]?\d[\d,]*(?:\.\d+)?[)）%]?$|^-$")


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass
class Chunk:
    text: str
    start: int          # in the table's unit (characters or display columns)
    end: int
    char_start: int     # always characters, for the cell's location
    char_end: int

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2


def chunks(line: str, display: bool, words: bool = False) -> list[Chunk]:
    """The chunks (or single words) of a line with their positions."""
    out = []
    pattern = _WORD if words else _CHUNK
    for m in pattern.finditer(line):
        if display:
            start = display_width(line[:m.start()])
            end = start + display_width(m.group())
        else:
            start, end = m.start(), m.end()
        out.append(Chunk(m.group(), start, end, m.start(), m.end()))
    return out


def is_aligned_line(line: str) -> bool:
    """Two or more chunks separated by runs of spaces."""
    return len(_CHUNK.findall(line)) >= 2


# --- columns -------------------------------------------------------------------

@dataclass
class Column:
    kind: str           # number / text / header
    start: int
    end: int
    anchor: int         # right edge (number) or left edge (text, header)


def _cluster(values: list[int], tol: int) -> list[list[int]]:
    groups: list[list[int]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def _pick_unit(lines: list[str]) -> bool:
    """True to measure in display columns, False in characters."""
    def distinct(display: bool) -> int:
        return len(_cluster([c.end for line in lines for c in chunks(line, display) if is_number(c.text)], 2))
    if not any("\u3000" <= ch <= "\u9fff" for line in lines for ch in line):
        return False
    return distinct(True) < distinct(False)


def data_columns(rows: list[list[Chunk]]) -> list[Column]:
    """Number columns by right edge, text columns by left edge."""
    numbers = [c for row in rows for c in row if is_number(c.text)]
    texts = [c for row in rows for c in row if not is_number(c.text)]
    cols = []
    for group in _cluster([c.end for c in numbers], 2):
        members = [c for c in numbers if group[0] <= c.end <= group[-1]]
        cols.append(Column("number", min(c.start for c in members), group[-1], group[-1]))
    for group in _cluster([c.start for c in texts], 1):
        members = [c for c in texts if group[0] <= c.start <= group[-1]]
        cols.append(Column("text", group[0], max(c.end for c in members), group[0]))
    cols.sort(key=lambda c: (c.start + c.end) / 2)
    return _merge_overlaps(cols)


def _merge_overlaps(cols: list[Column]) -> list[Column]:
    """A text column that overlaps a number column is the same column (a wide name
    cell reaching over a figure column keeps the figures' column)."""
    out: list[Column] = []
    for col in cols:
        if out and col.start < out[-1].end and out[-1].kind == col.kind == "text":
            prev = out[-1]
            out[-1] = Column("text", min(prev.start, col.start), max(prev.end, col.end), prev.anchor)
            continue
        out.append(col)
    return out


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def column_of(chunk: Chunk, cols: list[Column]) -> int | None:
    """The column a data chunk belongs to: numbers by right edge, text by overlap."""
    if is_number(chunk.text):
        best = min(range(len(cols)), key=lambda k: (cols[k].kind != "number", abs(cols[k].end - chunk.end)))
        if cols[best].kind == "number" and abs(cols[best].end - chunk.end) <= 2:
            return best
    overlaps = [(_overlap(chunk.start, chunk.end, c.start, c.end), k) for k, c in enumerate(cols)]
    size, k = max(overlaps, default=(0.0, None))
    if size > 0:
        return k
    return min(range(len(cols)), key=lambda k: abs((cols[k].start + cols[k].end) / 2 - chunk.center),
               default=None)


def header_column(chunk: Chunk, cols: list[Column]) -> int | None:
    """The column under a header fragment's centre (cells span to the previous column)."""
    for k, col in enumerate(cols):
        left = cols[k - 1].end if k else -1
        if col.kind == "number" and left < chunk.center <= col.end + 1:
            return k
        if col.kind != "number" and col.start - 1 <= chunk.center <= col.end + 1:
            return k
    return None


# --- a table region --------------------------------------------------------------

@dataclass
class Grid:
    rows: list[list[str]]                       # one per line of the region
    spans: list[list[tuple[int, int, int] | None]]  # (line offset, char start, char end) of each cell
    columns: list[Column]
    header_rows: int
    flags: tuple[str, ...] = ()


def _is_data(row: list[Chunk]) -> bool:
    return any(is_number(c.text) for c in row)


def _split_words(chunk: Chunk, line: str, display: bool) -> list[Chunk]:
    words = chunks(line[chunk.char_start:chunk.char_end], display, words=True)
    base_unit = chunk.start
    return [Chunk(w.text, base_unit + w.start, base_unit + w.end,
                  chunk.char_start + w.char_start, chunk.char_start + w.char_end) for w in words]


def build_grid(lines: list[str]) -> Grid:
    """Cells of a region of aligned lines, by column position."""
    display = _pick_unit(lines)
    rows = [chunks(line, display) for line in lines]
    data = [r for r in rows if _is_data(r)]
    cols = data_columns(data) if data else data_columns(rows)
    first_data = next((i for i, r in enumerate(rows) if _is_data(r)), len(rows))
    header = rows[:first_data]
    cols = _add_header_columns(header, lines[:first_data], cols, display)
    flags: tuple[str, ...] = ()
    n = len(cols)
    cells: list[list[str]] = [[""] * n for _ in rows]
    spans: list[list[tuple[int, int, int] | None]] = [[None] * n for _ in rows]
    for i, (row, line) in enumerate(zip(rows, lines)):
        in_header = i < first_data
        for chunk in row:
            pieces = [chunk]
            if not is_number(chunk.text) and " " in chunk.text:
                words = _split_words(chunk, line, display)
                homes = {header_column(w, cols) if in_header else column_of(w, cols) for w in words}
                if len(homes) > 1:
                    pieces = words
            for piece in pieces:
                k = header_column(piece, cols) if in_header else column_of(piece, cols)
                if k is None:
                    k = column_of(piece, cols)
                if k is None:
                    continue
                cells[i][k] = f"{cells[i][k]} {piece.text}".strip() if cells[i][k] else piece.text
                old = spans[i][k]
                spans[i][k] = ((i, min(old[1], piece.char_start), max(old[2], piece.char_end))
                               if old else (i, piece.char_start, piece.char_end))
    grid = Grid(cells, spans, cols, first_data, flags)
    _merge_split_rows(grid)
    return grid


def _add_header_columns(header: list[list[Chunk]], lines: list[str], cols: list[Column],
                        display: bool) -> list[Column]:
    """Columns for header fragments over no data column (empty on this page)."""
    loose: list[Chunk] = []
    for row, line in zip(header, lines):
        for chunk in row:
            words = _split_words(chunk, line, display) if " " in chunk.text else [chunk]
            for w in words:
                if header_column(w, cols) is None:
                    loose.append(w)
                elif _claimed_elsewhere(w, cols):
                    loose.append(w)
    groups: list[list[Chunk]] = []
    for w in sorted(loose, key=lambda c: c.start):
        if groups and _overlap(w.start - 1, w.end + 1, min(g.start for g in groups[-1]),
                               max(g.end for g in groups[-1])) > 0:
            groups[-1].append(w)
        else:
            groups.append([w])
    for g in groups:
        start, end = min(c.start for c in g), max(c.end for c in g)
        if any(_overlap(start, end, c.start, c.end) > 0 for c in cols):
            continue
        cols.append(Column("header", start, end, start))
    cols.sort(key=lambda c: (c.start + c.end) / 2)
    return cols


def _claimed_elsewhere(w: Chunk, cols: list[Column]) -> bool:
    """A header word far left of the number column whose cell it falls in, with
    room for a column of its own between (an empty column's header)."""
    k = header_column(w, cols)
    col = cols[k]
    return col.kind == "number" and w.end < col.start - 2 and (col.end - col.start) < (col.end - w.start) / 2


def _merge_split_rows(grid: Grid) -> None:
    """Move a numbers-only line into the next text line whose cells it fills."""
    kinds = [c.kind for c in grid.columns]
    for i in range(grid.header_rows, len(grid.rows)):
        row = grid.rows[i]
        filled = [k for k, t in enumerate(row) if t]
        if not filled or any(kinds[k] != "number" or not is_number(row[k]) for k in filled):
            continue
        for j in range(i + 1, min(len(grid.rows), i + 4)):
            target = grid.rows[j]
            text_cells = [t for k, t in enumerate(target) if t and not is_number(t)]
            if not any(target):
                continue
            if any(target[k] for k in filled):
                break
            if not text_cells or all(len(w) <= 1 for t in text_cells for w in t.split()):
                continue  # a 类 款 项 line between: look further
            for k in filled:
                target[k], row[k] = row[k], ""
                grid.spans[j][k], grid.spans[i][k] = grid.spans[i][k], None
            break
