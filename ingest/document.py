"""The format-independent document every reader produces and every parser reads.

A ``Document`` is a sequence of blocks — ``Paragraph`` (a line of prose) or
``Table`` (a grid of ``Cell`` s) — each with its ``Location`` in the published
file: the line for text, the page and bounding box for PDF, the sheet and cell
for a workbook, the table/row/cell index for Word and HTML.

Parsers read a document through ``Document.lines``: the document's **text
rendering**, one ``Line`` per paragraph line and per table row, where a table
row is its cells joined by tabs, blank cells kept as empty strings, so cell
``i`` of the row is always column ``i`` of the table's grid. ``lines[k]`` is
source line ``k + 1``; that is the line number every fact carries as
``source_line``. For a text file the reader keeps one rendered line per line
of the file, so ``source_line`` is the file's own line number; for other
formats the rendering *is* "the document as yibao extracted it" that
``CONTRACT.md`` speaks of, and each line also carries its page and locator.
"""
from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat


def quick_init(cls):
    """A frozen, slotted dataclass with the same ``__init__`` (same parameters, same
    defaults) that sets each field through its slot's descriptor.

    ``dataclasses`` writes a frozen class's ``__init__`` as one
    ``object.__setattr__`` per field, looked up anew for every field of every
    instance: ~1.7× slower to build, and a reader builds a Location and a Cell per
    table cell and a Paragraph per line (thousands per report). The class stays
    frozen: only ``__init__`` writes the slots, as before. A field that is not a
    parameter (``init=False``) must have a default, which ``__init__`` sets."""
    fields = dataclasses.fields(cls)
    if any(f.default_factory is not dataclasses.MISSING or f.kw_only
           or (not f.init and f.default is dataclasses.MISSING) for f in fields) \
            or hasattr(cls, "__post_init__"):
        raise TypeError(f"quick_init: {cls.__name__} has a field dataclasses' __init__ treats specially")
    names = [f.name for f in fields]
    params = ", ".join(f.name if f.default is dataclasses.MISSING else f"{f.name}=_default_{f.name}"
                       for f in fields if f.init)
    namespace = {f"_set_{n}": getattr(cls, n).__set__ for n in names}
    namespace.update({f"_default_{f.name}": f.default for f in fields if f.default is not dataclasses.MISSING})
    body = "".join(f"    _set_{f.name}(self, {f.name if f.init else f'_default_{f.name}'})\n" for f in fields)
    exec(f"def __init__(self, {params}):\n{body}", namespace)  # noqa: S102 — as dataclasses does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls


@quick_init
@dataclass(frozen=True, slots=True)
class Location:
    """Where a block, row or cell stands in the published file."""

    page: str | None = None      # 1-based PDF page, or a sheet name; None for text
    locator: str | None = None   # "x0,top,x1,bottom" (PDF points), "B7", "t2.r3.c4"
    # how surely the text there was read: the OCR recognition confidence (the
    # lowest of its characters') where the place was OCR'd, else None
    ocr_confidence: float | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class Cell:
    row: int                     # 0-based row in the table's grid
    col: int                     # 0-based column in the table's grid
    text: str
    row_span: int = 1
    col_span: int = 1
    x0: float | None = None      # horizontal extent where the layout gives it
    x1: float | None = None      # (PDF points, or display columns for text)
    location: Location = Location()


@dataclass(slots=True)
class Table:
    """A grid of cells; spans are given on the top-left cell only.

    A table made by ``table_of_rows`` (the text reader's) holds its rendered
    rows instead, and makes its cells from them when they are first read:
    the pipeline reads a text file's rendering, never its tables' cells, so
    most are never made (one object per cell saved). Until then the ``cells``
    slot is unset, and reading it falls through to ``__getattr__``."""

    cells: list[Cell]
    location: Location = Location()
    title: str | None = None     # a caption the reader saw above the grid, if any
    flags: tuple[str, ...] = ()  # e.g. ("sequence_only",) where columns were guessed
    # (rendered rows, number of cells of each) while ``cells`` is not made yet
    _rows: tuple[list[Line], list[int]] | None = field(default=None, init=False, repr=False, compare=False)

    def __getattr__(self, name: str):   # only called for a name not found, i.e. unset
        rows = self._rows if name == "cells" else None
        if rows is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.cells = cells_of_rows(*rows)
        self._rows = None
        return self.cells

    @property
    def n_rows(self) -> int:
        return max([c.row + c.row_span for c in self.cells], default=0)

    @property
    def n_cols(self) -> int:
        return max([c.col + c.col_span for c in self.cells], default=0)

    def grid(self) -> list[list[Cell | None]]:
        """Rows of cells by column; a spanned position holds None."""
        n_rows, n_cols = self.n_rows, self.n_cols     # each a pass over the cells: once
        rows: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell
        return rows

    def row_texts(self) -> list[list[str]]:
        return [[c.text if c else "" for c in row] for row in self.grid()]


@quick_init
@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str                    # one line of prose (no newline)
    location: Location = Location()


Block = Paragraph | Table


