"""The text reader's tab and pipe tables make their cells (``table_of_rows``) and
a tab row's cell locations (``lazy_row``) only when read: on generated rows
(padded and blank cells, ragged widths, CJK text, form feeds, rule lines) they
must be what the eager definition gives: every cell ``Cell(r, c, text,
location=L<line>:<first>-<last>)`` as ``_split`` measures it, each row padded
to the table's width with blank, unlocated cells."""
from __future__ import annotations

import pickle
import random

import pytest

from ingest.document import Cell, Line, Location, Table, cells_of_rows, lazy_row, table_of_rows
from ingest.readers.text import _PIPE_RULE, _split, kind_of, read

WORDS = ["合计", "2101501", "行政运行", "35.20", "1,234.50", "", "一、收入", "a b", "%"]


def _cell(rng: random.Random, padded: bool) -> str:
    word = rng.choice(WORDS)
    if not padded:
        return word
    return rng.choice(["", " ", "  ", "\u3000"]) + word + rng.choice(["", "", " ", "  "])


def _document(rng: random.Random) -> str:
    lines = ["部门收支总表"]
    for _ in range(rng.randint(1, 30)):
        shape = rng.random()
        padded = rng.random() < 0.3
        cells = [_cell(rng, padded) for _ in range(rng.randint(1, 7))]
        if shape < 0.55:
            lines.append("\t".join(cells) + ("\t" if len(cells) == 1 else ""))
        elif shape < 0.75:
            lines.append(rng.choice(["", " "]) + "| " + " | ".join(cells) + rng.choice([" |", ""]))
        elif shape < 0.8:
            lines.append("|---|---|")
        elif shape < 0.9:
            lines.append(rng.choice(["说明文字。", "", "\f第二页", "- 2 -"]))
        else:
            lines.append("\f" + "\t".join(cells) + "\t")
    return "\n".join(lines)


def _eager(lines: list[str], pages: list[str | None], i: int, j: int, kind: str) -> tuple[list, list]:
    """The cells and (texts, cell locations) of rows ``i:j``, made as the reader made them eagerly."""
    cells, rows = [], []
    for r, n in enumerate(range(i, j)):
        parts = [] if kind == "pipe" and _PIPE_RULE.match(lines[n]) else _split(lines[n], kind)
        locs = [Location(pages[n], f"L{n + 1}:{s + 1}-{e}") for _, s, e in parts] or [Location(pages[n], f"L{n + 1}")]
        texts = [t for t, _, _ in parts] or [""]
        cells += [Cell(r, c, t, 1, 1, None, None, loc) for c, (t, loc) in enumerate(zip(texts, locs))]
        rows.append((texts, locs))
    width = max(len(t) for t, _ in rows)
    return cells, [(tuple(t + [""] * (width - len(t))), tuple(loc + [Location()] * (width - len(loc))))
                   for t, loc in rows]


@pytest.mark.parametrize("seed", range(200))
def test_lazy_cells_and_locations_are_the_eager_ones(seed):
    rng = random.Random(seed)
    text = _document(rng)
    doc = read(text.encode("utf-8"), "x.txt")
    raw = text.split("\n")
    pages = [None] * len(raw)
    if any("\f" in line for line in raw):
        page = 1
        for k, line in enumerate(raw):
            page += line.count("\f") if line.strip("\f").strip() or line.startswith("\f") else 0
            pages[k] = str(page)
    lines = [line.replace("\f", "") for line in raw]
    for block in doc.blocks:
        if not isinstance(block, Table) or "-" not in (block.location.locator or ""):
            continue
        first, last = (int(x[1:]) for x in block.location.locator.split("-"))
        rendered = doc.lines[first - 1:last]
        kind = kind_of(lines[first - 1])
        if kind not in ("tab", "pipe"):
            continue
        cells, rows = _eager(lines, pages, first - 1, last, kind)
        assert [(line.cells, line.cell_locations) for line in rendered] == rows
        assert block.cells == cells


def test_a_lazy_row_is_equal_hashed_and_pickled_as_the_eager_row():
    loc = Location("2", "L3-L4")
    cell = (Location("2", "L3:1-2"), Location())

    def eager():
        return Line(3, "合计\t", ("合计", ""), 1, 0, loc, cell)

    assert lazy_row(3, "合计\t", ("合计", ""), 1, 0, loc, lambda line: cell) == eager()
    assert hash(lazy_row(3, "合计\t", ("合计", ""), 1, 0, loc, lambda line: cell)) == hash(eager())
    row = lazy_row(3, "合计\t", ("合计", ""), 1, 0, loc, lambda line: cell)
    assert row.cell_locations is cell and row._cell_locations_of is None
    assert pickle.loads(pickle.dumps(row)) == eager()
    with pytest.raises(AttributeError):
        row.missing  # noqa: B018


def test_a_table_of_rows_is_the_table_of_its_cells():
    loc = Location(None, "L1:1-2")
    rows = [Line(1, "甲\t乙", ("甲", "乙"), 0, 0, loc, (loc, loc)), Line(2, "丙\t", ("丙", ""), 0, 1, loc, (loc, Location()))]
    table = table_of_rows(rows, [2, 1], Location(None, "L1-L2"))
    eager = Table(cells_of_rows(rows, [2, 1]), Location(None, "L1-L2"))
    assert eager.cells == [Cell(0, 0, "甲", location=loc), Cell(0, 1, "乙", location=loc), Cell(1, 0, "丙", location=loc)]
    assert table == eager and repr(table) == repr(eager)
    assert pickle.loads(pickle.dumps(table_of_rows(rows, [2, 1], Location(None, "L1-L2")))) == eager
    with pytest.raises(AttributeError):
        table.missing  # noqa: B018
