"""Layout 3 of :mod:`ingest.parsers.selfeval`: assessment lists in prose
(``该项得 N 分`` closes a criterion)."""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.parsers.evaluation.model import EvalTable, Indicator, joined_text, squashed_index
from ingest.prefilter import JoinedLines, required
from ingest.text import normalize_label

# ---------------------------------------------------------------------------
# 3. assessment lists in prose

_SECTION = re.compile(r"^[一二三四五六七八九十]+、(?P<name>[^（(]{2,20})[（(]总分(?:为)?(?P<w>\d+(?:\.\d+)?)分"
                      r"[,，]?(?:总)?得分(?:为)?(?P<s>\d+(?:\.\d+)?)分[）)]")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_ITEM_END = re.compile(r"该项得(?:分为)?(\d+(?:\.\d+)?)分")
_MARKER = re.compile(r"^[;；。，,、]*[（(][一二三四五六七八九十\d]+[）)]、?")
_FULL_MARK = re.compile(r"(?:最高得|得|×|\\times|乘以)(\d+(?:\.\d+)?)分")
_EXTRA_MARK = re.compile(r"加(\d+(?:\.\d+)?)分")
_NAME_NOUNS = ("范围", "规模", "应用", "反馈", "控制", "公开", "保障", "建设", "评估", "质量", "管理")


def criterion_name(text: str) -> str | None:
    """The short name after a ``（一）、`` marker, cut at its comma."""
    m = _MARKER.match(text)
    if not m:
        return None
    rest = text[m.end():]
    head = re.split(r"[,，。;；]", rest, maxsplit=1)[0]
    if 2 <= len(head) <= 8 and "、" not in head:
        return head
    cuts = [n for n in range(2, 9) if rest[:n].endswith(_NAME_NOUNS)]
    return rest[:max(cuts)] if cuts else None


def criterion_weight(text: str) -> Decimal | None:
    """The one full mark a criterion states; None when it adds several marks."""
    marks = _FULL_MARK.findall(text) + _EXTRA_MARK.findall(text)
    return Decimal(marks[0]) if len(marks) == 1 else None


_SECTION_WORD = max(required(_SECTION), key=len)   # a piece every scored heading holds


def assessment_sections(lines: list[str], index: JoinedLines | None = None) -> list[tuple[int, re.Match, int]]:
    """(line index, heading match, end index) of each scored section."""
    found = []
    index = index or squashed_index(lines)
    for i in index.holding(_SECTION_WORD):
        m = _SECTION.match(index.flat[i])
        if m:
            found.append((i, m))
    out = []
    for i, m in found:
        end = i + 1
        while end < len(lines) and not _HEADING.match(normalize_label(lines[end])):
            end += 1
        out.append((i, m, end))
    return out


def parse_assessment(lines: list[str], index: JoinedLines | None = None) -> list[EvalTable]:
    sections = assessment_sections(lines, index)
    if not sections:
        return []
    table = EvalTable("assessment", "department", None, sections[0][0] + 1)
    for i, m, end in sections:
        level1 = m.group("name")
        table.level_points.setdefault(level1, []).append(
            (Decimal(m.group("w")), Decimal(m.group("s")), i + 1))
        text, where = joined_text(lines, i + 1, end)
        pos = 0
        for item in _ITEM_END.finditer(text):
            body = text[pos:item.start()]
            body = body.lstrip("，,;；。")
            table.indicators.append(Indicator(
                "department", None, level1, None, criterion_name(body), None, None,
                criterion_weight(body), Decimal(item.group(1)),
                where[pos] if pos < len(where) else i + 1))
            pos = item.end()
    return [table]
