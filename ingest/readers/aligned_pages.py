"""A space-aligned table continued on the next page without its header: the
page's own columns mapped onto the previous page's by the best shift and
scale of their positions. See ``ingest.readers.aligned``."""
from __future__ import annotations

from ingest.readers.aligned_columns import Column, Grid


def _transform(own: list[int], theirs: list[int]) -> tuple[float, float]:
    """The shift and scale taking positions ``theirs`` to ``own`` (least squares)."""
    n = len(own)
    if n == 1:
        return 1.0, own[0] - theirs[0]
    mo, mt = sum(own) / n, sum(theirs) / n
    var = sum((t - mt) ** 2 for t in theirs)
    scale = (sum((o - mo) * (t - mt) for o, t in zip(own, theirs)) / var) if var else 1.0
    return scale, mo - scale * mt


def _fit(own: list[int], theirs: list[int]) -> float:
    """How badly positions ``own`` fit ``theirs`` under one shift and scale."""
    if len(own) == 1:
        return abs(own[0] - theirs[0]) * 0.5
    scale, shift = _transform(own, theirs)
    residual = sum(abs(o - (scale * t + shift)) for o, t in zip(own, theirs))
    return residual + 20 * abs(scale - 1) + 0.2 * abs(shift)


def _map_numbers(own: list[int], theirs: list[int]) -> list[int] | None:
    """Indexes into ``theirs`` for each of ``own`` (both sorted), best fit."""
    from itertools import combinations
    if len(own) > len(theirs):
        return None
    best = min(combinations(range(len(theirs)), len(own)),
               key=lambda pick: _fit(own, [theirs[k] for k in pick]), default=None)
    return list(best) if best is not None else None


def _continue(grid: Grid, previous: list[Column]) -> Grid:
    """Place a header-less page's cells in the columns of the table it continues:
    text columns in order, figure columns by the best shift-and-scale fit of
    their right edges onto the previous page's."""
    mine_num = [k for k, c in enumerate(grid.columns) if c.kind == "number"]
    prev_num = [k for k, c in enumerate(previous) if c.kind != "text"]
    mine_txt = [k for k, c in enumerate(grid.columns) if c.kind != "number"]
    prev_txt = [k for k, c in enumerate(previous) if c.kind == "text"]
    picks = _map_numbers([grid.columns[k].end for k in mine_num], [previous[k].end for k in prev_num])
    if picks is None or not prev_txt:
        return grid
    target = {k: prev_num[p] for k, p in zip(mine_num, picks)}
    if mine_num:
        scale, shift = _transform([grid.columns[k].end for k in mine_num],
                                  [previous[prev_num[p]].end for p in picks])
    else:
        scale, shift = 1.0, 0.0
    for k in mine_txt:  # the text column starting nearest, once positions are fitted
        start = grid.columns[k].start
        target[k] = min(prev_txt, key=lambda t: abs(scale * previous[t].start + shift - start))
    rows = [[""] * len(previous) for _ in grid.rows]
    spans: list[list] = [[None] * len(previous) for _ in grid.rows]
    for i, row in enumerate(grid.rows):
        for k, text in enumerate(row):
            if not text:
                continue
            t = target[k]
            rows[i][t] = f"{rows[i][t]} {text}".strip() if rows[i][t] else text
            spans[i][t] = spans[i][t] or grid.spans[i][k]
    return Grid(rows, spans, previous, 0, ("continued",))
