"""Two steps of pdfplumber's ruled-table reading done as it does them, without
its quadratic scans and per-cell objects (:mod:`ingest.readers.pdf_tables`
uses both): the grid's cells, and a cell's text.

``pdfplumber.table.intersections_to_cells`` takes the ruling's intersections
in sorted order and, for each, the nearest cell it is the top-left corner of:
the first point below it, then the first point right of it, that an edge
joins it to, whose bottom-right corner exists and is joined to both. It finds
the points below and right of each point by scanning every point after it,
and whether two points are joined by building both points' sets of edge boxes
again for every pair it tries (~10 % of reading a ruled PDF page). Here each
point's column and row are looked up (the same points in the same order) and
each point's edge boxes are made into sets once; the cells, and so the tables,
are the same. ``Finder`` is pdfplumber's ``TableFinder`` (same settings,
edges, intersections, tables) with only that step replaced; pdfplumber is
pinned (``pyproject.toml``), so its constructor's three steps are repeated
here as they are in the pinned release.

A cell's text (``cell_text``) is ``pdfplumber.utils.extract_text`` with its
defaults, the same lines and words, without building a word dict, a
``WordExtractor`` and a ``TextMap`` per cell (~11 % of reading a ruled page):
characters clustered into lines by ``top`` (chains within 3 pt), each line
in ``x0`` order cut into words where a character starts more than 3 pt after
the last one ends or sits more than 3 pt higher or lower, a blank character
ending a word and dropped, ligatures expanded, the words clustered into
lines again by their tops, words joined by a space and lines by a newline.
A cell with a character that is not upright or has no text is left to
pdfplumber (those take other branches of its code).

``tests/test_pdf_cells.py`` and ``tests/test_pdf_cell_texts.py`` compare each
with pdfplumber's own.
"""
from __future__ import annotations

from bisect import bisect_right

from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import extract_text, obj_to_bbox
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

from ingest.readers.pdf_dedupe import clusters


class Finder(TableFinder):
    def __init__(self, page, settings=None):   # noqa: D107 — TableFinder's, one step replaced
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = grid_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def grid_cells(intersections: dict) -> list[tuple]:
    """``pdfplumber.table.intersections_to_cells(intersections)``: each point's
    smallest cell, in the points' sorted order."""
    points = sorted(intersections)
    v_boxes = {p: set(map(obj_to_bbox, found["v"])) for p, found in intersections.items()}
    h_boxes = {p: set(map(obj_to_bbox, found["h"])) for p, found in intersections.items()}
    columns: dict[float, list[tuple]] = {}   # x → its points by top (the sorted order)
    rows: dict[float, list[tuple]] = {}      # top → its points by x
    for p in points:
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)

    def joined(p1, p2) -> bool:
        return ((p1[0] == p2[0] and not v_boxes[p1].isdisjoint(v_boxes[p2]))
                or (p1[1] == p2[1] and not h_boxes[p1].isdisjoint(h_boxes[p2])))

    cells = []
    for pt in points:
        column, row = columns[pt[0]], rows[pt[1]]
        below = column[bisect_right(column, pt):]   # after pt in the sorted order, same x
        right = row[bisect_right(row, pt):]         # after pt, same top
        cell = _smallest(pt, below, right, intersections, joined)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest(pt, below, right, intersections, joined) -> tuple | None:
    for below_pt in below:
        if not joined(pt, below_pt):
            continue
        for right_pt in right:
            if not joined(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in intersections and joined(corner, right_pt) and joined(corner, below_pt):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def cell_text(chars: list[dict]) -> str:
    """``pdfplumber.utils.extract_text(chars)`` (no options)."""
    if not chars:
        return ""
    if not all(c["upright"] is True and c["text"] for c in chars):
        return extract_text(chars)
    words: list[tuple[float, str]] = []   # (top, text) of each word, in pdfplumber's order
    for line in clusters(chars, _top, DEFAULT_Y_TOLERANCE):
        word: list[dict] = []
        for c in sorted(line, key=_x0):
            if c["text"].isspace():   # a blank ends the word and is dropped
                if word:
                    words.append(_word(word))
                word = []
                continue
            if word:
                prev = word[-1]
                # (pdfplumber also starts a word where x0 steps back: never, in x0 order)
                if (c["x0"] > prev["x1"] + DEFAULT_X_TOLERANCE
                        or abs(c["top"] - prev["top"]) > DEFAULT_Y_TOLERANCE):
                    words.append(_word(word))
                    word = []
            word.append(c)
        if word:
            words.append(_word(word))
    if not words:
        return ""
    return "\n".join(" ".join(text for _, text in line)
                     for line in clusters(words, _first, DEFAULT_Y_TOLERANCE))


def _top(c: dict) -> float:
    return c["top"]


def _x0(c: dict) -> float:
    return c["x0"]


def _first(word: tuple) -> float:
    return word[0]


def _word(chars: list[dict]) -> tuple[float, str]:
    return min(c["top"] for c in chars), "".join(LIGATURES.get(c["text"], c["text"]) for c in chars)
