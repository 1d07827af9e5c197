"""The area of a unit printed without its place (``医疗保障局`` alone).

The area is taken from the document's other clues only where they are
unambiguous, in this order:

1. the other names of the unit the document prints with a place — the
   publisher of a web page (``发布机构：某某县医疗保障局``), a labelled field,
   a signature. A 医疗保障事务中心 published under its bureau's name gets the
   bureau's place. They must all resolve to one division;
2. the place names of the text itself (``全县``'s county named in a fund
   title such as ``某某县城乡居民医保补助资金``, in the 职责 text …), read
   outside cited notices: the text inside ``《…》``, document numbers
   (``某财社〔2023〕5号``) and lines quoting a ``通知`` are dropped first, so a
   province or city that issued a notice is never taken for the publisher.
   Exactly one county-level division must be named; a city counts only when
   no county is named and the text speaks of its own area as a city
   (``全市`` / ``本市`` / ``市本级``) and never as a county (``全县`` / ``全区``).

Anything else leaves the area unknown, and the reason says which clues
disagreed — never a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest import regions

_CITATION = re.compile(r"《[^》]{0,120}》")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*第?\s*\d+\s*号")
_PLACE_SUFFIX = ("省", "市", "州", "县", "区", "旗", "盟")
_COUNTY_WORDS = re.compile(r"全县|本县|县本级|县级|全区|本区|区本级|区级|全旗|本旗")
_CITY_WORDS = re.compile(r"全市|本市|市本级|市级|全州|本州|州本级|州级")


@dataclass(frozen=True)
class AreaClue:
    division: regions.Division | None
    place: str | None        # the place as printed in the clue (prefixed to the name)
    basis: str               # which clue: named unit / text
    reason: str              # why not resolved, '' when resolved


def _chain_place(name: str, text: str) -> tuple[regions.Division | None, str]:
    res = regions.resolve(name, text)
    return res.division, res.matched


def from_names(names: list[str], text: str) -> AreaClue | None:
    """The one division the unit's placed names agree on."""
    found: dict[str, tuple[regions.Division, str]] = {}
    for name in names:
        division, place = _chain_place(name, text)
        if division is not None:
            found.setdefault(division.code or division.name, (division, place))
    if len(found) == 1:
        division, place = next(iter(found.values()))
        return AreaClue(division, place, "named unit", "")
    if len(found) > 1:
        shown = "、".join(sorted(p for _, p in found.values()))
        return AreaClue(None, None, "named unit", f"单位的其他名称指向多个地区：{shown}")
    return None


def _own_text(lines: list[str]) -> str:
    kept = [line for line in lines if "通知" not in line]
    return _DOC_NUMBER.sub("", _CITATION.sub("", "\n".join(kept)))


def places_in_text(text: str) -> list[str]:
    """Place names printed in the text (full names and suffixed short forms)."""
    index = regions.name_index()
    longest = regions._max_name_length()
    out, i = [], 0
    while i < len(text):
        for k in range(min(longest, len(text) - i), 2, -1):
            form = text[i:i + k]
            if form.endswith(_PLACE_SUFFIX) and form in index:
                out.append(form)
                i += k
                break
        else:
            i += 1
    return out


def from_text(lines: list[str]) -> AreaClue:
    text = _own_text(lines)
    forms = places_in_text(text)
    counties: dict[str, tuple[regions.Division, str]] = {}
    cities: dict[str, tuple[regions.Division, str]] = {}
    unresolved = []
    for form in dict.fromkeys(forms):
        res = regions.resolve(form, text)
        if res.division is None:
            if res.candidates and res.candidates[0].level == "county":
                unresolved.append(form)
            continue
        d = res.division
        bucket = counties if d.level == "county" else cities if d.level == "city" else None
        if bucket is not None:
            bucket.setdefault(d.code or d.name, (d, form))
    if unresolved or len(counties) > 1:
        shown = "、".join(sorted({f for _, f in counties.values()} | set(unresolved)))
        return AreaClue(None, None, "text", f"正文提到多个县级地区：{shown}")
    if len(counties) == 1:
        d, form = next(iter(counties.values()))
        return AreaClue(d, form, "text", "")
    if len(cities) == 1 and _CITY_WORDS.search(text) and not _COUNTY_WORDS.search(text):
        d, form = next(iter(cities.values()))
        return AreaClue(d, form, "text", "")
    if len(cities) > 1:
        shown = "、".join(sorted(f for _, f in cities.values()))
        return AreaClue(None, None, "text", f"正文提到多个地市：{shown}")
    return AreaClue(None, None, "text", "除所引文件外，正文未提到地名")


def area_of_unplaced(names: list[str], lines: list[str], text: str) -> AreaClue:
    """The area of a unit printed without its place, or the reason it is unknown."""
    clue = from_names(names, text)
    if clue is not None:
        return clue
    return from_text(lines)
