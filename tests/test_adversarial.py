"""Bounded time: no regex and no parser stage is superlinear on a long line.

A report line can be anything a converter produced: 1 600 spaces in a
contents line, 800 U+3000 after a table title, 10⁵ digits. Every compiled
regex of the package is run over adversarial 10⁵-character shapes, and every
parser stage and every check over whole adversarial documents (one long line,
many short lines, deep brackets, digits only; alone, under a table title, in
a self-evaluation table): each within a generous bound, and growing about
linearly from 10⁴ to 10⁵ characters (a quadratic stage grows ~100x).
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
REGEX_BUDGET_S = 0.5   # CPU for one pattern on one shape; the slowest linear one takes ~0.03 s


def _cpu(fn, budget: float = 20.0) -> float:
    start = time.process_time()
    try:
        with time_budget(budget, cpu=True):
            fn()
    except FileTimedOut:
        return float("inf")
    return time.process_time() - start


def _patterns() -> list[tuple[str, re.Pattern]]:
    """Every compiled regex of the package, once each (a pattern re-exported
    or compiled alike in two modules is run under its first name)."""
    found, seen = [], set()
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
                if isinstance(v, re.Pattern) and (v.pattern, v.flags) not in seen:
                    seen.add((v.pattern, v.flags))
                    found.append((f"{mod.name}.{name}", v))
    return found


PATTERNS = _patterns()


def test_the_package_has_regexes_to_check():
    assert len(PATTERNS) > 50


@pytest.mark.slow
@pytest.mark.parametrize("name,pattern", PATTERNS, ids=[n for n, _ in PATTERNS])
def test_every_regex_is_linear_on_long_adversarial_lines(name, pattern):
    """``sub`` over each shape: its scan tries every start position that
    ``search`` would (and then the rest), so one pass bounds both."""
    slow = []
    for shape in SHAPES:
        if isinstance(pattern.pattern, bytes):
            shape = shape.encode("utf-8")
        empty = shape[:0]
        spent = _cpu(lambda s=shape, e=empty: pattern.sub(e, s), budget=5.0)
        if spent > REGEX_BUDGET_S:
            slow.append(f"{shape[:4]!r}…{shape[-1]!r}: {spent:.2f} s")
    assert not slow, f"{name} /{pattern.pattern[:80]}/ is slow on: {slow[:5]}"


def test_contents_leaders_are_stripped_as_the_old_regex_did():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from ingest.parsers.tables import strip_leaders

    old = re.compile(r"[.…·．\s]{3,}\d*\s*$|\s+\d{1,3}\s*$")

    @settings(max_examples=3000, deadline=None, database=None)
    @given(st.text(alphabet=".… ·．\u3000\t0123456789a表٣", max_size=16))
    def same(s):
        assert strip_leaders(s) == old.sub("", s)

    same()
    assert strip_leaders("一、部门主要职责 ............ 12") == "一、部门主要职责"
    assert strip_leaders("公开02表" + "\u3000" * 800 + "x").endswith("x")


# --- every parser stage and every check, on a whole adversarial document -------------

DOC_SHAPES = {   # n characters of each shape
    "one_long_line": lambda n: ("本年收入合计1,487.30万元，其中：财政拨款收入（1,402.18万元），"
                                "占94.28%。 " * (n // 40 + 1))[:n],
    "spaced_digits": lambda n: "1 " * (n // 2),
    "many_short_lines": lambda n: "\n".join(["208\t社会保障和就业支出\t96.40\t96.40"] * (n // 30)),
    "many_one_char_lines": lambda n: "\n".join(["1"] * (n // 4)),
    "deep_brackets": lambda n: "（" * (n // 4) + "(" * (n // 4) + ")" * (n // 4) + "）" * (n // 4),
    "digits_only": lambda n: "9" * n,
}
DOC_CONTEXTS = {
    "alone": lambda s: s,
    "table": lambda s: ("某县医疗保障局2023年度部门决算\n收入决算表\n公开02表\n单位：万元\n"
                        "项目\t\t本年收入合计\n科目编码\t科目名称\t\n" + s),
    "self_evaluation": lambda s: ("部门整体支出绩效自评表\n一级指标\t二级指标\t三级指标\t年度指标值\t"
                                  "实际完成值\t分值\t得分\n产出指标\t数量指标\t" + s
                                  + "\t≥90%\t95%\t10\t10"),
}
STAGE_BUDGET_S = 10.0   # generous: the slowest stage here takes ~2 s CPU
GROWTH_LIMIT = 40       # CPU time for 10x the input: ~10x when linear, ~100x when quadratic


def _stage_times(text: str, monkeypatch) -> dict[str, float]:
    """CPU seconds of the reader, every parser stage and every check on ``text``."""
    from ingest import readers
    from ingest.checks import CHECK_MODULES
    from ingest.extract import STAGES, extract_document

    spent: dict[str, float] = {}

    def timed(module, attr: str, name: str) -> None:
        fn = getattr(module, attr)

        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - start
        monkeypatch.setattr(module, attr, wrapper)

    with monkeypatch.context() as m:
        monkeypatch = m
        for stage in STAGES:
            timed(importlib.import_module(stage.module), "extract", f"stage {stage.name}")
        for check in CHECK_MODULES:
            timed(importlib.import_module(check), "run", f"check {check.rsplit('.', 1)[-1]}")
        result = None
        try:
            with time_budget(6 * STAGE_BUDGET_S, cpu=True):   # a runaway fails, never hangs
                start = time.process_time()
                doc = readers.read(text.encode("utf-8"), "adversarial.txt")
                _ = doc.lines                                     # the rendering, once
                spent["reader and rendering"] = time.process_time() - start
                result = extract_document(doc)
        except FileTimedOut:
            pass
    assert result is not None, f"ran past {6 * STAGE_BUDGET_S:g} s CPU; so far: {spent}"
    assert len(spent) == len(STAGES) + len(CHECK_MODULES) + 1     # every stage and check ran
    assert not [e for e in result.errors if e["stage"] in ("parse", "check")], result.errors[:3]
    return spent


@pytest.mark.slow
@pytest.mark.parametrize("context", DOC_CONTEXTS)
@pytest.mark.parametrize("shape", DOC_SHAPES)
def test_every_stage_and_check_finishes_on_adversarial_documents(shape, context, monkeypatch):
    """Within a generous bound at 10⁵ characters, and growing ~linearly from 10⁴
    (judged where a stage takes long enough to time: over 0.5 s)."""
    make, wrap = DOC_SHAPES[shape], DOC_CONTEXTS[context]
    big = _stage_times(wrap(make(N)), monkeypatch)
    slow = {name: round(s, 2) for name, s in big.items() if s > STAGE_BUDGET_S}
    assert not slow, f"over {STAGE_BUDGET_S:g} s CPU on {N} characters: {slow}"
    if max(big.values()) > 0.5:
        small = _stage_times(wrap(make(N // 10)), monkeypatch)
        for _ in range(REMEASURES):
            if not _steep(small, big):
                break
            small = _fastest(small, _stage_times(wrap(make(N // 10)), monkeypatch))
            big = _fastest(big, _stage_times(wrap(make(N)), monkeypatch))
        steep = _steep(small, big)
        assert not steep, f"superlinear from {N // 10} to {N} characters: {steep}"


REMEASURES = 2   # a stage that looks superlinear is timed again, its fastest time kept


def _steep(small: dict[str, float], big: dict[str, float]) -> dict[str, str]:
    return {name: f"{small[name]:.3f} s -> {s:.2f} s" for name, s in big.items()
            if s > 0.5 and s > GROWTH_LIMIT * max(small[name], 0.005)}


def _fastest(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    """Per stage, the faster of two timings: a garbage collection, a cold
    cache or time the host took only ever adds CPU time, so the fastest of
    a few runs is the one to judge growth by (a 10⁴-character run of 0.008 s
    once timed 79x at 10⁵ in a loaded suite, 12x alone)."""
    return {name: min(a[name], b[name]) for name in a}
