"""pdfplumber's table finder, with the grid's cells found as it finds them but
without its quadratic scans (:mod:`ingest.readers.pdf_tables` uses it).

``pdfplumber.table.intersections_to_cells`` takes the ruling's intersections
in sorted order and, for each, the nearest cell it is the top-left corner of:
the first point below it, then the first point right of it, that an edge
joins it to, whose bottom-right corner exists and is joined to both. It finds
the points below and right of each point by scanning every point after it,
and whether two points are joined by building both points' sets of edge boxes
again for every pair it tries (~10 % of reading a ruled PDF page). Here each
point's column and row are looked up (the same points in the same order) and
each point's edge boxes are made into sets once; the cells, and so the tables,
are the same. ``tests/test_pdf_cells.py`` compares the two on generated grids.

``Finder`` is pdfplumber's ``TableFinder`` (same settings, edges,
intersections, tables) with only that step replaced; pdfplumber is pinned
(``pyproject.toml``), so its constructor's three steps are repeated here as
they are in the pinned release.
"""
from __future__ import annotations

from bisect import bisect_right

from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import obj_to_bbox


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
