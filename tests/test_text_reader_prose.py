"""The text reader's prose lines (``document.prose_lines``: three slots set, the
rest and the location read as defaults) and its blocks (``lazy_blocks``: made
from the rendering when first read) against the eager definition: every prose
line ``Line(n, text, None, block, None, Location(page, "L<n>"))`` and every
paragraph ``Paragraph(text, that location)``, on generated files with and
without pages, tab, pipe and space-aligned tables among the prose."""
from __future__ import annotations

import pickle
import random

import pytest

from ingest.document import Line, Location, Paragraph, Table, prose_lines, render
from ingest.readers.text import read

PROSE = ["说明文字。", "", "  ", "一、部门概况", "- 2 -", "单位：万元", "其他\u3000说明"]
ROWS = ["项目\t金额", "合计\t1.00", "| 科目 | 金额 |", "|---|---|", "2101501     行政运行         35.20",
        "            事业运行          1.00"]


def _file(rng: random.Random) -> str:
    lines = [rng.choice(PROSE + ROWS) for _ in range(rng.randint(1, 40))]
    if rng.random() < 0.3:
        k = rng.randrange(len(lines))
        lines[k] = "\f" + lines[k]
    return "\n".join(lines)


def _pages(raw: list[str]) -> list[str | None]:
    if not any("\f" in line for line in raw):
        return [None] * len(raw)
    page, out = 1, []
    for line in raw:
        page += line.count("\f") if line.strip("\f").strip() or line.startswith("\f") else 0
        out.append(str(page))
    return out


@pytest.mark.parametrize("seed", range(150))
def test_prose_lines_and_blocks_are_the_eager_ones(seed):
    text = _file(random.Random(seed))
    doc = read(text.encode("utf-8"), "x.txt")
    pages = _pages(text.split("\n"))
    prose = [line for line in doc.lines if line.row is None]
    for line in prose:
        eager = Line(line.number, line.text, None, line.block, None, Location(pages[line.number - 1], f"L{line.number}"))
        assert line == eager and hash(line) == hash(eager) and repr(line) == repr(eager)
        assert line.cells is None and line.cell_locations == () and line._cell_locations_of is None
        assert pickle.loads(pickle.dumps(line)) == eager
    blocks = doc.blocks
    assert render(blocks) == doc.lines
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    assert [(p.text, p.location) for p in paragraphs] == [(line.text, line.location) for line in prose]
    assert all(b.location is line.location for b, line in zip(paragraphs, prose))
    assert len(blocks) == len(prose) + sum(isinstance(b, Table) for b in blocks)
    again = read(text.encode("utf-8"), "x.txt")
    assert again == doc and again.blocks == blocks


def test_prose_lines_read_as_lines_given_every_field():
    made = prose_lines(5, ["甲", "", "乙"], 2)
    assert made == [Line(5, "甲", None, 2, None, Location(None, "L5")), Line(6, "", None, 3, None, Location(None, "L6")),
                    Line(7, "乙", None, 4, None, Location(None, "L7"))]
    located = prose_lines(1, ["甲"], 0, [Location("3", "L1")])
    assert located[0].location == Location("3", "L1") and located[0].row is None
    with pytest.raises(AttributeError):
        made[0].no_such_field  # noqa: B018
