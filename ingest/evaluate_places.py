"""Where an issue stands, as an answer key's ``where`` and an issue's ``location`` name it.

A key names a table by number (``公开03表``, ``公开03/05表``, ``收入决算表(02)``,
``08/2025年…表``, ``05表``) or by title (``项目支出绩效自评表:离休人员医药费``), and a
section by its headings (``四、(二)过程情况/预算管理``, ``第三部分五(三)``,
``三、考核分析/二、三、四``). An issue's location names a table as ``table 03`` /
``公开03表`` / its title, and a section by its heading path
(``四、绩效评价指标分析/(二)过程情况 第59行``). Both are compared after
``ingest.text.normalize_label`` (whitespace removed, full width folded).
"""
from __future__ import annotations

import re

_CN = "一二三四五六七八九十"
_TABLE_NO = (re.compile(r"公开((?:\d{1,2}[/、和])*\d{1,2})表"), re.compile(r"table(\d{2})"),
             re.compile(r"\((\d{2})\)"), re.compile(r"^(\d{2})/"),
             re.compile(r"(?<![\d.])((?:\d{2}/)*\d{2})表"))
_NUMBER_TOKEN = re.compile(rf"第[{_CN}]+部分|[{_CN}]+(?=[、.(]|$)|\([{_CN}\d]+\)|\d{{1,2}}(?=[、.．]|$)")
_SEGMENT_SPLIT = re.compile(r"[;；/]|vs|与(?=公开|第)")


def table_numbers(place: str) -> set[str]:
    found: set[str] = set()
    for pattern in _TABLE_NO:
        for m in pattern.finditer(place):
            found |= {n.zfill(2) for n in re.split(r"[/、和]", m.group(1))}
    return found


def _heading_pieces(segment: str) -> list[str]:
    pieces = re.split(rf"第[{_CN}]+部分|[{_CN}]+、|\([{_CN}\d]+\)|\d{{1,2}}[、.．]|、", segment)
    pieces = [re.sub(r"第\d+[条项行]$|\d+$|^\d+", "", p) for p in pieces]
    return [p for p in pieces if len(p) >= 4]


def _titles(segment: str) -> list[str]:
    m = re.search(r"^(.*?表)(:[^/]+)?", segment)
    return [m.group(0)] if m and len(m.group(1)) >= 4 else []


def _numbers(text: str) -> list[str]:
    return [re.sub(r"[()]", "", t) for t in _NUMBER_TOKEN.findall(text)]


def _subsequence(needle: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(any(n == h for h in it) for n in needle)


def same_place(where: str, location: str) -> bool:
    """Whether an issue's location names the place a key row's ``where`` names."""
    if table_numbers(where) & table_numbers(location):
        return True
    for segment in filter(None, _SEGMENT_SPLIT.split(where)):
        if any(t in location for t in _titles(segment)):
            return True
        pieces = _heading_pieces(segment)
        if any(p in location for p in pieces):
            return True
        numbers = _numbers(segment)
        if not pieces and len(numbers) >= 2 and _subsequence(numbers, _numbers(location)):
            return True
        if not pieces and re.fullmatch(rf"(?:[{_CN}]+、)+[{_CN}]+", segment):
            # 二、三、四: any of those sections
            listed = set(segment.split("、"))
            if any(n in listed for n in re.findall(rf"(?:^|/)([{_CN}]+)、", location)):
                return True
    return False


