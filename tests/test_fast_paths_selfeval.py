"""standard.header_map (each cell's fit memoised, the columns taken kept in a
set) against its definition, on generated header rows."""
from __future__ import annotations

import random

from ingest.parsers.evaluation import standard
from ingest.text import normalize_label
from ingest.vocabularies import selfeval_header

_SPECS = [selfeval_header(h) for h in ("indicators", "funding", "scoring_sheet")]


def _slow_header_map(cells, spec):
    names = [standard._HEADER_NOTE.sub("", normalize_label(c)) for c in cells]
    found = {}
    for key, wanted in spec.items():
        for i, name in enumerate(names):
            if i in found.values():
                continue
            if any(w == name or (w in name and len(name) <= len(w) + 4) for w in wanted):
                found[key] = i
                break
    return found


def test_header_map_is_the_definition():
    rng = random.Random(3)
    words = sorted({w for spec in _SPECS for ws in spec.values() for w in ws})
    extra = ["", " ", "(A)", "（B/A×100%）", "数", "年度", "全年", "指标", "说明", "xx", "得", "分值"]
    for _ in range(3000):
        cells = ["".join(rng.choice(words + extra) for _ in range(rng.randint(0, 3)))
                 for _ in range(rng.randint(0, 12))]
        for spec in _SPECS:
            assert standard.header_map(cells, spec) == _slow_header_map(cells, spec), cells


def test_rows_under_a_label_are_the_indicators_naming_it():
    from ingest.checks.selfeval_checks import rows_under
    from ingest.parsers.evaluation.model import EvalTable, Indicator
    rng = random.Random(5)
    labels = [None, "产出指标", "数量指标", "效益指标", "满意度指标"]
    for _ in range(500):
        table = EvalTable("standard", "project", "某项目", 1)
        for k in range(rng.randint(0, 12)):
            table.indicators.append(Indicator("project", "某项目", rng.choice(labels), rng.choice(labels),
                                              f"指标{k}", None, None, None, None, k + 2))
        under = rows_under(table)
        for label in labels[1:]:
            want = [i for i in table.indicators if label in (i.level1, i.level2)]
            assert list(map(id, under.get(label, []))) == list(map(id, want))
