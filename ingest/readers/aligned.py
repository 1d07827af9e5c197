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

The work is split by responsibility: ``aligned_chunks`` (a line's chunks and
their positions), ``aligned_columns`` (columns, ``Grid``), ``aligned_rows``
(header and row repairs of a grid), ``aligned_pages`` (a header-less page
continuing a table); this module builds a region's grid from them.
"""
from __future__ import annotations

from ingest.readers.aligned_chunks import (  # noqa: F401  (re-exported: ingest.readers.text)
    _CHUNK,
    Chunk,
    _split_words,
    chunks,
    is_aligned_line,
    is_number,
)
from ingest.readers.aligned_columns import (
    Column,
    Grid,
    _add_header_columns,
    _pick_unit,
    column_of,
    data_columns,
    header_column,
)
from ingest.readers.aligned_pages import _continue
from ingest.readers.aligned_rows import _join_wrapped_headers, _merge_split_rows, _spread_crowded_headers


def _is_data(row: list[Chunk]) -> bool:
    return any(is_number(c.text) for c in row)


def _is_lane(row: list[Chunk]) -> bool:
    """Column numbers (栏次 1 2 3 …): three or more 1-2 digit integers in sequence."""
    nums = [c.text for c in row if is_number(c.text)]
    if len(nums) < 3 or not all(t.isdigit() and len(t) <= 2 for t in nums):
        return False
    values = [int(t) for t in nums]
    return values == list(range(values[0], values[0] + len(values)))


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
