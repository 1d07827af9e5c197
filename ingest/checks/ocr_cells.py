"""Figures read by OCR with low confidence.

* ``OCR_LOW_CONFIDENCE`` (warning, ``ocr_low_confidence``): a table amount or
  a headline figure whose cell (or line) was OCR'd with a recognition
  confidence below ``CELL_FLOOR`` — the lowest of its characters', as
  :mod:`ingest.readers.ocr` keeps it in ``Location.ocr_confidence``. The
  figure is kept as read; the issue names the cell, the page and box, and the
  confidence, so a reader checks it against the scan. (A page whose mean
  confidence is below the reader's page floor is not read at all.)

A rendered row's location holds the lowest confidence of its cells
(``document.render``), so a line whose own is None or at least the floor is
passed without looking at its cells (a text file's cell locations are made
only when read, and most lines hold no OCR'd cell).
"""
from __future__ import annotations

from ingest.checks.prose import issue

CELL_FLOOR = 0.8


def _confidence(line, printed: str | None):
    """(confidence, location) of the cell printing ``printed`` on the line, else the line's."""
    if printed and line.cells:
        printed = printed.strip()
        for text, loc in zip(line.cells, line.cell_locations):
            # (the confidence first: a cell read without OCR holds none, and most do)
            if loc.ocr_confidence is not None and text.strip() == printed:
                return loc.ocr_confidence, loc
    return line.location.ocr_confidence, line.location


def run(doc, facts) -> list[dict]:
    lines = getattr(doc, "lines", [])
    out = []
    for table, printed_key in (("line_items", "amount_text"), ("metrics", None)):
        for row in facts.get(table, []):
            n = row.get("source_line")
            if not isinstance(n, int) or not 1 <= n <= len(lines):
                continue
            line = lines[n - 1]
            lowest = line.location.ocr_confidence   # a row's: the lowest of its cells' (render)
            if lowest is None or lowest >= CELL_FLOOR:
                continue   # no cell of the line read by OCR, or none read unsurely
            printed = row.get(printed_key) if printed_key else None
            score, loc = _confidence(line, printed)
            if score is None or score >= CELL_FLOOR:
                continue
            what = (f"table {row.get('table_no') or row.get('table_kind')} {row.get('line_name') or row.get('code')}"
                    f" {row.get('measure_label')}" if table == "line_items" else f"{row['metric']}")
            figure = printed if printed else str(row.get("value"))
            out.append(issue(
                "OCR_LOW_CONFIDENCE", "warning", "ocr_low_confidence",
                f"{what} (第{loc.page}页 {loc.locator})", None, figure,
                f"{what}的数字“{figure}”由OCR识别,置信度{score:.2f}低于{CELL_FLOOR},请对照原件核对。", n))
    return out
