"""Fast paths of the narrative stage against the slow definitions they replace,
on generated texts (each must fail when its fast path is broken)."""
import random
import re

from ingest.lead_literals import LiteralFinder, leading_literals
from ingest.parsers import narrative as N

_PIECES = ["卫", "生", "健", "康", "支", "出", "类", "款", "项", "(", ")", "2", "0", "4", "1", "。", "，",
           "“", "”", "-", "a", "(类)", "(204类)", "(款)", "(06款)", "(项)", "(01项)", "行政运行",
           "医疗保障管理事务", "科目", "万元", "1,202.95", "年初预算为", "支出决算为"]


def _texts(seed: int, count: int, size: int = 40):
    rnd = random.Random(seed)
    for _ in range(count):
        yield "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, size)))


def _spans(matches):
    return [(m.span(), m.groupdict()) for m in matches]


def test_paren_subjects_are_the_pattern_s_matches():
    hits = 0
    for text in _texts(1, 10000):
        slow = _spans(N._PAREN_SUBJECT.finditer(text))
        assert _spans(N.paren_subjects(text)) == slow, text
        hits += bool(slow)
    assert hits > 50   # the generated texts do hold subjects


def test_paren_subjects_on_long_and_nested_texts():
    text = "卫生健康支出(类)医疗保障管理事务(款)行政运行(项)45.83万元，" * 50 + "一" * 5000 + "(类)" * 300
    text += "卫生健康支出(210类)医疗保障(11款)行政运行(01项)" + "支出(类)(类)款)" * 40
    assert _spans(N.paren_subjects(text)) == _spans(N._PAREN_SUBJECT.finditer(text))


def test_line_start_is_the_walk_back_it_replaces():
    rnd = random.Random(2)
    for _ in range(300):
        lines = ["".join(rnd.choice("ab \tc") for _ in range(rnd.randint(0, 6))) for _ in range(rnd.randint(0, 8))]
        prose = N.build_prose(lines)
        for pos in range(0, len(prose.text) + 3):
            walk = pos
            while walk > 0 and prose.line(walk - 1) == prose.line(pos):
                walk -= 1
            assert prose.line_start(pos) == walk, (lines, pos)


def _slow_evidence(prose, start, end):
    text = prose.text
    head = max(text.rfind(d, 0, start) for d in "。；;,，:：")
    line_start = start
    while line_start > 0 and prose.line(line_start - 1) == prose.line(start):
        line_start -= 1
    return text[max(head + 1, line_start, start - 40):end]


def test_evidence_is_the_clause_as_before():
    rnd = random.Random(3)
    for _ in range(200):
        lines = ["".join(rnd.choice("收入合计为1.5万元，。；:ab") for _ in range(rnd.randint(0, 60)))
                 for _ in range(rnd.randint(1, 5))]
        prose = N.build_prose(lines)
        for start in range(len(prose.text)):
            assert N._evidence(prose, start, start + 3) == _slow_evidence(prose, start, start + 3)


def test_leading_literals_of_the_metric_wordings():
    pattern = re.compile(r"(?:本年收入合计|(?<!拨款)收入合计|总收入)(?:为)?(\d+)万元")
    assert leading_literals(pattern) == ("本年收入合计", "收入合计", "总收入")
    assert leading_literals(re.compile(r"[“]?三公经费")) is None
    assert leading_literals(re.compile(r"(?:a|b?c)")) is None
    assert leading_literals(re.compile(r"(?i:ab|cd)")) is None
    assert leading_literals(re.compile(r"(?:a|)x")) is None
    assert leading_literals(re.compile(r"(?:ab)+c|(?=d)de")) == ("ab", "de")


def test_literal_finder_finds_what_search_finds():
    patterns = [pattern for _, _, pattern in N._METRICS if leading_literals(pattern)]
    patterns.append(re.compile(r"(?:ab|(?<!x)b|bc)(?:d)?"))
    assert len(patterns) > 5
    rnd = random.Random(4)
    words = ["本年收入合计", "收入合计", "拨款", "总收入", "为", "12.5", "万元", "元", "，", "支出合计",
             "人员经费", "工资福利支出", "公用经费", "a", "b", "c", "x", "d"]
    for _ in range(5000):
        text = "".join(rnd.choice(words) for _ in range(rnd.randint(0, 25)))
        pos = rnd.randint(0, 3)
        for pattern in patterns:
            slow, fast = pattern.search(text, pos), LiteralFinder(pattern).search(text, pos)
            assert (slow and (slow.span(), slow.groups())) == (fast and (fast.span(), fast.groups()))
