"""The literal prefilter never skips a text its pattern matches."""
from __future__ import annotations

import random
import re

from ingest.prefilter import Finder, Screen, first_chars, possible, required
from ingest.vocabularies import metric_wordings


def test_required_pieces_of_alternations_groups_and_repeats():
    income = re.compile(r"(?:本年收入合计|(?<!拨款)收入合计|当年收入)(?:为)?(\d+)(万元|元)")
    assert required(income) == ("收入", "元")
    assert required(re.compile(r"在职(?:人员|人数)(?:为|共)?(\d+)人")) == ("在职人",)
    assert set(required(re.compile(r"(?:共|累计)报销(\d+)人次"))) == {"报销", "人次"}
    assert set(required(re.compile(r"(?:ab)+c"))) == {"ab", "c"}


def test_optional_parts_lookarounds_and_ignorecase_require_nothing():
    assert required(re.compile(r"(?:万)?(?=元)x?")) == ()
    assert required(re.compile(r"(?<!拨款)[一二三]*")) == ()
    assert required(re.compile("abc", re.IGNORECASE)) == ()
    assert required(re.compile(r"(?i:abc)d")) == ("d",)
    assert required(re.compile(r"a|b")) == ()


def test_never_rejects_a_matching_text():
    patterns = [p for _, _, p in metric_wordings("metrics")] + [p for _, _, p in metric_wordings("narrative")]
    pieces = sorted({s for p in patterns for s in required(p)} | set("为共达0123456789.,万元人%：:名家"))
    rng = random.Random(7)
    screen = Screen(patterns)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12)))
        present = screen.present(text)
        for pattern, needs in zip(patterns, screen.needs):
            if pattern.search(text):
                assert possible(pattern, text) and needs <= present, (pattern.pattern, text)


def test_a_missing_piece_skips():
    p = re.compile(r"[“\"]?三公[“\"]?经费(?:预算)?(\d+)万元")
    assert not possible(p, "公务接待费12万元")
    assert possible(p, "“三公”经费12万元")


def test_first_chars_pass_over_lookarounds_and_optional_parts():
    income = re.compile(r"(?:本年收入合计|(?<!拨款)收入合计|当年收入)(?:为)?(\d+)(万元|元)")
    assert first_chars(income) == frozenset("本收当")
    assert first_chars(re.compile(r"[“\"]?三公")) == frozenset("“\"三")
    assert first_chars(re.compile(r"^(?:ab)*c|d")) == frozenset("acd")
    for unknown in (r"\d+元", r"a*", r"(?:x|)", r".b", r"[^a]b", r"(?i)ab"):
        assert first_chars(re.compile(unknown)) is None, unknown


def test_finder_finds_what_search_and_finditer_find():
    patterns = ([p for _, _, p in metric_wordings("metrics")] + [p for _, _, p in metric_wordings("narrative")]
                + [re.compile(r"(?<=a)b|c?d"), re.compile(r"^a|b$"), re.compile(r"a*"), re.compile(r"\d+元"),
                   re.compile(r"(?<![拨款])支出(\d)")])
    pieces = sorted({s for p in patterns for s in required(p)} | set("为共达拨款0123456789.,万元人%：:名家abcd\n"))
    rng = random.Random(11)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30))) for _ in range(1500)]
    for pattern in patterns:
        finder = Finder(pattern)
        for text in texts:
            got, want = finder.search(text), pattern.search(text)
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), \
                (pattern.pattern, text)
            assert [(m.span(), m.groups()) for m in finder.finditer(text)] == \
                [(m.span(), m.groups()) for m in pattern.finditer(text)], (pattern.pattern, text)
