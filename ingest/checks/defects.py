"""Text defects: what a proof-reader marks without knowing the figures.

* ``TEXT_DOUBLED_PUNCTUATION`` (info, ``ocr_typo``): ``，，`` / ``。。`` / ``、、``
  (an ellipsis ``……`` and dot leaders are not doubled punctuation).
* ``TEXT_REPEATED_WORD`` (info, ``ocr_typo``): a word of two to four characters
  printed twice back to back (``工作工作``), or a function character doubled
  (``的的``, ``了了``); reduplications of the language (``常常``, ``一一``,
  ``层层``) are not flagged.
* ``TEXT_MARKUP_RESIDUE`` (warning, ``ocr_typo``): markup left by a converter or
  an editor: LaTeX commands (``\\times``), HTML entities (``&nbsp;``).
* ``TEXT_MISREAD_COMPARATOR`` (warning, ``ocr_typo``): a book-title mark
  before a figure (``》80%``): a misread ``≥``.
* ``TEXT_MISSING_FIGURE`` (warning, ``ocr_typo``): a sentence cut off before
  its figure (``支出决算为万元``, ``增长%``).
"""
from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np

from ingest.checks.prose import Passage, Sentence, context, issue, quote

_DOUBLED = re.compile(r"([，,。、；;：:])\1+")
_FUNCTION_DOUBLED = re.compile(r"(的的|了了|和和|在在|是是|对对|与与)")
_REPEATED = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
_ALLOWED_REPEATS = frozenset({"一一", "常常", "层层", "处处", "人人", "年年", "步步", "家家", "天天",
                               "事事", "时时", "个个", "条条", "项项", "件件", "户户", "村村"})
_MARKUP = re.compile(r"\\(?:times|div|cdot|leq|geq|frac|le|ge|mathrm|text)(?![A-Za-z])|&(?:nbsp|amp|lt|gt);")
_COMPARATOR = re.compile(r"》\s*\d")
_MISSING = re.compile(r"(?:为|计|共|合计|总计|增加|减少|增长|下降|支出|收入|安排)(?:万元|%)(?=[，,。；;])")
_SENTENCE_PATTERNS = (_DOUBLED, _FUNCTION_DOUBLED, _REPEATED, _MARKUP, _COMPARATOR, _MISSING)
_CJK = (0x4E00, 0x9FFF)   # _REPEATED's character class


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    out = []
    # (each pattern's matches are all within a sentence)
    hits = ctx.hits(tuple(p for p in _patterns(ctx) if p is not _REPEATED))
    repeats = _repeat_passages(ctx)
    for s in ctx.sentences:
        found = hits.get(id(s.passage), ())
        if id(s.passage) in repeats:
            found = {*found, _REPEATED}
        if not found:
            continue
        if _DOUBLED in found:
            out += _find(ctx, s, _DOUBLED, "TEXT_DOUBLED_PUNCTUATION", "info",
                         "标点“{m}”重复,应删去多余的标点。")
        if _FUNCTION_DOUBLED in found:
            out += _find(ctx, s, _FUNCTION_DOUBLED, "TEXT_REPEATED_WORD", "info",
                         "“{m}”字重复,疑为笔误。")
        for m in _REPEATED.finditer(s.text) if _REPEATED in found else ():
            if m.group(1) in _ALLOWED_REPEATS or len(set(m.group(1))) == 1:
                continue
            out.append(_issue(ctx, s, m, "TEXT_REPEATED_WORD", "info",
                              f"“{m.group(1)}”连续重复两次(“{m.group(0)}”),疑为笔误。"))
        if _MARKUP in found:
            out += _find(ctx, s, _MARKUP, "TEXT_MARKUP_RESIDUE", "warning",
                         "文中残留排版代码“{m}”(如乘号应为“×”),应改为正文符号。")
        if _COMPARATOR in found:
            out += _find(ctx, s, _COMPARATOR, "TEXT_MISREAD_COMPARATOR", "warning",
                         "数字前的“》”疑为“≥”误印(“{m}”)。")
        if _MISSING in found:
            out += _find(ctx, s, _MISSING, "TEXT_MISSING_FIGURE", "warning",
                         "“{m}”之前缺少数字,句子在数字处被截断。")
    for s in _table_cells(ctx):
        out += _find(ctx, s, _MARKUP, "TEXT_MARKUP_RESIDUE", "warning",
                     "表中残留排版代码“{m}”,应改为正文符号。")
        out += _find(ctx, s, _COMPARATOR, "TEXT_MISREAD_COMPARATOR", "warning",
                     "数字前的“》”疑为“≥”误印(“{m}”)。")
    return out


def _patterns(ctx) -> tuple:
    """_SENTENCE_PATTERNS without _MARKUP where no line prints a \\ or an & (every
    match of it holds one; the passages' characters are the folded lines')."""
    folded = ctx.folded
    if "\\" in folded or "&" in folded:
        return _SENTENCE_PATTERNS
    return tuple(p for p in _SENTENCE_PATTERNS if p is not _MARKUP)


def _repeat_passages(ctx) -> set[int]:
    """The passages (by ``id``) that ``_REPEATED`` matches in, found without it.

    The regex tries two to four characters and a back-reference at every CJK
    character of the prose (≈ 4 % of a document's parse). Its matches are
    exactly the places where 2L CJK characters (L = 2..4) print their first L
    again as their last L; that is compared here for the whole prose at once,
    as code points in arrays. A passage holds a match of the regex exactly when
    it holds such a place (the joining newline is not CJK, so no place spans
    two passages), and there ``run`` finds the matches with the regex itself."""
    if not ctx.passages:
        return set()
    prose, starts = ctx.prose()
    codes = np.frombuffer(prose.encode("utf-32-le"), dtype=np.uint32)
    cjk = (codes >= _CJK[0]) & (codes <= _CJK[1])
    at = np.zeros(len(codes), dtype=bool)
    for size in (2, 3, 4):
        span = len(codes) - 2 * size + 1
        if span <= 0:
            break
        same = np.ones(span, dtype=bool)
        for j in range(size):
            same &= cjk[j:j + span] & (codes[j:j + span] == codes[size + j:size + j + span])
        at[:span] |= same
    return {id(ctx.passages[bisect_right(starts, k) - 1]) for k in np.flatnonzero(at).tolist()}


def _table_cells(ctx) -> list:
    """Each table row as a one-sentence passage (its cells joined by spaces)."""
    out = []
    for k, raw in enumerate(ctx.lines):
        if "\t" in raw and ("》" in raw or "\\" in raw or "&" in raw):
            text = " ".join(c.strip() for c in raw.split("\t") if c.strip())
            out.append(Sentence(text, 0, Passage(text, [0], [k + 1])))
    return out


def _find(ctx, s, pattern, check_id, severity, template) -> list[dict]:
    return [_issue(ctx, s, m, check_id, severity, template.format(m=m.group(0)))
            for m in pattern.finditer(s.text)]


def _issue(ctx, s, m, check_id, severity, what) -> dict:
    return issue(check_id, severity, "ocr_typo", ctx.where(s.line), None, m.group(0),
                 f"“{quote(s.text, m.start())}”:{what}", s.line)
