"""A PDF page's painted paths, read by pypdfium2, as pdfplumber's ruling edges.

Part of :mod:`ingest.readers.pdf_objects` (see there for why): each path
object's points go through its matrix in doubles as pdfminer computes them,
are split into subpaths and classed as a line, a rectangle or a curve by
pdfminer's ``paint_path`` rules, and become edges by pdfplumber's own
``line_to_edge``/``rect_to_edges``/``curve_to_edges``.

Quirks:

* PDFium keeps points and matrices as 32-bit floats; pdfminer's are the
  printed decimals as doubles. Where the page's content stream is at hand its
  paths give those doubles (:mod:`ingest.readers.pdf_content`), used where
  they are PDFium's path objects one for one, to a float's precision.
  Otherwise each float is read back as the shortest decimal that rounds to it
  (``786.21``, not ``786.2100219726562``): the printed number, where it has at
  most ``FLOAT_DIGITS`` significant digits. A number printed finer
  (ONLYOFFICE prints 5 decimals: ``523.74716``) can't be recovered that way,
  and the page is left to pdfplumber (``Imprecise``).
* ``x y w h re``: PDFium stores x + w as a float, pdfminer adds in doubles
  (105.27 + 0.96 = 106.23000000000002, which decides how a .x5 coordinate
  rounds in a locator). PDFium's rectangle (five points, closed, in ``re``'s
  order) is read back as x, y, w, h and added as pdfminer does.
* PDFium closes a path with an explicit segment back to its start where the
  last point isn't the start; pdfminer's rule for a redundant closing ``l``
  removes it again, so the shapes agree.
"""
from __future__ import annotations

import ctypes
import re
import struct
from functools import lru_cache

import pypdfium2.raw as pdfium_c

from ingest.readers.pdfium_calls import (
    get_object_type,
    get_path_segment,
    get_segment_close,
    get_segment_point,
    get_segment_type,
)

_F32 = struct.Struct("f")


FLOAT_DIGITS = 7      # significant digits a 32-bit float gives back as printed


class Imprecise(ValueError):
    """A number printed with more digits than PDFium's 32-bit float kept."""


@lru_cache(maxsize=8192)
def shortest(value: float) -> float:
    """The shortest decimal that a 32-bit float rounds back to (see module doc)."""
    if value == 0.0:
        return 0.0
    for digits in range(1, 10):
        candidate = float(f"{value:.{digits}g}")
        if _F32.unpack(_F32.pack(candidate))[0] == value:
            return candidate
    return value


def printed(value: float) -> float:
    """The number as printed in the content stream, where a float kept it."""
    for digits in range(1, FLOAT_DIGITS + 1):
        candidate = float(f"{value:.{digits}g}")
        if _F32.unpack(_F32.pack(candidate))[0] == value:
            return candidate
    raise Imprecise(value)



_SUBPATH = re.compile(r"m[^m]+")


def page_objects(raw_page) -> list[tuple[object, int]]:
    """The page's objects (page level, in content-stream order), each with its
    type (``FPDF_PAGEOBJ_*``): read once per page for the readers that ask
    (the page's kinds of object, its characters, its paths)."""
    get, count = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPage_CountObjects(raw_page)
    objects = [get(raw_page, i) for i in range(count)]
    return list(zip(objects, map(get_object_type, objects)))


def edges(objects: list[tuple[object, int]], height: float, doctop: float,
          content: bytes | None = None) -> list[dict] | None:
    """pdfplumber's edges of the page's painted paths (pdfminer's objects: lines,
    then rectangles, then curves), or None where they can't be had exactly.
    ``content``, the page's content stream, gives the printed doubles where
    its paths agree with PDFium's (:mod:`ingest.readers.pdf_content`).
    ``objects``: the page's, ``page_objects``."""
    from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

    objects = _painted_objects(objects)
    if objects is None:
        return None
    shapes = _stream_shapes(content, objects) if content is not None else None
    if shapes is None:
        try:
            shapes = [_segments(obj) for obj in objects]
        except Imprecise:
            return None            # pdfminer's doubles can't be recovered: pdfplumber's page
    lines, rects, curves = [], [], []
    for shape, points in shapes:
        if shape[:1] != "m":
            continue               # pdfminer paints nothing that doesn't start a subpath
        for m in _SUBPATH.finditer(shape):
            kind_, obj_ = _classify(shape[m.start():m.end()], points[m.start():m.end()],
                                    height, doctop)
            {"line": lines, "rect": rects, "curve": curves}[kind_].append(obj_)
    edges = [line_to_edge(o) for o in lines]
    for o in rects:
        edges.extend(rect_to_edges(o))
    for o in curves:
        edges.extend(curve_to_edges(o))
    return edges


