"""What Context builds, against the definitions its fast paths replace:
prose.sentences (a passage with no mark before its last character taken whole;
else a sentence ends after each mark, and the text after the last mark is one
more) and prose.passages (one branch per rule)."""
from __future__ import annotations

import random
import re

from ingest.checks.prose import Passage, sentences

_MARK = re.compile(r"[。！？!?；;]")


def _slow(passage: Passage) -> list[tuple[str, int]]:
    out, start = [], 0
    for m in _MARK.finditer(passage.text):
        out.append((passage.text[start:m.end()], start))
        start = m.end()
    if start < len(passage.text):
        out.append((passage.text[start:], start))
    return out


def test_sentences_split_after_each_mark():
    rng = random.Random(17)
    pieces = list("医保基金。！？!?；;，,:：1") + ["2023年", "万元", "医疗保障局"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
        passage = Passage(text, [0], [1])
        assert [(s.text, s.start) for s in sentences(passage)] == _slow(passage), text
        assert all(s.passage is passage for s in sentences(passage))


def _slow_passages(lines: list[str]) -> list[tuple[str, list[int], list[int]]]:
    """prose.passages as it was written first (one branch per rule)."""
    from ingest.checks.outline import SENTENCE_END, heading_level
    from ingest.text import normalize_label
    out, cur = [], None
    for i, raw in enumerate(lines):
        if "\t" in raw:
            if cur:
                out.append(cur)
                cur = None
            continue
        text = normalize_label(raw)
        if not text:
            continue
        level = heading_level(text)
        if cur is not None and level is not None:
            out.append(cur)
            cur = None
        if cur is None:
            cur = [text, [0], [i + 1]]
        else:
            cur[1].append(len(cur[0]))
            cur[2].append(i + 1)
            cur[0] += text
        own_line = level is not None and level <= 2 and len(text) <= 40 and cur[0] == text
        if text[-1] in SENTENCE_END or len(text) < 20 or own_line:
            out.append(cur)
            cur = None
    if cur:
        out.append(cur)
    return [tuple(p) for p in out]


def test_passages_join_wrapped_lines_as_defined():
    from ingest.checks.prose import passages
    rng = random.Random(23)
    starts = ["", "", "一、", "（二）", "3、", "4.", "第一部分", "(5)", "\t", " "]
    ends = ["", "", "。", "：", "；", "，"]
    for _ in range(3000):
        lines = [rng.choice(starts) + "医保基金" * rng.randrange(0, 14) + rng.choice(ends)
                 + ("\t1" if rng.random() < 0.1 else "") for _ in range(rng.randrange(0, 12))]
        assert [(p.text, p.starts, p.lines) for p in passages(lines)] == _slow_passages(lines), lines
