"""Repairs of a built grid of a space-aligned table: header labels crowded over
one column, header cells wrapped over several lines, and rows drawn over two
lines (figures a line above their name, a name or a code part a line below its
figures). See ``ingest.readers.aligned``."""
from __future__ import annotations

from ingest.readers.aligned_chunks import Chunk, is_number
from ingest.readers.aligned_columns import Column, Grid, header_column


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
