"""Who and when: the reporting unit, its area, the fiscal year and phase.

Where reports print the unit (in the order trusted):

* a title line near the top — the name alone (``某某县医疗保障局``) or inside
  the title (``2023年度 某某管理区医保局部门决算``, ``第一部分某某局概况``);
* a labelled field — ``部门：``, ``单位名称：``, ``评价单位：``,
  ``预算主管部门：``, ``编制部门：``, ``主管部门：``, ``实施单位：`` (tables
  repeat them; ``单位：万元`` is a unit of money, not a unit);
* the closing signature above the date.

The name is normalized: ``医保局`` → ``医疗保障局`` (likewise 医保事务中心 …),
and a county-level unit gets its parent city in front when the document
itself prints that longer form anywhere (``部门：某某市某某管理区医疗保障局``
under a title that says only ``某某管理区医保局``). ``department_name_printed``
keeps the first printed form and ``evidence``/``source_line`` say where.

The fiscal year is the year accounted for: a labelled ``评价年度：2023 年度``
first, then the year in the title (``2020年度部门项目支出绩效自评总报告``;
``某区2025年区级部门预算``), never a date line (``2021年4月25日``), then the
most frequent ``YYYY年度`` in the text. ``phase`` follows the kinds of report
found (``budget`` for a 部门预算, ``final`` for 决算, self-evaluations,
assessments and work summaries).

What cannot be determined stays NULL with a quality issue saying so.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest import regions
from ingest.text import fold_width, squash

HEAD_LINES = 15          # non-empty lines that count as the document's head
SIGNATURE_LINES = 12     # non-empty lines at the end that may hold a signature
MAX_TITLE = 60           # a longer line is prose, not a title

_CJK = r"\u4e00-\u9fff"
_ORG_SUFFIX = r"(?:局|中心|委员会|办公室|厅|院|所|站|处|队|馆|政府|委|办)"
_NAME = rf"[{_CJK}()（）]{{2,40}}?{_ORG_SUFFIX}"
_NAME_ONLY = re.compile(rf"^({_NAME})$")
_REPORT_WORD = r"(?:\d{4}年度?)?(?:部门|单位)?(?:整体|项目|决算|预算|绩效|概况|年度|工作)"
_TITLE = re.compile(rf"^(?:\d{{4}}年度?)?({_NAME}){_REPORT_WORD}")
_LABEL = re.compile(
    r"(?:预算主管部门|主管部门|编制部门|编制单位|评价单位|实施单位|填报单位|预算单位|"
    r"单位名称|部门名称|部门|单位)(?:\([^)]{0,6}\))?[:：]\s*([^\s:：]{2,40})"
)
_NUMBERING = re.compile(
    r"^(?:附件\d*[:：]?|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.]|"
    r"\([一二三四五六七八九十\d]+\)|\d+[、.])"
)
_DATE = re.compile(r"(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?$")
_ABBREVIATIONS = (
    (re.compile(r"医保(?=局|事务|经办|服务|事业|中心)"), "医疗保障"),
)
_NOT_UNITS = re.compile(r"^(?:本|我|该|各|全|上级|主管)|报告$|说明$")

_AGENCY = re.compile(r"经办|事务中心|事业管理中心|医疗保险管理中心|服务中心|管理中心|中心$")
_MEDICAL = re.compile(r"医疗保障|医疗保险|医保")

_YEAR_LABEL = re.compile(r"(?:评价年度|预算年度|决算年度|所属年度|年度)[:：]\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"((?:19|20)\d{2})年(度)?(?!\d{1,2}月)")
_YEARLY = re.compile(r"((?:19|20)\d{2})年度")
_TITLE_WORD = re.compile(r"决算|预算|自评|评价|总结|报告|考核|绩效")

_CONSOLIDATED = re.compile(
    r"汇总|(?:本级|本部).{0,6}(?:以及|和|及|、).{0,30}(?:下属|单位|中心|所)"
)
_SUBORDINATES = re.compile(r"下属.{0,6}(?:单位|中心)")
_NO_SUBORDINATES = re.compile(r"(?:无|没有|不含|未含)(?:下属|所属|二级)")
_ONLY_OWN = re.compile(r"(?:仅|只)(?:包括|包含|含|有|为)?.{0,30}(?:本级|本部)(?!以及|和|及|、)")
_SCOPE_STATEMENT = re.compile(r"(?:单位构成|编制范围|包括|包含)")
_SCOPE_SUBJECT = re.compile(r"决算|预算")


@dataclass(frozen=True)
class Mention:
    name: str       # as printed, whitespace removed
    line: int       # 1-based
    snippet: str    # the line as printed, stripped
    how: str        # title / label / signature


def _clean(line: str) -> str:
    return squash(fold_width(line))


def expand_name(name: str) -> str:
    """Spell out the short forms reports use (医保局 → 医疗保障局)."""
    for pattern, repl in _ABBREVIATIONS:
        name = pattern.sub(repl, name)
    return name


def _plausible(name: str) -> bool:
    return bool(name) and not _NOT_UNITS.search(name) and len(name) >= 4


def title_unit(line: str) -> str | None:
    """A unit named by a title line: alone, or in front of the report's name."""
    text = _NUMBERING.sub("", _clean(line))
    text = _DATE.sub("", text)
    for pattern in (_NAME_ONLY, _TITLE):
        m = pattern.match(text)
        if m and _plausible(m.group(1)):
            return m.group(1)
    return None


