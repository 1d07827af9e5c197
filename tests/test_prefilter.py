"""The literal prefilter never skips a text its pattern matches."""
from __future__ import annotations

import random
import re

from ingest.prefilter import Screen, possible, required
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
