"""Who and when: the reporting unit, its area, the fiscal year and phase.

Where reports print the unit (in the order trusted), and the clue recorded
in ``identified_by``:

* ``title`` — a title line near the top: the name alone
  (``某某县医疗保障局``) or inside the title (``2023年度 某某管理区医保局部门决算``,
  ``第一部分某某局概况``, ``关于某某局2023年度部门决算的说明``). Page chrome
  is not the head: breadcrumbs, ``• 发布日期:…`` bullets, ``【打印】`` links and
  metadata rows are passed over (``ingest.parsers.rules.page_chrome``), so the
  title after them still counts as the head; a title printed twice is one
  unit;
* ``text`` — a labelled field (``部门：``, ``单位名称：``, ``评价单位：``,
  ``预算主管部门：``, ``编制部门：``, ``实施单位：``, ``资金使用单位：``; tables
  repeat them, and a label cell followed by the name's cell counts the same:
  ``资金使用单位 | 某某县医疗保障局``; ``中央主管部门`` / ``地方主管部门`` name
  the funder, and ``单位：万元`` is a unit of money, not a unit), then the
  职责 text (``某某县医疗保障局是县政府工作部门…`` under a 职责/职能/概况
  heading), then the closing signature above the date;
* ``metadata`` — the page's metadata: ``Document.metadata`` from the HTML
  reader or metadata rows in the text (``发布机构 | 某某县医疗保障局``,
  ``所属机构：… 责任部门：…``, ``来源：…``);
* ``file_name`` — a file named after the unit (``某某县医保局2023年决算.pdf``),
  only when the document prints no name.

The name is normalized: ``医保局`` → ``医疗保障局`` (likewise 医保事务中心 …);
a scope suffix is taken off the name and read as the consolidation
(``某某县医疗保障局(汇总)`` → 汇总, ``(本级)`` / ``…局机关`` → 本级); a
county-level unit gets its parent city in front when the document itself
prints that longer form anywhere (``部门：某某市某某管理区医疗保障局`` under a
title that says only ``某某管理区医保局``). Prefectures and autonomous
counties printed short (``X州`` for an 自治州, an 自治县 as ``X县`` without its
peoples' names) resolve through ``ingest.regions``' aliases. A unit printed
without its place (``医疗保障局``, ``医疗保障事务中心`` under its bureau's
name) takes its area from the document's other clues where they agree
(``ingest.parsers.rules.identity_area``), the place in front of its name; otherwise
the area stays unknown with the reason. ``department_name_printed`` keeps the
first printed form and ``evidence``/``source_line`` say where.

The fiscal year is the year accounted for: a labelled ``评价年度：2023 年度``
first, then the year in the title (``2020年度部门项目支出绩效自评总报告``;
``某区2025年区级部门预算``) or a year line under a sheet title
(``（2024年度）``), never a date line (``2021年4月25日``), a publication date
of the page chrome or a year inside a cited notice (``《关于开展2022年度…的
通知》``), then the most frequent ``YYYY年度`` outside cited notices. ``phase``
follows the kinds of report found (``budget`` for a 部门预算, ``final`` for
决算, self-evaluations, assessments and work summaries).

What cannot be determined stays NULL with a quality issue giving the reason.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest import regions
from ingest.parsers.rules import identity_area
from ingest.parsers.rules.identity_mentions import (  # noqa: F401 — re-exported: the mention readers
    _DATE,
    HEAD_LINES,
    MAX_TITLE,
    Mention,
    _clean,
    _non_empty,
    cell_unit,
    chrome_lines,
    document_mentions,
    duty_unit,
    expand_name,
    file_unit,
    find_mentions,
    label_unit,
    metadata_units,
    split_scope,
    title_unit,
)
from ingest.prefilter import JoinedLines
from ingest.text import fold_width

_AGENCY = re.compile(r"经办|事务中心|事业管理中心|医疗保险管理中心|服务中心|管理中心|中心$")
_MEDICAL = re.compile(r"医疗保障|医疗保险|医保")

_YEAR_LABEL = re.compile(r"(?:评价年度|预算年度|决算年度|所属年度|年度)[:：]\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"((?:19|20)\d{2})年(度)?(?!\d{1,2}月)")
_YEARLY = re.compile(r"((?:19|20)\d{2})年度")
_SHEET_YEAR = re.compile(r"^[(（]\s*((?:19|20)\d{2})\s*年度?\s*[)）]$")
_TITLE_WORD = re.compile(r"决算|预算|自评|评价|总结|报告|考核|绩效")
_TITLE_SCOPE = re.compile(r"[(（](?:部门|单位)?(汇总|本级)[)）]\s*$")
_CITED = re.compile(r"《[^》]{0,120}》")

_CONSOLIDATED = re.compile(
    r"汇总|(?:本级|本部).{0,6}(?:以及|和|及|、).{0,30}(?:下属|单位|中心|所)"
)
_SUBORDINATES = re.compile(r"下属.{0,6}(?:单位|中心)")
_NO_SUBORDINATES = re.compile(r"(?:无|没有|不含|未含)(?:下属|所属|二级)")
_ONLY_OWN = re.compile(r"(?:仅|只)(?:包括|包含|含|有|为)?.{0,30}(?:本级|本部)(?!以及|和|及|、)")
_SCOPE_STATEMENT = re.compile(r"(?:单位构成|编制范围|包括|包含)")
_SCOPE_SUBJECT = re.compile(r"决算|预算")

# where a unit was read → the clue dim_documents reports
IDENTIFIED_BY = {"title": "title", "label": "text", "cell": "text", "duty": "text",
                 "signature": "text", "metadata": "metadata", "file_name": "file_name"}


def _has_place(name: str) -> bool:
    return bool(regions.place_chain(expand_name(name)))


def choose_unit(mentions: list[Mention], head_end: int) -> Mention | None:
    """The reporting unit: the head's first placed name, else the most
    frequent labelled name, else the page metadata, the 职责 text, any title
    or signature, and last the file name."""
    printed = [m for m in mentions if m.how in ("title", "label", "cell")]
    head = [m for m in printed if m.line is None or m.line <= head_end]
    for pool in ([m for m in head if _has_place(m.name)], head):
        if pool:
            return pool[0]
    labels = [m for m in mentions if m.how in ("label", "cell")]
    if labels:
        counts = Counter(expand_name(m.name) for m in labels)
        best = max(counts.values())
        return next(m for m in labels if counts[expand_name(m.name)] == best)
    for how in ("metadata", "duty"):
        pool = [m for m in mentions if m.how == how]
        if pool:
            return next((m for m in pool if _has_place(m.name)), pool[0])
    rest = [m for m in mentions if m.how != "file_name"]
    if rest:
        return rest[-1]
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


# a character of each _SCOPE_STATEMENT word, and of _SCOPE_SUBJECT's: a clean line they
# find something in holds them as read (folding keeps ideographs)
_SCOPE_CHARS = ("构", "范", "包")
_SUBJECT_CHAR = "算"


def consolidation(lines: list[str], joined: JoinedLines | None = None) -> tuple[str | None, int | None]:
    """本级 / 汇总 where the document states which units its figures cover."""
    joined = joined or JoinedLines(lines)
    screened = set(joined.holding_any(_SCOPE_CHARS)).intersection(joined.holding(_SUBJECT_CHAR))
    for i in sorted(screened):
        text = _clean(lines[i])
        if not (_SCOPE_STATEMENT.search(text) and _SCOPE_SUBJECT.search(text)):
            continue
        window = text + (_clean(lines[i + 1]) if i + 1 < len(lines) else "")
        if _NO_SUBORDINATES.search(window) or _ONLY_OWN.search(window):
            return "本级", i + 1
        if _CONSOLIDATED.search(window) or _SUBORDINATES.search(window):
            return "汇总", i + 1
    return None, None


def _title_year(text: str) -> int | None:
    m = _YEAR.search(text)
    if (m and _TITLE_WORD.search(text) and not _DATE.search(text)
            and "《" not in text and len(text) <= MAX_TITLE):
        return int(m.group(1))
    m = _SHEET_YEAR.match(text)
    return int(m.group(1)) if m else None


def fiscal_year(lines: list[str], head_end: int, title: str | None = None,
                chrome: set[int] | None = None,
                joined: JoinedLines | None = None) -> tuple[int | None, int | None]:
    """The year accounted for, with the line it was read from (``chrome``:
    ``chrome_lines(lines)``, ``joined``: the lines joined, where the caller
    has them)."""
    chrome = chrome_lines(lines) if chrome is None else chrome
    # a 年度 label, or a YYYY年度, is read only where the line holds 度 (cutting a
    # cited title can't make one where there is none; folding keeps ideographs)
    dated = [i for i in (joined or JoinedLines(lines)).holding("度") if i not in chrome]
    for i in dated:
        m = _YEAR_LABEL.search(_CITED.sub("", _clean(lines[i])))
        if m:
            return int(m.group(1)), i + 1
    if title and _title_year(_clean(title)):
        return _title_year(_clean(title)), None
    for i, line in enumerate(lines[:head_end]):
        if i in chrome:
            continue
        year = _title_year(_clean(line))
        if year:
            return year, i + 1
    counts = Counter(int(m.group(1)) for i in dated
                     for m in _YEARLY.finditer(_CITED.sub("", _clean(lines[i]))))
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


def _head_end(lines: list[str], chrome: set[int]) -> int:
    non_empty = _non_empty(lines, chrome)
    return (non_empty[HEAD_LINES - 1] if len(non_empty) >= HEAD_LINES
            else (non_empty[-1] if non_empty else 0)) + 1


@dataclass
class Area:
    name: str
    division: regions.Division | None
    issue: dict | None


def resolve_area(unit: Mention, mentions: list[Mention], lines: list[str], text: str) -> Area:
    """The unit's normalized name and division, or the issue saying why not."""
    printed = expand_name(split_scope(unit.name)[0])
    resolution = regions.resolve(printed, text)
    variants = [expand_name(split_scope(m.name)[0]) for m in mentions]
    name = full_name(printed, resolution.division, variants, text)
    if resolution.division is None and name != printed:
        resolution = regions.resolve(name, text)
    division = resolution.division
    if resolution.reason == "no_place":
        placed = [v for v in dict.fromkeys(variants) if _has_place(v)]
        clue = identity_area.area_of_unplaced(placed, lines, text)
        if clue.division is not None:
            return Area((clue.place or "") + name if clue.place and not name.startswith(clue.place)
                        else name, clue.division, None)
        return Area(name, None, _issue(
            "identity_area_unresolved", "department", name,
            f"单位名称未写明地区，文件中的其他线索也不能唯一确定地区（{clue.reason}）",
            unit.line))
    if resolution.reason == "ambiguous":
        return Area(name, None, _issue(
            "identity_area_ambiguous", "department", resolution.matched,
            "地名对应多个行政区划，文件未说明是哪一个："
            + "、".join(f"{c.province}{c.city or ''}{c.county or ''}" for c in resolution.candidates),
            unit.line))
    if division is None:
        return Area(name, None, _issue("identity_area_unresolved", "department", name,
                                       f"单位名称中的地名未找到对应行政区划（{resolution.reason}）",
                                       unit.line))
    if division.code is None:
        return Area(name, division, _issue(
            "identity_division_code_missing", "department", division.name,
            "地区取自补充种子表，该表没有有来源的区划代码", unit.line))
    return Area(name, division, None)


