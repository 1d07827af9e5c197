"""The columns of a space-aligned table region: number columns from the right
edges of the figures, text columns from the left edges of codes and names,
columns for header fragments over no data column, and which column a data
chunk or a header fragment belongs to; ``Grid``, the cells a region resolves
to. See ``ingest.readers.aligned``."""
from __future__ import annotations

from dataclasses import dataclass

from ingest.readers.aligned_chunks import Chunk, _split_words, chunks, is_number


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


@dataclass
class Grid:
    rows: list[list[str]]                       # one per line of the region
    spans: list[list[tuple[int, int, int] | None]]  # (line offset, char start, char end) of each cell
    columns: list[Column]
    header_rows: int
    flags: tuple[str, ...] = ()