@quick_init
@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document's text rendering."""

    number: int                           # 1-based; lines[k].number == k + 1
    text: str                             # a table row is its cells joined by tabs
    cells: tuple[str, ...] | None = None  # a table row's cells; None for prose
    block: int | None = None              # index of the block in Document.blocks
    row: int | None = None                # row of the table, for a table row
    location: Location = Location()
    cell_locations: tuple[Location, ...] = ()
    # a row made by ``lazy_row``: makes ``cell_locations`` from the line when first read
    _cell_locations_of: Callable[[Line], tuple[Location, ...]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def __getattr__(self, name: str):   # only called for a name not found, i.e. unset
        if name == "cell_locations":
            make = self._cell_locations_of
            if make is None:   # a prose line (``prose_lines``)
                return ()
            locations = make(self)
            _set_cell_locations(self, locations)
            _set_cell_locations_of(self, None)
            return locations
        if name == "location":   # a prose line of a text file without pages (``prose_lines``)
            location = Location(None, f"L{self.number}")
            _set_location(self, location)
            return location
        if name in _PROSE_DEFAULTS:
            return _PROSE_DEFAULTS[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


_set_cell_locations = Line.cell_locations.__set__
_set_cell_locations_of = Line._cell_locations_of.__set__
_set_location = Line.location.__set__
_set_number, _set_text, _set_block = Line.number.__set__, Line.text.__set__, Line.block.__set__
_set_cells, _set_row = Line.cells.__set__, Line.row.__set__
# what a prose line made by ``prose_lines`` leaves unset reads as (its location: see there)
_PROSE_DEFAULTS = {"cells": None, "row": None, "_cell_locations_of": None}


def prose_lines(first: int, texts: list[str], first_block: int,
                locations: list[Location] | None = None) -> list[Line]:
    """``Line(first + k, texts[k], None, first_block + k, None, locations[k])`` for
    each text: a run of a text file's prose lines, each its own paragraph.

    Made in C (empty instances, then each set slot by a map: no Python frame
    per line, three slots written instead of eight); the unset ones read as
    the defaults, and a line's location, where ``locations`` is None (a file
    without pages), as ``Location(None, "L<number>")``, made when first read:
    of a text file's lines only those printing a fact are located. Equal,
    hashed and pickled as the line with every field given."""
    n = len(texts)
    lines = list(map(object.__new__, repeat(Line, n)))
    _consume(map(_set_number, lines, range(first, first + n)))
    _consume(map(_set_text, lines, texts))
    _consume(map(_set_block, lines, range(first_block, first_block + n)))
    if locations is not None:
        _consume(map(_set_location, lines, locations))
    return lines


_consume = deque(maxlen=0).extend   # runs an iterator to its end, in C


def lazy_row(number: int, text: str, cells: tuple[str, ...], block: int, row: int, location: Location,
             cell_locations_of: Callable[[Line], tuple[Location, ...]]) -> Line:
    """A table row whose ``cell_locations`` are ``cell_locations_of(line)``, made
    when first read: of a text file's rows only those printing a fact are
    located (``ingest.extract.locate``), so most rows' cells never need a
    Location. Equal, hashed and pickled as the row with the locations given."""
    return lazy_rows(number, [text], [cells], block, [location], cell_locations_of, {}, row)[0]


def lazy_rows(first: int, texts: list[str], cells: list[tuple[str, ...]], block: int,
              locations: list[Location], cell_locations_of: Callable[[Line], tuple[Location, ...]],
              given: dict[int, tuple[Location, ...]], first_row: int = 0) -> list[Line]:
    """``lazy_row(first + r, texts[r], cells[r], block, first_row + r, locations[r],
    cell_locations_of)`` for each row ``r``, except that a row of ``given`` has
    those cell locations (``Line(…, given[r])``). Made in C as ``prose_lines``
    are: empty instances, each slot set by a map."""
    n = len(texts)
    lines = list(map(object.__new__, repeat(Line, n)))
    _consume(map(_set_number, lines, range(first, first + n)))
    _consume(map(_set_text, lines, texts))
    _consume(map(_set_cells, lines, cells))
    _consume(map(_set_block, lines, repeat(block, n)))
    _consume(map(_set_row, lines, range(first_row, first_row + n)))
    _consume(map(_set_location, lines, locations))
    _consume(map(_set_cell_locations_of, lines, repeat(cell_locations_of, n)))
    for r, cell_locations in given.items():
        _set_cell_locations(lines[r], cell_locations)
        _set_cell_locations_of(lines[r], None)
    return lines


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    source_format: str                            # text / pdf / html / docx / xlsx / ...
    encoding: str | None = None                   # for text formats
    metadata: dict[str, str] = field(default_factory=dict)  # title, 发布机构, 发布日期 …
    flags: tuple[str, ...] = ()                   # e.g. ("kangxi_radicals:3", "ocr")
    # the rendering, computed once (``render``), or given by a reader that built it
    # with the blocks (the text reader); a cache: no part of equality or repr
    _lines: list[Line] | None = field(default=None, repr=False, compare=False)
    # while ``blocks`` is unset (``lazy_blocks``): what makes them when first read
    _blocks_of: Callable[[], list[Block]] | None = field(default=None, init=False, repr=False, compare=False)
    # ``text_lines`` of the rendering it was made from (several stages read it)
    _texts: tuple[list[Line], list[str]] | None = field(default=None, init=False, repr=False, compare=False)

    def __getattr__(self, name: str):   # only called for a name not found, i.e. unset
        make = self._blocks_of if name == "blocks" else None
        if make is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.blocks = make()
        self._blocks_of = None
        return self.blocks

    @property
    def lines(self) -> list[Line]:
        if self._lines is None:
            self._lines = render(self.blocks)
        return self._lines

    @property
    def text_lines(self) -> list[str]:
        """The rendering as plain strings (what line-based parsers read), made once
        per rendering; the list is shared, so a reader of it must not change it."""
        lines = self.lines
        if self._texts is None or self._texts[0] is not lines:
            self._texts = (lines, [line.text for line in lines])
        return self._texts[1]

    @property
    def text(self) -> str:
        return "\n".join(self.text_lines)


def lazy_blocks(doc: Document, lines: list[Line], tables: dict[int, Table]) -> Document:
    """``doc`` with its blocks made from its rendering when first read: each line
    that is no table row (``row`` None) a ``Paragraph`` of its text at its
    location, and ``tables`` (block number → Table) where their rows are. For a
    reader whose paragraphs are one line each (the text reader): the pipeline
    reads a text file's rendering, never its blocks, so they are never made."""
    del doc.blocks
    doc._blocks_of = partial(blocks_of_lines, lines, tables)
    return doc


def blocks_of_lines(lines: list[Line], tables: dict[int, Table]) -> list[Block]:
    """The blocks ``lazy_blocks`` makes (``render``'s inverse for one-line paragraphs)."""
    blocks: list[Block] = []
    for line in lines:
        if line.row is None:
            blocks.append(Paragraph(line.text, line.location))
        elif line.block == len(blocks):   # a table's first row
            blocks.append(tables[line.block])
    return blocks


def render(blocks: list[Block]) -> list[Line]:
    """The text rendering: one line per paragraph and per table row."""
    lines: list[Line] = []
    for b, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            lines.append(Line(len(lines) + 1, block.text, None, b, None, block.location))
        else:
            lines.extend(table_lines(block, b, len(lines) + 1))
    return lines


_NO_LOCATION = Location()


def table_of_rows(rows: list[Line], widths: list[int], location: Location,
                  flags: tuple[str, ...] = ()) -> Table:
    """The Table whose rendering (``table_lines``) is ``rows``, for a table
    without spans whose row ``r`` has ``widths[r]`` cells, the rest of the
    row padding; its cells are made when first read (see ``Table``)."""
    table = Table.__new__(Table)
    table.location, table.title, table.flags = location, None, flags
    table._rows = (rows, widths)
    return table


def cells_of_rows(rows: list[Line], widths: list[int]) -> list[Cell]:
    """The cells of a table without spans from its rendered rows: the first
    ``widths[r]`` cells of row ``r`` (``table_lines``' inverse)."""
    return [Cell(r, c, text, location=loc)
            for r, (line, width) in enumerate(zip(rows, widths))
            for c, text, loc in zip(range(width), line.cells, line.cell_locations)]


def table_lines(table: Table, block: int, first: int) -> list[Line]:
    """The rendered lines of one table (block ``block``), numbered from ``first``."""
    out = []
    table_location = table.location
    for r, row in enumerate(table.grid()):
        cells = tuple([c.text if c else "" for c in row])
        locs = tuple([c.location if c else _NO_LOCATION for c in row])
        out.append(Line(first + r, "\t".join(cells), cells, block, r,
                        _row_location(locs, table_location), locs))
    return out


def _row_location(locs: tuple[Location, ...], table: Location) -> Location:
    """The row's page, the union of its cells' boxes, where they have boxes, and
    the lowest OCR confidence of its cells, where they were OCR'd (``locs``: the
    cells' locations, ``Location()`` for a spanned or missing cell)."""
    boxes = []
    page = table.page
    score = None
    for loc in locs:
        confidence = loc.ocr_confidence
        if confidence is not None and (score is None or confidence < score):
            score = confidence
        locator = loc.locator
        if locator is None:
            continue
        page = loc.page or page
        if "," in locator:
            parts = locator.split(",")
            if len(parts) == 4:
                try:
                    boxes.append(tuple(float(p) for p in parts))
                except ValueError:
                    pass
    if not boxes:
        return Location(page, table.locator, score)
    x0 = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    bottom = max(b[3] for b in boxes)
    return Location(page, f"{x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}", score)


__all__ = ["Block", "Cell", "Document", "Line", "Location", "Paragraph", "Table", "blocks_of_lines", "cells_of_rows",
           "lazy_blocks", "lazy_row", "lazy_rows", "prose_lines", "render", "table_lines", "table_of_rows"]
