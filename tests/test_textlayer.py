"""``textlayer.implausible`` (GB2312 over the whole text, ``plausible``'s other
tests only where it fails) must count what ``plausible`` counts character by
character, and ``judge_text_layer``'s blanks must be ``str.isspace``'s."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.readers.textlayer import _RETRIES, implausible, judge_text_layer, plausible

# what a page's text layer holds: report text (ASCII, GB2312 hanzi and punctuation),
# GBK-only hanzi, the ranges plausible() admits outright, mojibake, blanks of every kind
_PIECES = st.sampled_from(
    list("预算收入支出合计万元，。；：（）《》、1234567890.%abcXYZ")   # GB2312
    + list("堃喆犇昇")                                                  # GBK, not GB2312
    + list("〇〔〕〖〗〘〙｟｠￠￤‐‒―‖‛‟†‧‰‹›⁇⁈")                           # the admitted ranges
    + list("ങϦਪ၇സ𠀀\ue000\ufffdÄßЖ㐀䶵")                                 # implausible
    + list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u3000"))


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=300).map("".join))
def test_implausible_counts_what_plausible_counts(text):
    assert implausible(text) == sum(1 for c in text if not plausible(c))


def test_a_garbage_layer_past_the_retries_is_counted_whole():
    text = ("预算" + "ങ") * (3 * _RETRIES) + "Ϧ合计"
    assert implausible(text) == 3 * _RETRIES + 1


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=200).map("".join), st.integers(0, 40))
def test_the_verdict_is_the_character_by_character_one(text, unmapped):
    chars = [c for c in text if not c.isspace()]
    bad = sum(1 for c in chars if not plausible(c))
    expected = None
    if not chars:
        expected = None
    elif "(cid:" in text:
        expected = "cid"
    elif len(chars) < 20 and not unmapped:
        expected = None
    elif unmapped > 0.3 * len(chars) or bad > 0.3 * len(chars):
        expected = f"({max(bad, unmapped)} of {len(chars)} characters"
    got = judge_text_layer(text, unmapped)
    if expected is None:
        assert got is None
    else:
        assert got is not None and (expected in got or expected == "cid")
