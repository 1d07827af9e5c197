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
* **Cramped rows**: figures only one space apart are still separate cells.
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
        if not words and " " in m.group() and sum(map(is_number, m.group().split())) >= 2:
            # figures a single space apart (a cramped row): each is a cell
            out.extend(chunks_of_words(line, m.start(), m.end(), display))
            continue
        if display:
            start = display_width(line[:m.start()])
            end = start + display_width(m.group())
        else:
            start, end = m.start(), m.end()
        out.append(Chunk(m.group(), start, end, m.start(), m.end()))
    return out


def chunks_of_words(line: str, start: int, end: int, display: bool) -> list[Chunk]:
    return [c for c in chunks(line, display, words=True) if start <= c.char_start and c.char_end <= end]


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
    members: int = 0    # data chunks that made the column


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
        return len({c.end for line in lines for c in chunks(line, display) if is_number(c.text)})
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
        cols.append(Column("text", group[0], max(c.end for c in members), group[0], len(members)))
    cols.sort(key=lambda c: (c.start + c.end) / 2)
    return _merge_overlaps(cols)


def _merge_overlaps(cols: list[Column]) -> list[Column]:
    """Adjacent text columns that overlap are one column, and so is a text column
    of one or two chunks starting right where the one before ends (a 合计 label
    indented in the name column)."""
    out: list[Column] = []
    for col in cols:
        if out and {col.kind, out[-1].kind} == {"text", "number"}:
            num, txt = (col, out[-1]) if col.kind == "number" else (out[-1], col)
            if num.start - 1 <= txt.start < num.end:
                # labels (合计, 栏次) printed where the codes are: the codes' column
                out[-1] = Column("number", min(num.start, txt.start), max(num.end, txt.end),
                                 num.anchor, num.members + txt.members)
                continue
        touching = out and (col.start < out[-1].end or (col.members < 3 and col.start <= out[-1].end + 2))
        if touching and out[-1].kind == col.kind == "text":
            prev = out[-1]
            out[-1] = Column("text", min(prev.start, col.start), max(prev.end, col.end), prev.anchor,
                             prev.members + col.members)
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
    """The column under a header fragment's centre (cells span to the previous
    column), or the column it starts with (left-aligned over left-aligned codes)."""
    for k, col in enumerate(cols):
        if abs(chunk.start - col.start) <= 1 and col.kind == "number" and col.end - col.start <= 8:
            return k
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


def _is_lane(row: list[Chunk]) -> bool:
    """Column numbers (栏次 1 2 3 …): three or more 1-2 digit integers in sequence."""
    nums = [c.text for c in row if is_number(c.text)]
    if len(nums) < 3 or not all(t.isdigit() and len(t) <= 2 for t in nums):
        return False
    values = [int(t) for t in nums]
    return values == list(range(values[0], values[0] + len(values)))


def _split_words(chunk: Chunk, line: str, display: bool) -> list[Chunk]:
    words = chunks(line[chunk.char_start:chunk.char_end], display, words=True)
    base_unit = chunk.start
    return [Chunk(w.text, base_unit + w.start, base_unit + w.end,
                  chunk.char_start + w.char_start, chunk.char_start + w.char_end) for w in words]


def build_grid(lines: list[str], previous: list[Column] | None = None) -> Grid:
    """Cells of a region of aligned lines, by column position. ``previous``:
    the columns of the table this region may continue (the page before)."""
    display = _pick_unit(lines)
    rows = [chunks(line, display) for line in lines]
    data = [r for r in rows if _is_data(r)]
    shaping = [r for r in data if not _is_lane(r)] or data
    cols = data_columns(shaping) if data else data_columns(rows)
    first_data = next((i for i, r in enumerate(rows) if _is_data(r)), len(rows))
    header = rows[:first_data]
    cols = _add_header_columns(header, lines[:first_data], cols, display)
    flags: tuple[str, ...] = ()
    if previous and first_data == 0 and data:
        grid = build_grid(lines)  # own columns first, then mapped onto the previous page's
        return _continue(grid, previous)
    n = len(cols)
    cells: list[list[str]] = [[""] * n for _ in rows]
    spans: list[list[tuple[int, int, int] | None]] = [[None] * n for _ in rows]
    for i, (row, line) in enumerate(zip(rows, lines)):
        in_header = i < first_data
        for chunk in row:
            pieces = [chunk]
            if not in_header and not is_number(chunk.text) and " " in chunk.text:
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
                # pieces of one chunk keep their space, separate chunks get two
                gap = " " if len(pieces) > 1 else "  "
                cells[i][k] = f"{cells[i][k]}{gap}{piece.text}" if cells[i][k] else piece.text
                old = spans[i][k]
                spans[i][k] = ((i, min(old[1], piece.char_start), max(old[2], piece.char_end))
                               if old else (i, piece.char_start, piece.char_end))
    grid = Grid(cells, spans, cols, first_data, flags)
    _spread_crowded_headers(grid)
    _join_wrapped_headers(grid, header)
    _merge_split_rows(grid)
    return grid


