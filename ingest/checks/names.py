"""Names: the unit as the report names itself, other departments' wording, and
template placeholders left unedited.

* ``NAME_SELF_REFERENCE`` (warning, ``copy_paste_text``): the report calls
  itself ``我所`` / ``我院`` / ``我委`` … while the unit is a 局 (or a 中心 …): a
  passage written by another kind of unit. A 中心 may say ``我局`` of its
  bureau, so only a self-reference of another kind than the unit's and its
  parent's is raised.
* ``NAME_OTHER_SECTOR`` (warning, ``copy_paste_text``): the report says its
  work suits another sector (``符合司法行政实际`` in a 医疗保障局 report), or
  evaluates another sector's funds (``科技发展专项资金``).
* ``NAME_UNIT_LABEL`` (warning, ``unit_name_mismatch``): a labelled unit field
  (``编制部门：`` / ``单位名称：`` / ``部门名称`` / ``填报单位：``) naming another
  unit than the report's (their names compared without the places before them).
* ``NAME_PLACEHOLDER`` (warning, ``placeholder``): fill-in-form text left in
  place: ``XX局``, ``XXXX年``, ``××``, ``（单位名称）``, ``（如有）``, ``（请填写…）``.
"""
from __future__ import annotations

import re

from ingest.checks.prose import context, issue, quote

SELF_REFERENCES = {"局": "局", "中心": "中心", "委": "委员会", "办": "办公室", "所": "所", "院": "院",
                   "厅": "厅", "站": "站", "处": "处", "队": "队"}
# sectors a report may be copied from, with the words their units' names carry
SECTORS = {
    "医疗保障": ("医疗保障", "医保"), "司法行政": ("司法",), "公安": ("公安",), "教育": ("教育",),
    "科技": ("科技", "科学技术"), "民政": ("民政",), "人力资源和社会保障": ("人力资源", "人社"),
    "财政": ("财政",), "自然资源": ("自然资源",), "生态环境": ("生态环境", "环保"),
    "住房和城乡建设": ("住房", "住建"), "交通运输": ("交通",), "水利": ("水利", "水务"),
    "农业农村": ("农业",), "商务": ("商务",), "文化和旅游": ("文化", "旅游"), "卫生健康": ("卫生",),
    "退役军人事务": ("退役军人",), "应急管理": ("应急",), "审计": ("审计",), "市场监管": ("市场监督",),
    "统计": ("统计",), "林业": ("林业",), "税务": ("税务",),
}
_SELF = re.compile(r"我(局|中心|委|办|所|院|厅|站|处|队)(?![长里外])")
_SUITS = re.compile(r"符合([\u4e00-\u9fff]{2,10}?)(?:工作)?实际|([\u4e00-\u9fff]{2,6}?)(?:发展)?专项资金")
_LABEL_WORDS = ("编制部门", "单位名称", "部门名称", "填报单位", "预算单位")
_LABEL = re.compile(rf"(?:{'|'.join(_LABEL_WORDS)})\s*[:：\t ]\s*([^\t\s:：]{{4,40}})")
_PLACEHOLDER = re.compile(r"[XＸ×]{2,}(?:局|年|县|市|区|单位|万元)?|[（(](?:单位名称|部门名称|如有|请填写[^）)]*|"
                          r"填写[^）)]*)[）)]")
# what each branch of _PLACEHOLDER holds one of (a substring test each, where the
# pattern, opening with a class, is tried at every position)
_PLACEHOLDER_PIECES = ("X", "Ｘ", "×", "单位名称", "部门名称", "如有", "填写")
_PLACES = re.compile(r"^.*?(?:省|自治区|市|自治州|州|盟|地区|县|自治县|旗|区|管理区)(?=.{2,})")


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    ident = (facts.get("document_identity") or [{}])[0]
    unit = ident.get("department_name") or ""
    out = _placeholders(ctx)
    if unit:
        out += _self_references(ctx, unit) + _other_sector(ctx, unit) + _labels(ctx, unit)
    return out


def _kind(unit: str) -> str | None:
    for key, suffix in SELF_REFERENCES.items():
        if unit.endswith(suffix):
            return key
    return None


def _self_references(ctx, unit: str) -> list[dict]:
    own = _kind(unit)
    if own is None:
        return []
    allowed = {own, "局"} if own != "局" else {own}
    out = []
    hits = ctx.hits((_SELF,))
    for s in ctx.sentences:
        if id(s.passage) not in hits:
            continue
        for m in _SELF.finditer(s.text):
            if m.group(1) in allowed:
                continue
            out.append(issue("NAME_SELF_REFERENCE", "warning", "copy_paste_text", ctx.where(s.line),
                             f"我{own}", m.group(0),
                             f"“{quote(s.text, m.start())}”自称“{m.group(0)}”,而报告单位是{unit},"
                             f"疑沿用其他单位的报告文字。", s.line))
    return out


def _sector_of(text: str) -> str | None:
    for sector, words in SECTORS.items():
        if any(w in text for w in words):
            return sector
    return None


def _other_sector(ctx, unit: str) -> list[dict]:
    own = _sector_of(unit)
    out = []
    for s in ctx.sentences:
        text = s.text
        if "专项资金" not in text and ("符合" not in text or "实际" not in text):
            continue  # neither branch of _SUITS can match (a cheap test before its slow scan)
        for m in _SUITS.finditer(s.text):
            sector = _sector_of(m.group(1) or m.group(2))
            if sector is None or sector == own or m.group(2) and sector == "财政":
                continue  # 财政专项资金 are every unit's funds
            out.append(issue("NAME_OTHER_SECTOR", "warning", "copy_paste_text", ctx.where(s.line),
                             f"符合{unit}实际", m.group(0),
                             f"“{quote(s.text, m.start())}”称“{m.group(0)}”,与报告单位{unit}不符,"
                             f"疑沿用{sector}部门报告文字。", s.line))
    return out


def _core(name: str) -> str:
    return _PLACES.sub("", name)


def _labels(ctx, unit: str) -> list[dict]:
    out, core = [], _core(unit)
    for k in ctx.lines_holding(_LABEL_WORDS):   # (every match starts with one)
        for m in _LABEL.finditer(ctx.folded_lines[k]):
            named = m.group(1)
            if named in unit or unit in named or _core(named) == core or named.endswith(core):
                continue
            if not re.search(r"(?:局|中心|委员会|办公室|所|院|厅|站|处|队)$", named):
                continue  # a column header, not a unit
            out.append(issue("NAME_UNIT_LABEL", "warning", "unit_name_mismatch", ctx.where(k + 1),
                             unit, named, f"“{m.group(0).strip()}”与报告单位“{unit}”不一致。", k + 1))
    return out


def _placeholders(ctx) -> list[dict]:
    out = []
    for k in ctx.lines_holding(_PLACEHOLDER_PIECES):
        text = ctx.folded_lines[k]
        for m in _PLACEHOLDER.finditer(text):
            out.append(issue("NAME_PLACEHOLDER", "warning", "placeholder", ctx.where(k + 1),
                             "填写的内容", m.group(0),
                             f"“{quote(text.strip(), m.start())}”中“{m.group(0)}”是模板占位文字,未按实际填写。",
                             k + 1))
    return out
