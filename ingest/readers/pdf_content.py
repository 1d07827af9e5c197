"""The painted paths of a page's content stream, with pdfminer's doubles.

PDFium keeps path coordinates as 32-bit floats; pdfminer reads the printed
decimals as doubles. Where a producer prints more digits than a float holds
(ONLYOFFICE: ``523.74716``), the doubles can only come from the stream. This
module scans the content stream for what pdfminer's interpreter does with
paths — ``q``/``Q``/``cm`` and the path operators — and skips everything else
(text, colours, marked content): a small job, done with one regular
expression, where pdfminer tokenises every object of the page in pure Python.
Where the stream holds no literal string and no comment (which may hold any
text), the operators that matter are found directly, each with the numbers
just before it (hex strings blanked first: their digits include ``b c f``);
else the stream is tokenised, skipping strings with their nested parentheses.
Image XObjects (``Do``) draw no path; a form XObject makes PDFium's side refuse
the page.
The arithmetic is pdfminer's own (``mult_matrix``, ``apply_matrix_pt``,
``re``'s ``x + w``).

It is a scan, not a parser: the paths it finds are used only after they are
checked, one by one, against the path objects PDFium parsed from the same
page (:func:`ingest.readers.pdf_paths.edges`). Anything it does not model
gives ``None`` and the caller reads the page another way: an inline image
(``BI``: binary data), a Type 3 glyph (``d0``/``d1``), an operator short of
operands, a string it cannot close, or the obsolete ``F`` (pdfminer neither
paints nor clears on it).
"""
from __future__ import annotations

import re

_TOKEN = re.compile(
    rb"\s+|%[^\r\n]*"                                   # blanks, comments
    rb"|(?P<num>[+-]?(?>\d+\.?\d*|\.\d+))(?![^\s/\[\]()<>{}%])"   # atomic: linear on digit runs
    rb"|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<open>\()"
    rb"|(?P<delim><<|>>|[\[\]{}])"
    rb"|(?P<name>/[^\s/\[\]()<>{}%]*)"
    rb"|(?P<op>[^\s/\[\]()<>{}%]+)"
)
_STRING_END = re.compile(rb"[()\\]")
_PATH_ARGS = {b"m": 2, b"l": 2, b"c": 6, b"v": 4, b"y": 4, b"re": 4}
_PAINT = {b"S", b"f", b"f*", b"B", b"B*"}
_CLOSE_PAINT = {b"s", b"b", b"b*"}
_UNMODELLED = {b"BI", b"F", b"d0", b"d1"}
_HEX_STRING = re.compile(rb"<[0-9A-Fa-f\s]*>")

Path = list[tuple]          # pdfminer's curpath: ("m", x, y), ("l", x, y), ("h",) …


_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
# an operator that matters here, as a whole token, with the numbers just before it.
# Linear on any input: a number cannot end inside a run of digits and dots (the next
# character is never a blank), so the numbers are taken possessively, and a run of
# numbers with no such operator after it is still a match (its operator empty) that
# the scan steps over, instead of retrying the run from each of its numbers.
# It opens with a lookahead for what a non-empty match starts with (a number's
# first character, an operator's): elsewhere the match would be empty, and
# ``findall`` made a tuple for each of those places (every blank, every letter of
# a text operator; 2.7 times the time of the scan on the sample PDFs).
_PATH_OP = re.compile(
    rb"(?=[-+.\drcmlvyhqQnSsfFBbd])"
    rb"(?<![^\s\[\]()<>{}])((?:(?>" + _NUMBER + rb")\s++)*+)"
    rb"(?:(re|cm|[mlcvyhqQnSsfFBb]|[fBb]\*|BI|d[01])(?![^\s/\[\]()<>{}%]))?")


def painted_paths(content: bytes) -> list[tuple[tuple, Path]] | None:
    """(CTM, path) of every path pdfminer paints, in order; None where unsure.
    Without literal strings and comments (which may hold any text) the
    operators that matter are found directly; else the stream is tokenised."""
    if b"(" not in content and b"%" not in content:
        bare = _HEX_STRING.sub(b" ", content)      # hex digits include b, c, f, B, F
        # the numbers group is numbers each followed by blanks (\s: what bytes.split splits on)
        ops = ((op, list(map(float, nums.split()))) for nums, op in _PATH_OP.findall(bare) if op)
        return _interpret(ops)
    ops = _operators(content)
    return None if ops is None else _interpret(ops)


def _operators(content: bytes) -> list[tuple[bytes, list]] | None:
    """Every operator with the operands since the one before (None: a string)."""
    out: list[tuple[bytes, list]] = []
    operands: list = []
    pos, end = 0, len(content)
    while pos < end:
        m = _TOKEN.match(content, pos)
        if m is None:
            return None
        pos = m.end()
        kind = m.lastgroup
        if kind is None:
            continue
        if kind == "num":
            operands.append(float(m.group()))
            continue
        if kind == "open":
            pos = _skip_string(content, pos)
            if pos < 0:
                return None
            operands.append(None)
            continue
        if kind != "op":
            operands.append(None)
            continue
        out.append((m.group(), operands))
        operands = []
    return out


def _interpret(ops) -> list[tuple[tuple, Path]] | None:
    """pdfminer's interpreter, for the CTM and the paths only."""
    from pdfminer.utils import mult_matrix

    ctm: tuple = (1, 0, 0, 1, 0, 0)
    stack: list[tuple] = []
    path: Path = []
    out: list[tuple[tuple, Path]] = []
    for op, operands in ops:
        if op in _UNMODELLED:
            return None
        n = _PATH_ARGS.get(op)
        if n is not None or op == b"cm":
            args = operands[-(n or 6):]
            if len(args) < (n or 6) or None in args:
                return None
            if op == b"cm":
                ctm = mult_matrix(tuple(args), ctm)
            elif op == b"re":
                x, y, w, h = args
                path += [("m", x, y), ("l", x + w, y), ("l", x + w, y + h), ("l", x, y + h), ("h",)]
            else:
                path.append((op.decode(), *args))
        elif op == b"h":
            path.append(("h",))
        elif op in _PAINT or op in _CLOSE_PAINT:
            if op in _CLOSE_PAINT:
                path.append(("h",))
            if path:               # pdfminer paints nothing of an empty path
                out.append((ctm, path))
            path = []
        elif op == b"n":
            path = []
        elif op == b"q":
            stack.append(ctm)
        elif op == b"Q" and stack:
            ctm = stack.pop()
    return out


def _skip_string(content: bytes, pos: int) -> int:
    """The position after the literal string opened before ``pos`` (nested
    parentheses balance; a backslash escapes the next byte); -1 if unclosed."""
    depth = 1
    while depth:
        m = _STRING_END.search(content, pos)
        if m is None:
            return -1
        ch = m.group()
        pos = m.end()
        if ch == b"\\":
            pos += 1
        elif ch == b"(":
            depth += 1
        else:
            depth -= 1
    return pos