def label_unit(line: str) -> str | None:
    """A unit given in a labelled field (部门：…, 评价单位：…)."""
    text = fold_width(line).replace("\t", "  ")
    for m in _LABEL.finditer(re.sub(r"(?<=[:：])\s+", "", text)):
        value = m.group(1)
        if _NAME_ONLY.match(value) and _plausible(value):
            return value
    return None


def _non_empty(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip()]


def find_mentions(lines: list[str]) -> list[Mention]:
    """Every place the document prints its unit, in reading order."""
    out = []
    non_empty = _non_empty(lines)
    head = set(non_empty[:HEAD_LINES])
    tail = set(non_empty[-SIGNATURE_LINES:])
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        name = label_unit(line)
        how = "label"
        if name is None and (i in head or i in tail or _NUMBERING.match(_clean(line))):
            name = title_unit(line)
            how = "title" if i not in tail or i in head else "signature"
        if name:
            out.append(Mention(name, i + 1, line.strip(), how))
    return out


def _has_place(name: str) -> bool:
    return bool(regions.place_chain(expand_name(name)))


def choose_unit(mentions: list[Mention], head_end: int) -> Mention | None:
    """The reporting unit: the head's first placed name, else the most
    frequent labelled name, else any title or signature."""
    head = [m for m in mentions if m.line <= head_end]
    for pool in ([m for m in head if _has_place(m.name)], head):
        if pool:
            return pool[0]
    labels = [m for m in mentions if m.how == "label"]
    if labels:
        counts = Counter(expand_name(m.name) for m in labels)
        best = max(counts.values())
        return next(m for m in labels if counts[expand_name(m.name)] == best)
    return mentions[-1] if mentions else None


def full_name(name: str, division: regions.Division | None,
              variants: list[str], text: str) -> str:
    """The unit's name with its parent city in front where the document prints it."""
    longer = [v for v in variants if v.endswith(name) and len(v) > len(name)
              and regions.place_chain(v[: len(v) - len(name)])]
    if longer:
        return max(longer, key=len)
    parent = regions.parent_city_name(division) if division else None
    if parent and not name.startswith(parent) and (parent + name) in text:
        return parent + name
    return name


def unit_kind(name: str | None) -> str | None:
    """bureau (医疗保障局) / agency (a service centre under it) / other."""
    if not name:
        return None
    if name.endswith("医疗保障局"):
        return "bureau"
    if _MEDICAL.search(name) and _AGENCY.search(name):
        return "agency"
    return "other"


def consolidation(lines: list[str]) -> tuple[str | None, int | None]:
    """本级 / 汇总 where the document states which units its figures cover."""
    for i, line in enumerate(lines):
        text = _clean(line)
        if not (_SCOPE_STATEMENT.search(text) and _SCOPE_SUBJECT.search(text)):
            continue
        window = text + (_clean(lines[i + 1]) if i + 1 < len(lines) else "")
        if _NO_SUBORDINATES.search(window) or _ONLY_OWN.search(window):
            return "本级", i + 1
        if _CONSOLIDATED.search(window) or _SUBORDINATES.search(window):
            return "汇总", i + 1
    return None, None


