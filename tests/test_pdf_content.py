"""The content-stream scan's two routes (``ingest.readers.pdf_content``) read the
same paths: the direct scan of a stream without literal strings or comments,
and the tokeniser it falls back to. Streams are drawn as PDF producers write
them: path operators with their operands, among text, colour, state and
marked-content operators with theirs (names, hex strings, arrays, dicts), the
numbers in every printed form, separated by every kind of blank, and now and
then a path operator short of its operands or an operator the scan does not
model (streams both routes refuse)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.readers.pdf_content import _interpret, _operators, painted_paths

_BLANKS = st.sampled_from([b" ", b"  ", b"\n", b"\r\n", b"\t", b"\x0c", b" \n "])


@st.composite
def _number(draw) -> bytes:
    whole = draw(st.integers(0, 999))
    sign = draw(st.sampled_from([b"", b"-", b"+"]))
    form = draw(st.sampled_from(["int", "dot", "frac", "lead"]))
    if form == "int":
        return sign + str(whole).encode()
    if form == "dot":
        return sign + str(whole).encode() + b"."
    digits = str(draw(st.integers(0, 99999))).encode()
    return sign + (b"" if form == "lead" else str(whole).encode()) + b"." + digits


_OTHER_OPERAND = st.one_of(
    _number(),
    st.sampled_from([b"/F1", b"/m", b"/GS0", b"/re", b"/Span", b"<0c0f 0b>", b"<0B>", b"<>",
                     b"[1 2]", b"[<0b> -120 <0f>]", b"<< /MCID 3 >>", b"[]"]),
)
_PATH = {b"m": 2, b"l": 2, b"c": 6, b"v": 4, b"y": 4, b"re": 4, b"cm": 6}
_OTHERS = [b"q", b"Q", b"h", b"n", b"S", b"s", b"f", b"f*", b"B", b"B*", b"b", b"b*", b"W", b"W*",
           b"BT", b"ET", b"Td", b"TD", b"Tf", b"Tj", b"TJ", b"Tm", b"rg", b"RG", b"g", b"G", b"w",
           b"gs", b"Do", b"BDC", b"EMC", b"cs", b"scn", b"d", b"i", b"ri"]
_UNMODELLED = [b"BI", b"F", b"d0", b"d1"]


@st.composite
def _statement(draw) -> list[bytes]:
    if draw(st.booleans()):
        op = draw(st.sampled_from(sorted(_PATH)))
        # now and then short of operands (a stream both routes refuse), after other operands
        short = draw(st.integers(0, 9)) == 0
        count = draw(st.integers(0, _PATH[op] - 1)) if short else _PATH[op]
        lead = draw(st.lists(_OTHER_OPERAND, max_size=1)) if short else []
        return lead + [draw(_number()) for _ in range(count)] + [op]
    # now and then one the scan does not model (both refuse the stream)
    others = _UNMODELLED if draw(st.integers(0, 29)) == 0 else _OTHERS
    return draw(st.lists(_OTHER_OPERAND, max_size=3)) + [draw(st.sampled_from(others))]


@st.composite
def _stream(draw) -> bytes:
    tokens = [t for s in draw(st.lists(_statement(), min_size=1, max_size=25)) for t in s]
    out = draw(_BLANKS) if draw(st.booleans()) else b""
    for token in tokens:
        out += token + draw(_BLANKS)
    return out


@settings(max_examples=600, deadline=None)
@given(_stream())
def test_the_direct_scan_reads_what_the_tokeniser_reads(stream):
    assert b"(" not in stream and b"%" not in stream   # the direct scan's streams
    tokenised = _operators(stream)
    assert tokenised is not None
    assert painted_paths(stream) == _interpret(tokenised)


def test_a_path_among_text_operators_is_found_by_both_routes():
    body = b"BT /F1 9 Tf 1 0 0 1 72 700 Tm <0c0f> Tj ET .5 w 72 690 m 540.25 690 l S"
    expected = [((1, 0, 0, 1, 0, 0), [("m", 72.0, 690.0), ("l", 540.25, 690.0)])]
    assert painted_paths(body) == painted_paths(b"(x) Tj " + body) == expected


def test_a_restored_state_and_a_clip_are_found_by_both_routes():
    # ``Q`` and a clip's ``n`` right after a non-number operand or another operator:
    # the scan must still see them
    body = b"q 2 0 0 2 0 0 cm /GS0 gs Q /P <</MCID 0>> BDC Q 0 0 m 5 5 l W n 1 1 m 2 2 l S EMC"
    expected = [((1, 0, 0, 1, 0, 0), [("m", 1.0, 1.0), ("l", 2.0, 2.0)])]
    assert painted_paths(body) == painted_paths(b"(x) Tj " + body) == expected
