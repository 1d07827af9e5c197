"""Recall of tables printed without ruling lines (the word-position grid of
``ingest/readers/pdf_grid.py``).

Each report of a folder of tab-separated text conversions (default: the
sample corpus's ``corpus/seeds``) is typeset as a PDF with reportlab, the way
an unruled publication sets it: prose lines at the left margin, each table's
columns as wide as their widest cell, header cells centred, amounts
right-aligned, names and codes left-aligned, no rules (``--ruled`` draws them, as a control). The PDF is
read back and its line items are matched with those the text gives, by
(table, code, line name, column header, amount): recall and precision per file
and in total are printed.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_unruled.py [DIR] [--ruled]
"""
from __future__ import annotations

import argparse
import io
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.extract import extract_document  # noqa: E402
from ingest.numbers import parse_amount  # noqa: E402
from ingest.readers import read  # noqa: E402
from ingest.text import decode, lines_of  # noqa: E402

FONT = "STSong-Light"
SIZE = 8.0
LEADING = 13.0
MARGIN = 36.0
GAP = 10.0


def _blocks(lines: list[str]):
    """('text', line) and ('table', [rows of cells]) in order; blank lines
    between two rows of a table (a page break of the conversion) are dropped,
    so the table keeps its columns."""
    rows: list[list[str]] = []
    for k, line in enumerate(lines):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows and not line.strip():
            after = next((x for x in lines[k + 1:] if x.strip()), "")
            if "\t" in after:
                continue
        if rows:
            yield "table", rows
            rows = []
        yield "text", line
    if rows:
        yield "table", rows


def typeset(lines: list[str], ruled: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    width, height = landscape(A4)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height))
    y = height - MARGIN

    def advance(step: float) -> None:
        nonlocal y
        y -= step
        if y < MARGIN:
            c.showPage()
            y = height - MARGIN - step

    for kind, block in _blocks(lines):
        if kind == "text":
            advance(LEADING)
            text = block.strip()
            while text:      # wrap long prose at the page width
                size = SIZE + 1
                n = len(text)
                while n > 1 and pdfmetrics.stringWidth(text[:n], FONT, size) > width - 2 * MARGIN:
                    n -= 1
                c.setFont(FONT, size)
                c.drawString(MARGIN, y, text[:n])
                text = text[n:]
                if text:
                    advance(LEADING)
            continue
        ncols = max(len(r) for r in block)
        rows = [[cell.strip() for cell in r] + [""] * (ncols - len(r)) for r in block]
        widths = [max(pdfmetrics.stringWidth(r[k], FONT, SIZE) for r in rows) + GAP for k in range(ncols)]
        scale = min(1.0, (width - 2 * MARGIN) / sum(widths))
        size = SIZE * scale
        xs = [MARGIN]
        for w in widths:
            xs.append(xs[-1] + w * scale)
        first_body = next((i for i, r in enumerate(rows)
                           if any(parse_amount(t) is not None for t in r[1:])), 0)
        if y - (first_body + 3) * LEADING < MARGIN:   # a header is kept with its first rows
            c.showPage()
            y = height - MARGIN
        for i, r in enumerate(rows):
            advance(LEADING)
            c.setFont(FONT, size)
            for k, text in enumerate(r):
                if not text:
                    continue
                if i < first_body:      # header cells are centred over their column
                    c.drawCentredString((xs[k] + xs[k + 1]) / 2, y, text)
                elif parse_amount(text) is not None and k > 0:
                    c.drawRightString(xs[k + 1] - GAP * scale / 2, y, text)
                else:
                    c.drawString(xs[k] + GAP * scale / 2, y, text)
            if ruled:
                c.line(xs[0], y - 4, xs[-1], y - 4)
                c.line(xs[0], y + LEADING - 4, xs[-1], y + LEADING - 4)
                for x in xs:
                    c.line(x, y - 4, x, y + LEADING - 4)
    c.showPage()
    c.save()
    return out.getvalue()


def _items(result) -> Counter:
    return Counter((r["table_no"], r["code"], r["line_name"], r["measure_label"], str(r["amount_wan_yuan"]))
                   for r in result.rows.get("line_items", []) if r["table_kind"] != "narrative")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", default=str(ROOT / "corpus" / "seeds"))
    ap.add_argument("--ruled", action="store_true", help="draw the rules (the control)")
    args = ap.parse_args(argv)
    total = Counter()
    print(f"{'file':40} {'text':>6} {'pdf':>6} {'match':>6} {'recall':>7} {'prec':>7}")
    for path in sorted(Path(args.folder).glob("*.txt")):
        lines = lines_of(decode(path.read_bytes()).text)
        want = _items(extract_document(lines, run_checks=False))
        if not want:
            continue
        doc = read(typeset(lines, args.ruled), path.stem + ".pdf")
        got = _items(extract_document(doc.text_lines, run_checks=False))
        match = sum((want & got).values())
        n_want, n_got = sum(want.values()), sum(got.values())
        total.update(want=n_want, got=n_got, match=match)
        print(f"{path.name:40} {n_want:6} {n_got:6} {match:6} {match / n_want:7.3f} "
              f"{(match / n_got if n_got else 0):7.3f}")
    if total["want"]:
        print(f"{'total':40} {total['want']:6} {total['got']:6} {total['match']:6} "
              f"{total['match'] / total['want']:7.3f} {total['match'] / max(total['got'], 1):7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