def fiscal_year(lines: list[str], head_end: int) -> tuple[int | None, int | None]:
    """The year accounted for, with the line it was read from."""
    for i, line in enumerate(lines):
        m = _YEAR_LABEL.search(_clean(line))
        if m:
            return int(m.group(1)), i + 1
    for i, line in enumerate(lines[:head_end]):
        text = _clean(line)
        m = _YEAR.search(text)
        if (m and _TITLE_WORD.search(text) and not _DATE.search(text)
                and "《" not in text and len(text) <= MAX_TITLE):
            return int(m.group(1)), i + 1
    counts = Counter(int(m.group(1)) for line in lines for m in _YEARLY.finditer(_clean(line)))
    if counts:
        year, n = counts.most_common(1)[0]
        if n >= 2 and list(counts.values()).count(n) == 1:
            return year, None
    return None, None


def phase(section_rows: list[dict]) -> str | None:
    """budget when the document's first report is a 部门预算, else final."""
    if not section_rows:
        return None
    first = min(section_rows, key=lambda r: r["start_line"])
    return "budget" if first["report_type"] == "budget" else "final"


def _issue(check_id: str, location: str, observed: str | None,
           description: str, line: int | None) -> dict:
    return {
        "check_id": check_id,
        "severity": "warning",
        "kind": "identity_unresolved",
        "location": location,
        "expected": None,
        "observed": observed,
        "description": description,
        "source_line": line,
    }


def _head_end(lines: list[str]) -> int:
    non_empty = _non_empty(lines)
    return (non_empty[HEAD_LINES - 1] if len(non_empty) >= HEAD_LINES
            else (non_empty[-1] if non_empty else 0)) + 1


def extract(lines: list[str], sections=None) -> dict[str, list[dict]]:
    """``sections``: the document_sections rows of the sections stage."""
    issues: list[dict] = []
    head_end = _head_end(lines)
    text = "".join(_clean(line) for line in lines)
    mentions = find_mentions(lines)
    unit = choose_unit(mentions, head_end)

    name = division = None
    if unit is None:
        issues.append(_issue("identity_unit_unknown", "document", None,
                             "no reporting unit found in titles, labelled fields or signature", None))
    else:
        printed = expand_name(unit.name)
        resolution = regions.resolve(printed, text)
        variants = [expand_name(m.name) for m in mentions]
        name = full_name(printed, resolution.division, variants, text)
        if resolution.division is None and name != printed:
            resolution = regions.resolve(name, text)
        division = resolution.division
        if resolution.reason == "ambiguous":
            issues.append(_issue(
                "identity_area_ambiguous", "department", resolution.matched,
                "place name fits several divisions and the document does not tell which: "
                + ", ".join(f"{c.province}{c.city or ''}{c.county or ''}" for c in resolution.candidates),
                unit.line))
        elif division is None:
            issues.append(_issue("identity_area_unresolved", "department", name,
                                 f"no division found for the unit's name ({resolution.reason})",
                                 unit.line))
        elif division.code is None:
            issues.append(_issue("identity_division_code_missing", "department", division.name,
                                 "area resolved from the override seed, which has no sourced code",
                                 unit.line))

    year, year_line = fiscal_year(lines, head_end)
    if year is None:
        issues.append(_issue("identity_year_unknown", "document", None,
                             "fiscal year accounted for not stated in label, title or text", None))
    found = list(sections or [])
    ph = phase(found)
    if ph is None:
        issues.append(_issue("identity_phase_unknown", "document", None,
                             "no 决算/预算/self-evaluation report recognized", None))
    cons, _ = consolidation(lines)

    row = {
        "department_name": name,
        "department_name_printed": unit.name if unit else None,
        "unit_kind": unit_kind(name),
        "consolidation": cons,
        "province": division.province if division else None,
        "city": division.city if division else None,
        "county": division.county if division else None,
        "admin_level": division.level if division else None,
        "division_code": division.code if division else None,
        "fiscal_year": year,
        "phase": ph,
        "evidence": unit.snippet if unit else None,
        "source_line": unit.line if unit else year_line,
    }
    return {"document_identity": [row], "quality_issues": issues}
