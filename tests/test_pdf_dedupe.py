"""``pdf_dedupe.unique_chars`` keeps exactly the characters pdfplumber's
``dedupe_chars`` keeps, in the same order: pages generated with few texts,
fonts and sizes and positions on a half-point lattice, so that groups, chains
of near positions (a cluster wider than the tolerance), exact ties and lone
characters all occur."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.utils import dedupe_chars

from ingest.readers.pdf_dedupe import unique_chars

_char = st.fixed_dictionaries({
    "upright": st.booleans(),
    "text": st.sampled_from("0万元合计"),
    "fontname": st.sampled_from(["SimSun", "SimHei"]),
    "size": st.sampled_from([9.0, 10.5]),
    "doctop": st.integers(0, 12).map(lambda k: 100 + 0.5 * k),
    "x0": st.integers(0, 12).map(lambda k: 50 + 0.5 * k),
})


class _ById(list):
    """pdfplumber orders the survivors by ``chars.index``, which finds the first
    *equal* dict; the generated characters may be equal, so by identity here."""

    def index(self, item, *args):  # noqa: D102
        return next(k for k, c in enumerate(self) if c is item)


def _plumber(chars: list[dict], tolerance: float) -> list[int]:
    return [id(c) for c in dedupe_chars(_ById(chars), tolerance=tolerance)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_char, max_size=40), st.sampled_from([1.0, 0.5, 0.0]))
def test_the_same_survivors_as_pdfplumbers_dedupe(chars, tolerance):
    assert [id(c) for c in unique_chars(chars, tolerance)] == _plumber(chars, tolerance)


def test_a_doubled_heading_loses_its_copies_and_a_chain_is_one_cluster():
    def char(text, x, y=100.0):
        return {"upright": True, "text": text, "fontname": "SimHei", "size": 10.0, "doctop": y, "x0": x}
    heading = [char("合", 50.0), char("计", 60.0), char("合", 50.4), char("计", 60.3)]   # fake bold
    assert unique_chars(heading) == heading[:2]
    chain = [char("0", 50.0), char("0", 50.9), char("0", 51.8)]   # each within 1 pt of the next
    assert unique_chars(chain) == chain[:1]
    apart = [char("0", 50.0), char("0", 55.0), char("0", 50.0, y=120.0)]
    assert unique_chars(apart) == apart
