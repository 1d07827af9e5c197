"""The metrics stage's line screen (ingest.parsers.rules.metric_screen) against
the slow definition: every non-empty line read, every pattern scanned."""
from __future__ import annotations

import random
from itertools import accumulate

import pytest

from ingest.parsers import metrics
from ingest.parsers.rules import metric_screen

_FRAGMENTS = [
    "本年收入合计", "收入", "合计", "支出", "决算", "基本支出", "项目支出", "人员经费", "工资福利", "支出",
    "公用经费", "商品和服务支出", "“三公”经费", "预算", "为", "支出决算为", "追回医保基金", "编制",
    "数", "编制数：", "在职人员", "实有在编在岗", "人", "名", "自评得分", "总体评分为", "分", "参保率",
    "%", "参保人数", "职工", "居民", "共报销", "人次", "与", "家", "定点医药机构", "医药机构签订",
    "全年资金执行数/全年预算数)*100%=", "/", "万元", "元", "，", "。", "；", " ", "  ", "2023年", "2019年",
    "工作总结", "局", "12", "3.5", "1,234.56", "100", "７", "財", "拨款", "预算数", "决算数", "小计",
]


def _line(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(["", "   ", "\u3000"])
    parts = [rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, 8))]
    sep = rng.choice(["", "", "", "\t", " | "]) if rng.random() < 0.3 else ""
    return sep.join(parts)


def _slow(lines: list[str], monkeypatch) -> dict:
    with monkeypatch.context() as m:
        m.setattr(metrics, "_PIECES", None)                         # every non-empty line
        m.setattr(metrics, "_scans", lambda present: ([(mt, f) for _, mt, f in metrics._MONEY],
                                                     [(mt, u, f) for _, mt, u, f in metrics._COUNTS]))
        return metrics.extract(lines)


@pytest.mark.parametrize("seed", range(300))
def test_screen_reads_what_every_line_read_finds(seed, monkeypatch):
    rng = random.Random(seed)
    lines = [_line(rng) for _ in range(rng.randint(1, 30))]
    assert metrics.extract(lines) == _slow(lines, monkeypatch)


def test_figures_split_over_lines_are_still_found(monkeypatch):
    lines = ["单位本年收", "", "入合计1234.56万元，其中人员经", "费100万元，参保率达", "", "98%。",
             "工资福利支出95.98", "万元。", "编制\t数：12"]
    got = metrics.extract(lines)["metrics"]
    assert got == _slow(lines, monkeypatch)["metrics"]
    assert {r["metric"] for r in got} >= {"total_income", "personnel_expenditure", "coverage_rate"}


@pytest.mark.parametrize("seed", range(200))
def test_window_is_reading_text(seed):
    """A line's window, sliced from the joined text, is the text reading_text reads."""
    rng = random.Random(seed)
    lines = [_line(rng) for _ in range(rng.randint(1, 20))]
    flat = [metrics.normalize_label(line) for line in lines]
    joined, starts = "".join(flat), list(accumulate(map(len, flat), initial=0))
    for i in range(len(lines)):
        text, own = metrics.reading_text(lines, i)
        assert joined[starts[i]:metric_screen.window_end(lines, flat, starts, i)] == text
        assert own == len(flat[i])


def test_clauses_read_alternations():
    import re
    assert frozenset({"人员经费", "工资福利支出"}) in metric_screen.clauses(
        re.compile(r"(?:人员经费|工资福利支出)(?:为)?(\d+)(万元|元)"))
    assert metric_screen.clauses(re.compile("(?i)abc")) == []
    assert metric_screen.anchor(re.compile(r"(?:共|)(\d+)")) is None
    assert metric_screen.screen_pieces([frozenset({"收入合计", "收入"}), frozenset({"总收入"})]) == ["收入"]


@pytest.mark.parametrize("seed", range(500))
def test_candidate_lines_are_the_windows_holding_a_piece(seed):
    """One scan of the joined text finds exactly the lines whose window holds a
    piece (random pieces over a small alphabet: overlapping, straddling lines)."""
    import re
    rng = random.Random(seed)
    pieces = sorted({"".join(rng.choice("abc") for _ in range(rng.randint(1, 4))) for _ in range(3)},
                    key=lambda p: (len(p), p))
    lines = ["".join(rng.choice("abcx。\t ") for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 12))]
    flat = [metrics.normalize_label(line) for line in lines]
    joined, starts = "".join(flat), list(accumulate(map(len, flat), initial=0))
    want = [i for i in range(len(lines)) if flat[i] and any(
        p in joined[starts[i]:metric_screen.window_end(lines, flat, starts, i)] for p in pieces)]
    regex = re.compile("|".join(re.escape(p) for p in pieces))
    assert metric_screen.candidate_lines(lines, regex) == want


def test_a_piece_running_out_of_its_line_does_not_hide_a_later_one():
    import re
    assert metric_screen.candidate_lines(["xabc", "\td"], re.compile("c|abcd")) == [0]
    assert metric_screen.candidate_lines(["共", "", "报销12人次"], re.compile("报销")) == [0, 2]


_MORE = _FRAGMENTS + ["参保", "参保为", "共", "执行数/", "全年预算", ")*100%=", "）*100%=", "总计", "12人",
                      "执行数/全年预算）*100%=95/100", "执行数/全年预算)*100%=9.5/10"]


@pytest.mark.parametrize("seed", range(200))
def test_formula_and_participants_screens_drop_no_figure(seed, monkeypatch):
    """A window is scanned for the execution formula / participant counts only
    where it holds the piece every match holds; with the screens off ("" is
    in every text) the same figures."""
    rng = random.Random(seed)
    lines = ["".join(rng.choice(_MORE) for _ in range(rng.randint(1, 8))) for _ in range(rng.randint(1, 20))]
    got = metrics.extract(lines)
    with monkeypatch.context() as m:
        m.setattr(metrics, "_EXECUTION_NEEDS", "")
        m.setattr(metrics, "_INSURED_NEEDS", "")
        assert got == metrics.extract(lines)