def _transform(own: list[int], theirs: list[int]) -> tuple[float, float]:
    """The shift and scale taking positions ``theirs`` to ``own`` (least squares)."""
    n = len(own)
    if n == 1:
        return 1.0, own[0] - theirs[0]
    mo, mt = sum(own) / n, sum(theirs) / n
    var = sum((t - mt) ** 2 for t in theirs)
    scale = (sum((o - mo) * (t - mt) for o, t in zip(own, theirs)) / var) if var else 1.0
    return scale, mo - scale * mt


def _fit(own: list[int], theirs: list[int]) -> float:
    """How badly positions ``own`` fit ``theirs`` under one shift and scale."""
    if len(own) == 1:
        return abs(own[0] - theirs[0]) * 0.5
    scale, shift = _transform(own, theirs)
    residual = sum(abs(o - (scale * t + shift)) for o, t in zip(own, theirs))
    return residual + 20 * abs(scale - 1) + 0.2 * abs(shift)


def _map_numbers(own: list[int], theirs: list[int]) -> list[int] | None:
    """Indexes into ``theirs`` for each of ``own`` (both sorted), best fit."""
    from itertools import combinations
    if len(own) > len(theirs):
        return None
    best = min(combinations(range(len(theirs)), len(own)),
               key=lambda pick: _fit(own, [theirs[k] for k in pick]), default=None)
    return list(best) if best is not None else None


def _continue(grid: Grid, previous: list[Column]) -> Grid:
    """Place a header-less page's cells in the columns of the table it continues:
    text columns in order, figure columns by the best shift-and-scale fit of
    their right edges onto the previous page's."""
    mine_num = [k for k, c in enumerate(grid.columns) if c.kind == "number"]
    prev_num = [k for k, c in enumerate(previous) if c.kind != "text"]
    mine_txt = [k for k, c in enumerate(grid.columns) if c.kind != "number"]
    prev_txt = [k for k, c in enumerate(previous) if c.kind == "text"]
    picks = _map_numbers([grid.columns[k].end for k in mine_num], [previous[k].end for k in prev_num])
    if picks is None or not prev_txt:
        return grid
    target = {k: prev_num[p] for k, p in zip(mine_num, picks)}
    if mine_num:
        scale, shift = _transform([grid.columns[k].end for k in mine_num],
                                  [previous[prev_num[p]].end for p in picks])
    else:
        scale, shift = 1.0, 0.0
    for k in mine_txt:  # the text column starting nearest, once positions are fitted
        start = grid.columns[k].start
        target[k] = min(prev_txt, key=lambda t: abs(scale * previous[t].start + shift - start))
    rows = [[""] * len(previous) for _ in grid.rows]
    spans: list[list] = [[None] * len(previous) for _ in grid.rows]
    for i, row in enumerate(grid.rows):
        for k, text in enumerate(row):
            if not text:
                continue
            t = target[k]
            rows[i][t] = f"{rows[i][t]} {text}".strip() if rows[i][t] else text
            spans[i][t] = spans[i][t] or grid.spans[i][k]
    return Grid(rows, spans, previous, 0, ("continued",))


def _spread_crowded_headers(grid: Grid) -> None:
    """``基本支出 项目支出`` printed over one column while the next figure column
    has no header at all: the converter crowded two labels; the last word
    moves to the unlabelled column on its right."""
    n = grid.header_rows
    labelled = {k for i in range(n) for k, t in enumerate(grid.rows[i]) if t}
    for i in range(n):
        row = grid.rows[i]
        for k in range(len(row) - 1):
            words = row[k].split()
            right = k + 1
            if (len(words) >= 2 and grid.columns[right].kind != "text" and right not in labelled
                    and grid.columns[k].kind != "text"):
                row[k], row[right] = " ".join(words[:-1]), words[-1]
                grid.spans[i][right] = grid.spans[i][k]
                labelled.add(right)
        for k in range(1, len(row)):
            pieces = row[k].split("  ")
            if len(pieces) >= 2 and grid.columns[k].kind == "number" \
                    and grid.columns[k - 1].kind == "text" and not row[k - 1]:
                # a text column's label reaching over the figures' cell
                row[k - 1], row[k] = pieces[0], "  ".join(pieces[1:])
                grid.spans[i][k - 1] = grid.spans[i][k]


def _is_group(chunk: Chunk, cols: list[Column]) -> bool:
    """A header over several columns (its extent covers two columns' centres)."""
    centres = [(c.start + c.end) / 2 for c in cols]
    return sum(chunk.start <= x <= chunk.end for x in centres) >= 2


