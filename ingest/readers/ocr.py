"""OCR of a PDF page (a scan, or a page whose text layer is garbage).

Engine: **rapidocr** (Apache-2.0) with the PP-OCR detection/recognition models
that ship *inside* its wheel, so it runs offline (PaddleOCR and docling
download their models at run time; Tesseract's chi_sim reads ruled tables as
garbage). It is an optional extra — ``pip install 'yibao[ocr]'`` — because
it brings onnxruntime and OpenCV (~380 MiB); without it a page that needs OCR
is recorded as not read, with that command in the reason.

* The page is rendered with pypdfium2 at ``DPI`` as greyscale.
* rapidocr scales images down to ``max_side_len`` and then drops full-width
  lines, so the limit is set to the image's size; per-character boxes are on,
  because a line box can swallow two neighbouring amounts
  (``82,096,797.4282,096,797.42``): the characters are split into words
  again wherever they stand apart.
* Words go through the same word-position grid as unruled text-layer tables
  (:mod:`ingest.readers.pdf_grid`); the rest become paragraphs. Blocks are
  flagged ``ocr`` and carry the mean recognition confidence; every cell and
  line keeps the lowest confidence of its characters (``Location.ocr_confidence``),
  which the facts read from it carry (``source_ocr_confidence``) and which
  the check ``ingest.checks.ocr_cells`` reports where it is low.
* A page whose mean confidence is below ``MIN_CONFIDENCE`` is recorded as not
  read rather than guessed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.document import Location, Paragraph, Table
from ingest.readers.clean import normalize_chars
from ingest.readers.pdf_grid import Word, grid_tables, lowest_score

DPI = 200
MIN_CONFIDENCE = 0.6
INSTALL_HINT = "install the OCR extra to read it: pip install 'yibao[ocr]'"


class OcrUnavailable(Exception):
    """rapidocr (the ``ocr`` extra) is not installed."""


@dataclass
class OcrPage:
    blocks: list[tuple[float, object]] = field(default_factory=list)   # (top, block)
    confidence: float = 0.0
    problem: str | None = None


_ENGINE = None


def _engine(max_side: int):
    global _ENGINE
    try:
        from rapidocr import RapidOCR
    except ImportError:
        raise OcrUnavailable(INSTALL_HINT) from None
    if _ENGINE is None or _ENGINE[0] < max_side:
        params = {"Global.log_level": "error", "Global.max_side_len": max_side,
                  "Global.width_height_ratio": -1}
        _ENGINE = (max_side, RapidOCR(params=params))
    return _ENGINE[1]


def available() -> bool:
    try:
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def read_page(fpage, page_no: int) -> OcrPage:
    """OCR one pypdfium2 page into positioned blocks (coordinates in points)."""
    if not available():
        raise OcrUnavailable(INSTALL_HINT)
    import numpy as np

    scale = DPI / 72
    image = fpage.render(scale=scale, grayscale=True).to_pil().convert("RGB")
    engine = _engine(max(image.size) + 64)
    result = engine(np.array(image), return_word_box=True, return_single_char_box=True)
    words, scores = _words(result, scale)
    page = OcrPage()
    if not words:
        page.problem = "OCR found no text on the page"
        return page
    page.confidence = sum(scores) / len(scores)
    if page.confidence < MIN_CONFIDENCE:
        page.problem = (f"OCR confidence {page.confidence:.2f} is below {MIN_CONFIDENCE}: "
                        "not guessed")
        return page
    flag = f"ocr:{page.confidence:.3f}"
    tables = grid_tables(words, page_no, flag=flag, height=fpage.get_size()[1])
    page.blocks = [(_top(t.location.locator), t) for t in tables]
    boxes = [tuple(float(v) for v in t.location.locator.split(",")) for t in tables]
    for line_top, line in _text_lines(words, boxes):
        x0, top = min(w.x0 for w in line), min(w.top for w in line)
        x1, bottom = max(w.x1 for w in line), max(w.bottom for w in line)
        text = " ".join(w.text for w in line)
        page.blocks.append((line_top, Paragraph(text, Location(
            str(page_no), f"{x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}", lowest_score(line)))))
    page.blocks.sort(key=lambda item: item[0])
    return page


def _top(locator: str) -> float:
    return float(locator.split(",")[1])


def _words(result, scale: float) -> tuple[list[Word], list[float]]:
    """OCR boxes → words, split again where the characters stand apart."""
    words: list[Word] = []
    scores: list[float] = []
    for chars in result.word_results or ():
        run: list[tuple[str, list, float]] = []
        for text, score, box in chars:
            if run and _gap(run[-1][1], box) > 0.9 * _height(box):
                words.append(_word(run, scale))
                run = []
            run.append((text, box, float(score)))
            scores.append(float(score))
        if run:
            words.append(_word(run, scale))
    return [w for w in words if w.text.strip()], scores


def _gap(left_box, right_box) -> float:
    return min(p[0] for p in right_box) - max(p[0] for p in left_box)


def _height(box) -> float:
    return max(p[1] for p in box) - min(p[1] for p in box)


def _word(run, scale: float) -> Word:
    xs = [p[0] for _, box, _ in run for p in box]
    ys = [p[1] for _, box, _ in run for p in box]
    text = normalize_chars("".join(t for t, _, _ in run)).replace(" ", "")
    return Word(text, min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale,
                min(s for _, _, s in run))


def _text_lines(words: list[Word], boxes) -> list[tuple[float, list[Word]]]:
    """Words outside the tables, grouped into lines: (line top, segment) left to right."""
    outside = [w for w in words if not any(
        b[0] - 1 <= (w.x0 + w.x1) / 2 <= b[2] + 1 and b[1] - 1 <= (w.top + w.bottom) / 2 <= b[3] + 1
        for b in boxes)]
    lines: list[list[Word]] = []
    for w in sorted(outside, key=lambda w: (w.top + w.bottom) / 2):
        middle = (w.top + w.bottom) / 2
        if lines and min(x.top for x in lines[-1]) <= middle <= max(x.bottom for x in lines[-1]):
            lines[-1].append(w)
        else:
            lines.append([w])
    out = []
    for line in lines:
        line.sort(key=lambda w: w.x0)
        top = min(w.top for w in line)
        # words far apart on one line are separate paragraphs (as on text pages)
        current = [line[0]]
        for w in line[1:]:
            if w.x0 - current[-1].x1 > 3.5 * w.height:
                out.append((top, current))
                current = []
            current.append(w)
        out.append((top, current))
    return out


__all__ = ["OcrUnavailable", "OcrPage", "read_page", "available", "Table"]