def _inputs(source) -> tuple[list[str], dict]:
    """A ``Document`` or today's list of lines."""
    if hasattr(source, "text_lines"):
        return source.text_lines, dict(getattr(source, "metadata", {}) or {})
    return list(source), {}


def extract(source, sections: list[dict] | None = None, metadata: dict | None = None,
            file_name: str | None = None) -> dict[str, list[dict]]:
    """``source``: a Document or its lines; ``sections``: the sections stage's
    rows; ``metadata`` / ``file_name``: the page's metadata and the file's
    name where the runner has them (a Document's own metadata is read too)."""
    lines, doc_metadata = _inputs(source)
    metadata = {**doc_metadata, **(metadata or {})}
    file_name = file_name or metadata.pop("file_name", None)
    issues: list[dict] = []
    joined = JoinedLines(lines)    # once: the screens of the chrome, the mentions, the year and the scope
    clean = list(map(_clean, lines))
    text = "".join(clean)
    chrome = chrome_lines(lines, joined, clean)   # once: the head, the mentions and the year skip it
    head_end = _head_end(lines, chrome)
    # the document's own head first, then the page's metadata, the file name last
    mentions = find_mentions(lines, chrome, joined) + document_mentions(metadata, file_name)
    unit = choose_unit(mentions, head_end)

    name = division = None
    if unit is None:
        issues.append(_issue("identity_unit_unknown", "document", None,
                             "未识别报告单位：标题、标注字段、表格单元格、网页元数据、职责表述、落款和文件名"
                             "中均未找到单位名称", None))
    else:
        area = resolve_area(unit, mentions, lines, text)
        name, division = area.name, area.division
        if area.issue:
            issues.append(area.issue)

    title = next((v for k, v in metadata.items() if str(k).lower() in ("title", "标题") and v), None)
    year, year_line = fiscal_year(lines, head_end, title, chrome, joined)
    if year is None:
        issues.append(_issue("identity_year_unknown", "document", None,
                             "未识别所属年度：标注字段、标题、表格年度行和正文中均未写明"
                             "（发布日期与所引文件的年份不作为所属年度）",
                             None))
    found = list(sections or [])
    ph = phase(found)
    if ph is None:
        issues.append(_issue("identity_phase_unknown", "document", None,
                             "未识别报告类型：未找到决算、预算或绩效自评报告", None))
    cons, _ = consolidation(lines, joined)
    if cons is None and unit is not None:
        cons = split_scope(unit.name)[1] or next(
            (c for m in mentions if (c := split_scope(m.name)[1])), None)
    if cons is None and unit is not None:
        m = _TITLE_SCOPE.search(fold_width(unit.snippet))   # …部门决算（汇总）
        cons = ("汇总" if m.group(1) == "汇总" else "本级") if m else None

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
        "identified_by": IDENTIFIED_BY[unit.how] if unit else None,
        "evidence": unit.snippet if unit else None,
        "source_line": unit.line if unit and unit.line else year_line,
    }
    return {"document_identity": [row], "quality_issues": issues}
