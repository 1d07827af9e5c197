"""The layout layer: a Document ``Table`` → a labelled grid.

Readers give a grid of cells; parsers want every body cell under the label of
its column. This module does that once, for every format:

* **Header rows** are the rows above the first body row. A body row prints a
  figure in a cell after its first (the first is a name or a code); a parser
  with its own notion passes ``is_body``.
* **Column labels** join a column's header fragments from top to bottom
  (``本年支出`` over ``合计`` → ``本年支出合计``), whitespace removed, width
  folded. A group header — a fragment whose right-hand neighbour is blank while
  a lower header row fills that neighbour (``本年支出`` over ``小计 | 基本支出 |
  项目支出``, or a merged cell spanning them) — names the group, not its first
  column, and is left out.
* **Body cells are assigned to columns**
  1. by **x-overlap** where the cell and the header carry x-extents (PDF
     cells): the column whose header extent overlaps the cell most;
  2. by **index** where the reader's grid is positional (tabs, pipes, ruled
     PDF tables, HTML / Word / Excel grids): cell ``i`` is column ``i``;
  3. **in sequence** — the non-blank cells left to right onto the columns —
     only where nothing else is possible: the reader says its column positions
     were guessed (``sequence_only`` in ``Table.flags``) and the cells carry
     no extents. Each cell placed so carries the flag ``sequence_only``: a
     fact read from it is low-confidence, and its parser says so in the
     fact's ``flags``.

Pure functions of the table: nothing here knows about budgets or reports.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.document import Cell, Location, Table
from ingest.numbers import parse_amount
from ingest.text import normalize_label

SEQUENCE_ONLY = "sequence_only"   # Table.flags / LabelledCell.flags: columns guessed from order


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    label: str                    # the joined header fragments ('' where the header prints none)
    x0: float | None = None       # the column's extent, from its header cells
    x1: float | None = None


@dataclass(frozen=True, slots=True)
class LabelledCell:
    row: int                      # the row in the table's grid
    column: int                   # the column it was assigned to
    label: str
    text: str
    assigned_by: str              # "x_overlap" / "index" / "sequence"
    location: Location = Location()

    @property
    def flags(self) -> tuple[str, ...]:
        return (SEQUENCE_ONLY,) if self.assigned_by == "sequence" else ()


@dataclass(frozen=True, slots=True)
class LabelledGrid:
    header_rows: int              # how many rows at the top are header
    columns: tuple[Column, ...]
    body: tuple[tuple[LabelledCell, ...], ...]   # one tuple per body row, blank cells left out

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.columns]


def is_figure_row(texts: Sequence[str]) -> bool:
    """The default body-row test: a figure in a cell after the first."""
    return any(parse_amount(t) is not None for t in texts[1:] if t and t.strip())


def header_row_count(rows: Sequence[Sequence[str]],
                     is_body: Callable[[Sequence[str]], bool] = is_figure_row) -> int:
    """Rows above the first body row (all of them when no row is a body row)."""
    return next((r for r, texts in enumerate(rows) if is_body(texts)), len(rows))


def _is_group_fragment(header: Sequence[Sequence[str]], k: int, c: int) -> bool:
    """A fragment whose right neighbour is blank in its row and filled below."""
    row = header[k]
    right = c + 1
    if right >= len(row) or normalize_label(row[right]):
        return False
    return any(right < len(lower) and normalize_label(lower[right]) for lower in header[k + 1:])


def column_labels(header: Sequence[Sequence[str]]) -> list[str]:
    """Each column's label: its header fragments joined top to bottom, group
    headers left out (see module docstring)."""
    width = max((len(r) for r in header), default=0)
    labels = []
    for c in range(width):
        parts = [normalize_label(row[c]) for k, row in enumerate(header)
                 if c < len(row) and normalize_label(row[c]) and not _is_group_fragment(header, k, c)]
        labels.append("".join(parts))
    return labels


def _column_extents(grid: list[list[Cell | None]], n_header: int, width: int) -> list[tuple[float, float] | None]:
    """Per column, the union of the extents of its one-column header cells."""
    extents: list[tuple[float, float] | None] = [None] * width
    for row in grid[:n_header]:
        for cell in row:
            if cell is None or cell.col_span != 1 or cell.x0 is None or cell.x1 is None:
                continue
            old = extents[cell.col]
            extents[cell.col] = (cell.x0, cell.x1) if old is None else (min(old[0], cell.x0), max(old[1], cell.x1))
    return extents


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _by_overlap(cell: Cell, columns: Sequence[Column]) -> int | None:
    if cell.x0 is None or cell.x1 is None:
        return None
    best = max(((_overlap(cell.x0, cell.x1, c.x0, c.x1), c.index) for c in columns
                if c.x0 is not None and c.x1 is not None), default=(0.0, None))
    return best[1] if best[0] > 0 else None


def _assign_row(cells: list[Cell], columns: Sequence[Column], positional: bool) -> list[LabelledCell]:
    out = []
    for n, cell in enumerate(cells):
        col, how = _by_overlap(cell, columns), "x_overlap"
        if col is None and positional and cell.col < len(columns):
            col, how = cell.col, "index"
        if col is None and not positional and n < len(columns):
            col, how = columns[n].index, "sequence"
        if col is None:
            continue  # a cell beyond every column: no label to give it
        out.append(LabelledCell(cell.row, col, columns[col].label, cell.text, how, cell.location))
    return out


def label_table(table: Table, is_body: Callable[[Sequence[str]], bool] = is_figure_row) -> LabelledGrid:
    """The table as header rows, labelled columns and assigned body cells."""
    grid = table.grid()
    texts = [[c.text if c else "" for c in row] for row in grid]
    n_header = header_row_count(texts, is_body)
    labels = column_labels(texts[:n_header])
    width = max(len(labels), table.n_cols)
    labels += [""] * (width - len(labels))
    extents = _column_extents(grid, n_header, width)
    columns = tuple(Column(c, labels[c], *(extents[c] or (None, None))) for c in range(width))
    positional = SEQUENCE_ONLY not in table.flags
    body = tuple(tuple(_assign_row([c for c in row if c is not None and c.text.strip()], columns, positional))
                 for row in grid[n_header:])
    return LabelledGrid(n_header, columns, body)


__all__ = ["Column", "LabelledCell", "LabelledGrid", "SEQUENCE_ONLY", "column_labels", "header_row_count",
           "is_figure_row", "label_table"]
