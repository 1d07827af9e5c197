"""Sub-units of staff figures: which part of the unit a figure is stated for.

Where one sentence gives a staff figure for two or more parts of the unit
(``局机关编制8名，实有在职人员9人；某某中心编制20名，实有在职人员21人``), each
figure's part is the one its clause (or an earlier clause of the same
sentence) opens with, until a clause speaks of the whole again (``全局…``,
``共有…``). A sentence splitting 编制 by kind (``行政编制6名、事业编制17名``)
records the kind. A lone part (``某某中心核定编制24名``) is the unit itself and
gets none.
"""
from __future__ import annotations

import re

_CJK = r"\u4e00-\u9fff"
_PART = re.compile(rf"^(?:其中)?[:：]?(局机关|机关本级|机关|本级|[{_CJK}]{{1,20}}?(?:中心|分局|所|站|队))"
                   rf"(?=[{_CJK}()（）]{{0,6}}?(?:编制|在职|实有|现有|在编|人员|核定))")
_WHOLE = re.compile(r"^(?:全局|全部|全单位|本单位|本局|我局|单位|共有|合计|总计|共计|全系统)")
_CLAUSE = re.compile(r"[,，;；]")
PART_METRICS = {"staff_authorized", "staff_actual"}
# the kind of establishment a 编制 figure counts, where a sentence splits it
_ESTABLISHMENT = re.compile(r"((?:全额|差额)?(?:行政机关|行政|参公|事业|工勤)(?:\(参公\))?编制)"
                            r"(?:数)?(?:为|共)?\d+(?:名|人)$")


def part_at(text: str, start: int) -> str | None:
    """The sub-unit (局机关, 经办中心 …) a staff figure belongs to: the last part
    a clause of the same sentence opened with, until a clause speaks of the
    whole unit again."""
    cut = max(text.rfind(p, 0, start) for p in "。！？") + 1
    current = None
    for clause in _CLAUSE.split(text[cut:start + 6]):     # + the figure's own keyword
        m = _PART.match(clause)
        if m:
            current = m.group(1)
        elif _WHOLE.match(clause):
            current = None
    return current


def assign_parts(text: str, found: list[tuple[dict, int]]) -> None:
    """Give staff figures their sub-unit where one sentence states figures of
    one metric for at least two parts (a lone 中心 is the unit itself)."""
    groups: dict[tuple, list[tuple[dict, str | None, str | None]]] = {}
    for r, start in found:
        if r["metric"] in PART_METRICS:
            sentence = sum(text.count(p, 0, start) for p in "。！？")
            kind = _ESTABLISHMENT.search(r["evidence"]) if r["metric"] == "staff_authorized" else None
            groups.setdefault((sentence, r["metric"]), []).append(
                (r, part_at(text, start), kind.group(1) if kind else None))
    for members in groups.values():
        if len({p for _, p, _ in members if p}) >= 2:
            for r, part, _ in members:
                r["sub_unit"] = part
        unplaced = [(r, k) for r, p, k in members if not r["sub_unit"]]
        if len({k for _, k in unplaced if k}) >= 2:
            for r, kind in unplaced:       # 行政编制 6名、事业编制 17名: two kinds, no total
                r["sub_unit"] = kind
