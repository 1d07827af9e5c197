"""The year a report accounts for, and the lines of an older year's summary
appended to it (``2019年工作总结及2020年工作计划``): the metrics stage reads no
figure there."""
from __future__ import annotations

import re

from ingest.text import normalize_label

_TITLE_YEAR = re.compile(r"(20\d\d)年度?(?:部门|单位|项目|整体|医疗|.{0,20}(?:报告|总结|决算|预算))")
_REPORT_WORD = re.compile(r"总结|计划|报告")
_SIGNATURE = re.compile(r"(局|中心|办公室|委员会)$")
YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")


def report_year(lines: list[str]) -> int | None:
    """The year a report accounts for, read from its title lines (``2020年度…报告``)."""
    for line in lines[:20]:
        s = normalize_label(line)
        m = _TITLE_YEAR.search(s)
        if m:
            return int(m.group(1))
    return None


def heading_year(line: str) -> int | None:
    """The year of a report heading such as ``2019年工作总结及2020年工作计划``."""
    s = normalize_label(line)
    if len(s) > 40 or not _REPORT_WORD.search(s):
        return None
    m = YEAR.search(s)
    return int(m.group(1)) if m else None


def old_sections(lines: list[str], year: int | None) -> set[int]:
    """Line indexes under a heading of an earlier year (an appended old summary).

    The old summary ends at the next dated heading or at its signature, a short
    line naming the issuing unit (…局 / …中心)."""
    old, inside = set(), False
    if year is None:
        return old
    for i, line in enumerate(lines):
        y = heading_year(line) if "年" in line else None   # (a heading's year is dated …年)
        if y is not None:
            inside = y < year
        if inside:
            old.add(i)
            if is_signature(line):
                inside = False
    return old


def is_signature(line: str) -> bool:
    s = normalize_label(line)
    return 2 < len(s) <= 20 and bool(_SIGNATURE.search(s))