def _painted_objects(objects: list[tuple[object, int]]) -> list | None:
    """The stroked or filled path objects of the page's ``objects`` (``page_objects``)
    in order; None with a form XObject."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    out = []
    for obj, kind in objects:
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            return None
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
        if fill.value != pdfium_c.FPDF_FILLMODE_NONE or stroke.value:
            out.append(obj)
    return out


def _stream_shapes(content: bytes, objects: list) -> list | None:
    """(shape, points) of each painted path as pdfminer computes it from the
    stream, where the stream's paths are PDFium's, one for one, to a float's
    precision; else None."""
    from pdfminer.utils import apply_matrix_pt

    from ingest.readers.pdf_content import painted_paths

    paths = painted_paths(content)
    if paths is None or len(paths) != len(objects):
        return None
    out = []
    for (ctm, path), obj in zip(paths, objects):
        shape = "".join(seg[0] for seg in path)
        points: list[tuple[float, float]] = []
        start = (0.0, 0.0)
        for seg in path:
            if seg[0] == "h":
                points.append(start)
                continue
            point = apply_matrix_pt(ctm, seg[-2:])
            if seg[0] == "m":
                start = point
            points.append(point)
        if not _same_extent(points, _pdfium_points(obj)):
            return None
        out.append((shape, points))
    return out


def _pdfium_points(obj) -> list[tuple[float, float]]:
    """The end points of the object's segments in page space (PDFium's floats)."""
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    out = []
    bezier = 0
    for kind, x, y, _ in _raw_segments(obj):
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier < 3:
                continue
            bezier = 0
        out.append((m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f))
    return out


def _same_extent(ours: list, theirs: list, tolerance: float = 0.01) -> bool:
    if not ours or not theirs:
        return not ours and not theirs
    for a_axis, b_axis in zip(zip(*ours), zip(*theirs)):   # the x's, then the y's
        for a, b in ((min(a_axis), min(b_axis)), (max(a_axis), max(b_axis))):
            if abs(a - b) > tolerance + 1e-5 * abs(a):
                return False
    return True


def _segments(obj) -> tuple[str, list[tuple[float, float]]]:
    """pdfminer's shape string (``m``/``l``/``c``/``h``) and each op's end point,
    in page space (doubles, through the object's matrix)."""
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    a, b, c, d, e, f = (printed(v) for v in (m.a, m.b, m.c, m.d, m.e, m.f))
    raw = _raw_segments(obj)
    rect = _rectangle(raw)
    if rect is not None:
        return "mlllh", [(a * x + c * y + e, b * x + d * y + f) for x, y in rect]
    shape: list[str] = []
    points: list[tuple[float, float]] = []
    start = (0.0, 0.0)
    bezier = 0
    for kind, x32, y32, close in raw:
        x, y = printed(x32), printed(y32)
        point = (a * x + c * y + e, b * x + d * y + f)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier < 3:         # PDFium gives a curve's 3 points one by one
                continue
            bezier = 0
            shape.append("c")
        elif kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            shape.append("m")
            start = point
        else:
            shape.append("l")
        points.append(point)
        if close:
            shape.append("h")
            points.append(start)
    return "".join(shape), points


def _raw_segments(obj) -> list[tuple[int, float, float, bool]]:
    px, py = ctypes.c_float(), ctypes.c_float()
    to_x, to_y = ctypes.pointer(px), ctypes.pointer(py)
    out = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = ctypes.c_void_p(get_path_segment(obj, i))
        get_segment_point(seg, to_x, to_y)
        out.append((get_segment_type(seg), px.value, py.value, bool(get_segment_close(seg))))
    return out


def _rectangle(raw) -> list[tuple[float, float]] | None:
    """The points of ``x y w h re`` as pdfminer computes them (``x + w`` in
    doubles), where the segments are PDFium's rectangle: (x, y), (x+w, y),
    (x+w, y+h), (x, y+h), back to (x, y) and closed."""
    if len(raw) != 5 or raw[0][0] != pdfium_c.FPDF_SEGMENT_MOVETO or not raw[4][3] or any(
            k != pdfium_c.FPDF_SEGMENT_LINETO or close for k, _, _, close in raw[1:4]):
        return None
    (_, x0, y0, _), (_, x1, y1, _), (_, x2, y2, _), (_, x3, y3, _), (k4, x4, y4, _) = raw
    if not (k4 == pdfium_c.FPDF_SEGMENT_LINETO and y1 == y0 and x2 == x1 and x3 == x0
            and y3 == y2 and (x4, y4) == (x0, y0)):
        return None
    x, y = printed(x0), printed(y0)
    w, h = _addend(x0, x1), _addend(y0, y2)
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]


def _addend(start32: float, end32: float) -> float:
    """The shortest decimal ``w`` with float32(start + float32(w)) == end."""
    diff = end32 - start32
    if diff == 0.0:
        return 0.0
    for digits in range(1, FLOAT_DIGITS + 1):
        w = float(f"{diff:.{digits}g}")
        w32 = _F32.unpack(_F32.pack(w))[0]
        if _F32.unpack(_F32.pack(start32 + w32))[0] == end32:
            return w
    raise Imprecise(diff)


def _classify(shape: str, pts: list, height: float, doctop: float) -> tuple[str, dict]:
    """pdfminer's ``paint_path`` for one subpath, as pdfplumber's object dict."""
    pts = list(pts)
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    kind = "curve"
    if shape in ("mlh", "ml"):
        kind = "line"
        pts_box = pts[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            kind = "rect"
            pts_box = [pts[0], pts[2]]
    if kind == "curve":
        pts_box = pts
    xs = [p[0] for p in pts_box]
    ys = [p[1] for p in pts_box]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    top = height - y1
    out = {"object_type": kind, "x0": x0, "y0": y0, "x1": x1, "y1": y1,
           "width": x1 - x0, "height": y1 - y0,
           "top": top, "bottom": height - y0, "doctop": doctop + top}
    if kind == "curve":
        out["pts"] = [(px, height - py) for px, py in pts]
    return kind, out
