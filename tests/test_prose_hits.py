"""Context.hits and prefilter.newline_free: the screened patterns are found in
exactly the passages (and so the sentences) where they match."""
from __future__ import annotations

import random
import re

import pytest

from ingest.checks import dates, defects, names, wording
from ingest.checks.prose import _SCREENS, Context, sentences
from ingest.prefilter import newline_free

PATTERNS = (defects._SENTENCE_PATTERNS + dates._SENTENCE_PATTERNS + wording._PASSAGE_PATTERNS
            + (names._SELF,))


def test_newline_free_reads_the_pattern():
    for free in (r"我(局|中心)(?![长里外])", r"(\d+)万元(?=[，,])", r"([一-龥]{2})\1", r"(?<!\d)x", r"a.b"):
        assert newline_free(re.compile(free)), free
    for not_free in (r"a\s", r"[^x]", r"(?s)a.b", r"^a", r"a$", r"\bx", r"[\n]", r"(?!\s)a", r"x\D"):
        assert not newline_free(re.compile(not_free)), not_free


def test_each_screen_is_found_in_every_match_of_its_pattern():
    rng = random.Random(3)
    for pattern, screen in _SCREENS.items():
        pieces = re.findall(r"[\u4e00-\u9fff]+|\d", pattern.pattern + screen.pattern) + list("，,。；;0123456789")
        for _ in range(4000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))
            for m in pattern.finditer(text):
                assert screen.search(m.group(0)), (pattern.pattern, text)


def _texts(rng: random.Random) -> list[str]:
    pieces = (["我局", "我中心", "我委", "长", "的的", "工作工作", "，，", "。", "；", "\\times", "&nbsp;", "》8",
               "为万元，", "202年", "2023年", "2019年是", "截至2022年12月31日", "撰写2021年度绩效自评报告",
               "2021.1.1-2022.12.31", "比2024年预算增加", "100万元，比2023年预算增加20万元",
               "增加20万元，增长25%", "其中：", "50万元，占40%", "调整数为10万元，调整率为5%",
               "年初预算为100万元，决算为90万元", "决算数大于", "持平"]
              + list("，,。；;！？0123456789万元年局"))
    return ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 9))) for _ in range(rng.randrange(1, 8))]


@pytest.mark.parametrize("seed", range(4))
def test_hits_are_the_passages_a_pattern_matches_in(seed):
    rng = random.Random(seed)
    for _ in range(300):
        ctx = Context([])
        ctx.passages = [type("P", (), {"text": t})() for t in _texts(rng)]
        hits = ctx.hits(PATTERNS)
        for p in ctx.passages:
            expected = {pattern for pattern in PATTERNS if pattern.search(p.text)}
            assert set(hits.get(id(p), ())) == expected, p.text


def test_a_sentence_match_is_in_a_passage_hit():
    rng = random.Random(9)
    for _ in range(300):
        ctx = Context([])
        ctx.passages = [type("P", (), {"text": t, "starts": [0], "lines": [1]})() for t in _texts(rng)]
        hits = ctx.hits(defects._SENTENCE_PATTERNS + dates._SENTENCE_PATTERNS)
        for p in ctx.passages:
            for s in sentences(p):
                for pattern in defects._SENTENCE_PATTERNS + dates._SENTENCE_PATTERNS:
                    if pattern.search(s.text):
                        assert pattern in hits.get(id(p), ()), (pattern.pattern, s.text)


def test_the_common_ranges_hold_no_control_or_unassigned_character():
    import unicodedata

    from ingest.plausible import COMMON_RANGES
    common = re.compile(f"[{COMMON_RANGES}]")
    bad = [hex(c) for c in range(0x110000) if common.match(chr(c)) and chr(c) not in "\t\n\r\f\v"
           and unicodedata.category(chr(c)) in ("Cc", "Co", "Cn", "Cs")]
    assert not bad


def test_every_placeholder_match_holds_one_of_its_pieces():
    rng = random.Random(5)
    pieces = ["X", "Ｘ", "×", "(", "（", ")", "）", "单位名称", "部门名称", "如有", "请填写", "填写", "局", "年", "x"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 8)))
        for m in names._PLACEHOLDER.finditer(text):
            assert any(w in m.group(0) for w in names._PLACEHOLDER_PIECES), text
