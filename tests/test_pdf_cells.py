"""``pdf_cells.grid_cells`` finds the cells pdfplumber's own
``intersections_to_cells`` finds, in the same order, on generated ruling:
grids with rules left out (merged cells), rules that stop short, two grids
side by side, and stray lines — turned into intersections by pdfplumber's
``edges_to_intersections`` as the table finder does; and ``pdf_cells.cell_text``
gives the text pdfplumber's ``extract_text`` gives, on generated cells."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.table import edges_to_intersections, intersections_to_cells

from ingest.readers.pdf_cells import grid_cells


def _v(x, top, bottom):
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "height": bottom - top, "orientation": "v"}


def _h(top, x0, x1):
    return {"x0": x0, "top": top, "x1": x1, "bottom": top, "width": x1 - x0, "orientation": "h"}


@st.composite
def _ruling(draw):
    """Rules on a lattice of 10-pt steps (so they meet), some left out or cut short."""
    n_x, n_y = draw(st.integers(2, 6)), draw(st.integers(2, 6))
    left, top = draw(st.sampled_from([0, 200])), 0
    xs = [left + 10 * k for k in range(n_x)]
    ys = [top + 10 * k for k in range(n_y)]
    edges = []
    for y in ys:
        if draw(st.integers(0, 5)):
            a, b = sorted(draw(st.lists(st.sampled_from(xs), min_size=2, max_size=2, unique=True)))
            edges.append(_h(y, xs[0] if draw(st.booleans()) else a, xs[-1] if draw(st.booleans()) else b))
    for x in xs:
        for k in range(n_y - 1):
            if draw(st.integers(0, 4)):
                edges.append(_v(x, ys[k], ys[k + 1]))
    for _ in range(draw(st.integers(0, 3))):   # stray rules, off the lattice
        x = draw(st.floats(0, 260, allow_nan=False))
        edges.append(_v(x, draw(st.sampled_from(ys)), ys[-1] + 5))
    return edges


@settings(max_examples=300, deadline=None)
@given(st.lists(_ruling(), min_size=1, max_size=2))
def test_the_same_cells_as_pdfplumbers(grids):
    edges = [e for grid in grids for e in grid]
    intersections = edges_to_intersections(edges, 3, 3)
    assert grid_cells(intersections) == intersections_to_cells(intersections)


def test_a_merged_cell_is_one_cell():
    edges = [_h(y, 0, 20) for y in (0, 10, 20)] + [_v(x, 0, 20) for x in (0, 20)] + [_v(10, 10, 20)]
    cells = grid_cells(edges_to_intersections(edges, 3, 3))
    assert (0, 0, 20, 10) in cells and (0, 10, 10, 20) in cells and (10, 10, 20, 20) in cells
    assert len(cells) == 3


_TEXTS = st.sampled_from(["1", "0", ".", "万", "元", "合", "计", "ﬁ", "ﬀ", "-"] * 4 + [" ", "", "\u3000"])


@st.composite
def _cell_chars(draw):
    """A cell's characters on a half-point lattice: one line or several close
    lines (tops within and beyond 3 pt of each other), gaps within and beyond
    3 pt, a character stepping back, now and then a blank, an empty text, a
    ligature or a character that is not upright."""
    chars = []
    for _ in range(draw(st.integers(1, 12))):
        x0 = 0.5 * draw(st.integers(0, 60))
        top = 100 + 0.5 * draw(st.integers(0, 16))
        width = 0.5 * draw(st.integers(1, 12))
        upright = draw(st.sampled_from([True] * 15 + [False]))
        chars.append({"text": draw(_TEXTS), "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 9,
                      "doctop": 800 + top, "upright": upright, "size": 9.0, "height": 9.0, "width": width})
    return chars


@settings(max_examples=500, deadline=None)
@given(_cell_chars())
def test_a_cells_text_is_pdfplumbers(chars):
    from pdfplumber.utils import extract_text

    from ingest.readers.pdf_cells import cell_text

    assert cell_text(chars) == extract_text(chars)


def test_cell_text_splits_words_and_lines_as_pdfplumber_does():
    from ingest.readers.pdf_cells import cell_text

    def char(text, x0, top):
        return {"text": text, "x0": x0, "x1": x0 + 5, "top": top, "bottom": top + 9, "doctop": top,
                "upright": True}
    assert cell_text([char("合", 0, 100), char("计", 5, 100), char("1", 20, 100)]) == "合计 1"
    assert cell_text([char("本", 0, 100), char("年", 0, 112), char("ﬁ", 6, 112)]) == "本\n年fi"
