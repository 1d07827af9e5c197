"""Bounded time: no regex and no parser stage is superlinear on a long line.

A report line can be anything a converter produced: 1 600 spaces in a
contents line, 800 U+3000 after a table title, 10⁵ digits. Every compiled
regex of the package is run over adversarial 10⁵-character shapes, and every
parser stage over the same shapes set in the contexts where parsers look
hardest (a contents page, a table title, a self-evaluation table, prose).
Time is the process's CPU time, so a loaded machine does not make it flaky;
a runaway case is cut off by the same time budget the pipeline uses.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest

import ingest
from ingest.isolation import FileTimedOut, time_budget

N = 100_000
UNITS = ["1", " ", "\u3000", ".", "…", "\t", "一", "、", "（", "%", "1.", "1 ", "  1", "1、",
         ". 1", "表", "年", "\u00a0", "万元", "1%", "-", "：", "(1)"]
ENDINGS = ["", "x", "表", "。"]
SHAPES = [(u * (N // len(u)))[:N] + e for u in UNITS for e in ENDINGS[:2]]
STAGE_SHAPES = SHAPES

CONTEXTS = {
    "alone": lambda line: [line],
    "contents": lambda line: ["目  录", "一、部门主要职责" + line, "公开 02 表" + line],
    "table_title": lambda line: ["公开02表", "一般公共预算财政拨款支出决算表" + line, "单位：万元", line],
    "self_evaluation": lambda line: [
        "部门整体支出绩效自评表",
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
        "产出指标\t数量指标\t" + line + "\t≥90%\t95%\t10\t10", line],
    "prose": lambda line: ["一、收入支出预算总体情况", "2023年收入总计" + line + "万元", line],
}


def _cpu(fn, budget: float = 20.0) -> float:
    start = time.process_time()
    try:
        with time_budget(budget, cpu=True):
            fn()
    except FileTimedOut:
        return float("inf")
    return time.process_time() - start


def _patterns() -> list[tuple[str, re.Pattern]]:
    found = []
    for mod in pkgutil.walk_packages(ingest.__path__, "ingest."):
        if mod.name.startswith("ingest.engines"):
            continue
        try:
            module = importlib.import_module(mod.name)
        except ImportError:  # an optional reader's dependency is missing
            continue
        for name, value in vars(module).items():
            values = value.values() if isinstance(value, dict) else (
                value if isinstance(value, (list, tuple)) else [value])
            for v in values:
                if isinstance(v, re.Pattern):
                    found.append((f"{mod.name}.{name}", v))
    return found


PATTERNS = _patterns()


def test_the_package_has_regexes_to_check():
    assert len(PATTERNS) > 50


@pytest.mark.slow
@pytest.mark.parametrize("name,pattern", PATTERNS, ids=[n for n, _ in PATTERNS])
def test_every_regex_is_linear_on_long_adversarial_lines(name, pattern):
    slow = []
    for shape in SHAPES:
        if isinstance(pattern.pattern, bytes):
            shape = shape.encode("utf-8")
        empty = shape[:0]
        spent = _cpu(lambda: (pattern.search(shape), pattern.sub(empty, shape)), budget=5.0)
        if spent > 1.0:
            slow.append(f"{shape[:4]!r}…{shape[-1]!r}: {spent:.2f} s")
    assert not slow, f"{name} /{pattern.pattern[:80]}/ is slow on: {slow[:5]}"


def test_contents_leaders_are_stripped_as_the_old_regex_did():
    from hypothesis import given, settings, strategies as st

    from ingest.parsers.tables import strip_leaders

    old = re.compile(r"[.…·．\s]{3,}\d*\s*$|\s+\d{1,3}\s*$")

    @settings(max_examples=3000, deadline=None, database=None)
    @given(st.text(alphabet=".… ·．\u3000\t0123456789a表٣", max_size=16))
    def same(s):
        assert strip_leaders(s) == old.sub("", s)

    same()
    assert strip_leaders("一、部门主要职责 ............ 12") == "一、部门主要职责"
    assert strip_leaders("公开02表" + "\u3000" * 800 + "x").endswith("x")
