"""PDF reading speed: pages per CPU-second per core, and where the time goes.

Reads every PDF of the corpus (the published sample reports) through
``ingest.readers.read`` in this one process, ``--rounds`` times, and prints
pages per CPU-second (one core: the reader is single-threaded; the ingest
pool runs one reader per core) over the rounds after a first one (which
pays the imports a worker pays once; printed beside it), then the share of
CPU time per stage —
pypdfium2 text, the characters and ruling read for the tables, pdfplumber's
table finder (with pdfminer's page where PDFium's objects can't stand in),
the word-position grid, assembling —
from a profile of one round. Not a test: figures to compare between changes
on the same machine. OCR is not included (≈ 7 CPU-s per page; see
``ingest/readers/ocr.py``).

    .venv/bin/python benchmarks/bench_pdf.py [--rounds 3] [PDF ...]

``pdf_rates(paths)`` gives the same figures to another benchmark
to print. ``--compare`` reads every page's ruled tables both ways — from the
objects pypdfium2 parsed (``ingest/readers/pdf_objects.py``) and from
pdfplumber's own page (pdfminer) — and counts the pages whose tables are
identical (every cell's text, spans, x0/x1 and locator), different, or left to
pdfplumber.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STAGES = {   # function (module file, name) → stage
    ("pdf_text.py", "page_text"): "text (pypdfium2)",
    ("pdf_objects.py", "read_objects"): "characters and ruling for tables (pypdfium2)",
    ("pdf_tables.py", "ruled_tables"): "ruled tables (pdfplumber; pdfminer where needed)",
    ("pdf_grid.py", "word_grid_tables"): "unruled tables (word grid)",
    ("pdf.py", "assemble"): "assembling pages",
}


def _pages(data: bytes) -> int:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def pdf_rates(paths: list[Path], rounds: int = 1) -> tuple[int, float, float]:
    """(pages a round, pages per CPU-second of the first round, of the ``rounds``
    after it). The first round pays what a parse worker pays once, at its first
    PDF: importing pdfplumber, pdfminer and pypdfium2 and filling their caches
    (the pool's fork server preloads the text parsers only). A worker of a
    national run reads thousands of PDFs after it, so the rounds after it are
    the rate to extrapolate from; the first is printed beside it."""
    from ingest.readers import read

    blobs = [(p.name, p.read_bytes()) for p in paths]
    pages = sum(_pages(data) for _, data in blobs)

    def rate(times: int) -> float:
        start = time.process_time()
        for _ in range(times):
            for name, data in blobs:
                read(data, name)
        cpu = time.process_time() - start
        return pages * times / cpu if cpu else float("inf")

    first = rate(1)
    return pages, first, rate(rounds)


def stage_shares(paths: list[Path]) -> list[tuple[str, float]]:
    """Share of CPU time per stage over one round (cumulative time of each stage's entry)."""
    from ingest.readers import read

    blobs = [(p.name, p.read_bytes()) for p in paths]
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for name, data in blobs:
        read(data, name)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    shares: dict[str, float] = {}
    for (file, _, func), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        stage = STAGES.get((Path(file).name, func))
        if stage:
            shares[stage] = shares.get(stage, 0.0) + cumulative
    named = sum(shares.values())
    out = sorted(((stage, t / total) for stage, t in shares.items()), key=lambda x: -x[1])
    out.append(("other (opening files, page objects, Python)", max(0.0, 1 - named / total)))
    return out


def compare(path: Path) -> dict[str, list[int]]:
    """Pages of ``path`` by how their ruled tables read both ways (see module doc)."""
    import io

    import pdfplumber
    import pypdfium2 as pdfium

    from ingest.readers.pdf_objects import content_stream, page_height, read_objects
    from ingest.readers.pdf_tables import ruled_tables

    data = path.read_bytes()
    out: dict[str, list[int]] = {"identical": [], "DIFFERENT": [], "left to pdfplumber": []}
    doc = pdfium.PdfDocument(data)
    doctop = 0.0
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for index in range(len(doc)):
            fpage = doc[index]
            textpage = fpage.get_textpage()
            page = plumber.pages[index]
            objects = read_objects(fpage, textpage, doctop, content_stream(page))
            doctop += page_height(fpage)
            if objects is None:
                out["left to pdfplumber"].append(index + 1)
            elif ruled_tables(objects, index + 1) == ruled_tables(page, index + 1):
                out["identical"].append(index + 1)
            else:
                out["DIFFERENT"].append(index + 1)
            textpage.close()
            fpage.close()
    doc.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", action="store_true",
                        help="read the ruled tables both ways and count the pages that differ")
    args = parser.parse_args()
    paths = args.pdfs or sorted((ROOT / "corpus").rglob("*.pdf"))
    if not paths:
        raise SystemExit("no PDFs to read")
    if args.compare:
        for path in paths:
            result = compare(path)
            print(f"{path.name}: " + ", ".join(
                f"{len(pages)} {kind}" + (f" (pages {pages})" if pages and kind != "identical" else "")
                for kind, pages in result.items()))
        return
    pages, first, rate = pdf_rates(paths, args.rounds)
    print(f"PDF reading: {len(paths)} files, {pages} pages × {args.rounds} rounds, after a first round")
    print(f"  {rate:.1f} pages per CPU-second (one core; the first round, imports and all: {first:.1f})")
    print("  share of CPU time per stage (one round, profiled):")
    for stage, share in stage_shares(paths):
        print(f"    {stage:<45} {share:6.1%}")


if __name__ == "__main__":
    main()