def _join_wrapped_headers(grid: Grid, header: list[list[Chunk]]) -> None:
    """A header cell wrapped over several lines (``本年收入合`` / ``计``) is one
    label: its fragments are joined, top to bottom, on the header's last line
    that holds a fragment, so every column's label ends on one line and only a
    header over several columns (a group) stays above the others. A group is
    a fragment covering two columns' centres, or the top fragment of a figure
    column on a line that labels only that one of three or more (pdftotext
    may print a centred group header right over one of its columns). The
    fragments keep their own line in their cells' locations."""
    n = grid.header_rows
    if n < 2:
        return
    groups = {(i, k) for i, row in enumerate(header) for chunk in row
              if _is_group(chunk, grid.columns)
              for k in [header_column(chunk, grid.columns)] if k is not None}
    last = max((i for i in range(n) if any(grid.rows[i])), default=None)
    if last is None:
        return
    top = last  # the header block: the non-blank lines just above the data
    while top > 0 and any(grid.rows[top - 1]):
        top -= 1
    figures = [k for k, c in enumerate(grid.columns) if c.kind != "text"]
    sparse = {i for i in range(top, n)
              if len(figures) >= 3 and sum(bool(grid.rows[i][k]) for k in figures) == 1}
    for k in range(len(grid.columns)):
        parts = [i for i in range(top, n) if grid.rows[i][k] and (i, k) not in groups]
        if len(parts) >= 2 and parts[0] in sparse and k in figures:
            parts = parts[1:]  # a lone fragment on a sparse line above a label: a group header
        if not parts or parts == [last]:
            continue
        text = "".join(grid.rows[i][k].replace(" ", "") for i in parts)
        spans = [grid.spans[i][k] for i in parts if grid.spans[i][k]]
        for i in parts:
            grid.rows[i][k], grid.spans[i][k] = "", None
        grid.rows[last][k] = text
        grid.spans[last][k] = spans[-1] if spans else None


def _add_header_columns(header: list[list[Chunk]], lines: list[str], cols: list[Column],
                        display: bool) -> list[Column]:
    """Columns for header fragments over no data column (empty on this page)."""
    loose: list[Chunk] = []
    claimed: set[int] = set()   # fragments inside a figure column's cell, by id
    for row, line in zip(header, lines):
        for chunk in row:
            words = _split_words(chunk, line, display) if " " in chunk.text else [chunk]
            for w in words:
                if header_column(w, cols) is None:
                    loose.append(w)
                elif _claimed_elsewhere(w, cols):
                    loose.append(w)
                    claimed.add(id(w))
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
        if all(id(c) in claimed for c in g) and len(g) < 2:
            continue  # one line inside a figure column's cell: a group header, no column
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
            words = [w for t in text_cells for w in t.split()]
            if not text_cells or (len(words) <= 3 and all(len(w) <= 1 for w in words)):
                continue  # a 类 款 项 line between: look further
            for k in filled:
                target[k], row[k] = row[k], ""
                grid.spans[j][k], grid.spans[i][k] = grid.spans[i][k], None
            break
    _merge_names_below(grid)


def _split_code(row: list[str], upper: list[str], kinds: list[str]) -> bool:
    """The line holds a 2-3 digit code part in a column the row above leaves
    blank, and otherwise only text continuing the row's text cells."""
    filled = [k for k, t in enumerate(row) if t]
    code = [k for k in filled if not upper[k] and row[k].isdigit() and len(row[k]) <= 3]
    rest = [k for k in filled if k not in code]
    return bool(code) and len(filled) <= 3 and all(
        kinds[k] == "text" and upper[k] and not is_number(row[k]) for k in rest)


def _merge_names_below(grid: Grid) -> None:
    """A row of figures whose name is printed on the next line (the name cell
    is taller than the figures'): the line below, holding text only in cells
    the row leaves blank, is merged into the row. Further fragments of the
    name stay on their lines (parsers join them)."""
    kinds = [c.kind for c in grid.columns]
    for i in range(len(grid.rows) - 1, grid.header_rows, -1):  # bottom up: pieces gather
        row = grid.rows[i]
        filled = [k for k, t in enumerate(row) if t]
        if not any(t and not is_number(t) and kinds[k] == "text" for k, t in enumerate(row)):
            continue
        above = i - 1
        if not any(grid.rows[above]) and above - 1 >= grid.header_rows:
            above -= 1
        upper = grid.rows[above]
        has_figures = any(t and is_number(t) for t in upper)
        name_blank = any(kinds[k] == "text" and not upper[k] for k in filled)
        if has_figures and _split_code(row, upper, kinds):
            for k in filled:  # a code part and a name's end printed a line lower
                upper[k] = upper[k] + row[k] if upper[k] else row[k]
                row[k] = ""
                grid.spans[i][k] = None
            continue
        if not has_figures or not name_blank or any(upper[k] for k in filled):
            continue
        if any(t and not is_number(t) and kinds[k] == "text" for k, t in enumerate(upper)):
            continue  # the row above has its name already
        for k in filled:
            upper[k], row[k] = row[k], ""
            grid.spans[above][k], grid.spans[i][k] = grid.spans[i][k], None
