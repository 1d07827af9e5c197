"""Vocabularies that are data, each defined once, shipped as package data.

* ``functional_classes.csv`` — the 类 of the national 支出功能分类 (code, name;
  public reference data of the GB budget classification): ties a summary
  table's class row or a narrative's ``卫生健康支出（类）`` to its 3-digit code.
* ``measures.csv`` — canonical measure of a printed column header, per group
  of tables (income / expenditure / economic / summary): the first row of the
  group whose ``header_contains`` is in the header wins (order matters).
* ``cjk_radicals.csv`` — every CJK Radicals Supplement (U+2E80–2EF3) and
  Kangxi Radicals (U+2F00–2FD5) code point that has an equivalent unified
  ideograph → that ideograph (radical, ideograph as hex, the radical's
  Unicode name). Written from Unicode 15.0's ``EquivalentUnifiedIdeograph.txt``
  (Debian's ``unicode-data`` package; ``tests/test_radicals.py`` checks the
  file against it where it is installed, and the Kangxi rows against NFKC
  always). Used by ``ingest.text.unradical`` and ``ingest.text.normalize``.
* ``table_kinds.csv`` — the kinds of 公开 table the tables stage reads, their
  family (summary / functional / economic / other: how their rows are
  itemised) and their standard number in a 决算 and a 预算 set (used where the
  pages print none and there is no 目录).
* ``table_titles.csv`` — how a table's title names its kind: ordered rules,
  the first that fits wins; a rule fits when the title contains every word of
  ``all_of``, at least one of ``any_of``, none of ``none_of`` (words separated
  by spaces) and matches ``title_pattern``; an empty ``kind`` means "a table
  no stage reads" (项目支出 / 绩效 tables).
* ``indicator_levels.csv`` — the standard 一级 → 二级 performance-indicator
  categories (财预〔2020〕10号 form and the later 成本指标 group).
* ``selfeval_headers.csv`` — the column headers of self-evaluation tables per
  header kind (``indicators`` table, ``funding`` block, ``scoring_sheet``;
  ``unread_columns`` are printed but not read): header, field, wording, the
  wordings of a field in order of preference.
* ``metric_wordings.csv`` — how reports word a headline figure: metric, unit,
  the stages that look for it (``metrics``: every report's prose;
  ``narrative``: a 决算/预算's 情况说明) and the regex, in order; ``{AMOUNT}``
  stands for a money figure (group 1 the number, group 2 万元 or 元), ``{NUM}``
  for a plain number, ``{QUOTE}`` for an optional quotation mark.

Loaded once per process; edit the CSV, not the code, to extend a vocabulary.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def rows(name: str) -> list[dict[str, str]]:
    with resources.files(__name__).joinpath(name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=None)
def functional_classes() -> dict[str, str]:
    return {r["code"]: r["name"] for r in rows("functional_classes.csv")}


@lru_cache(maxsize=None)
def cjk_radicals() -> dict[str, str]:
    """Radical → its equivalent unified ideograph (see ``cjk_radicals.csv``)."""
    return {chr(int(r["radical"], 16)): chr(int(r["ideograph"], 16)) for r in rows("cjk_radicals.csv")}


@dataclass(frozen=True)
class TitleRule:
    kind: str | None
    all_of: tuple[str, ...]
    any_of: tuple[str, ...]
    none_of: tuple[str, ...]
    pattern: re.Pattern | None

    def fits(self, title: str) -> bool:
        return (all(w in title for w in self.all_of)
                and (not self.any_of or any(w in title for w in self.any_of))
                and not any(w in title for w in self.none_of)
                and (self.pattern is None or bool(self.pattern.search(title))))


@lru_cache(maxsize=None)
def table_kinds() -> dict[str, dict[str, str]]:
    """kind → {family, final_no, budget_no} (see ``table_kinds.csv``)."""
    return {r["kind"]: r for r in rows("table_kinds.csv")}


@lru_cache(maxsize=None)
def table_title_rules() -> tuple[TitleRule, ...]:
    return tuple(TitleRule(r["kind"] or None, tuple(r["all_of"].split()), tuple(r["any_of"].split()),
                           tuple(r["none_of"].split()),
                           re.compile(r["title_pattern"]) if r["title_pattern"] else None)
                 for r in rows("table_titles.csv"))


@lru_cache(maxsize=None)
def indicator_levels() -> dict[str, frozenset[str]]:
    """一级指标 category → its standard 二级指标 categories."""
    out: dict[str, set[str]] = {}
    for r in rows("indicator_levels.csv"):
        out.setdefault(r["level1"], set()).add(r["level2"])
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def selfeval_header(header: str) -> dict[str, tuple[str, ...]]:
    """field → its wordings, in file order, for one kind of self-evaluation header."""
    out: dict[str, list[str]] = {}
    for r in rows("selfeval_headers.csv"):
        if r["header"] == header:
            out.setdefault(r["field"], []).append(r["wording"])
    if not out:
        raise KeyError(f"no header {header!r} in selfeval_headers.csv")
    return {k: tuple(v) for k, v in out.items()}


_WORDING_PARTS = {"{AMOUNT}": r"(\d[\d,]*(?:\.\d+)?)(万元|元)", "{NUM}": r"(\d+(?:\.\d+)?)",
                  "{QUOTE}": r"[“\"”']?"}


@lru_cache(maxsize=None)
def metric_wordings(stage: str) -> tuple[tuple[str, str, re.Pattern], ...]:
    """(metric, unit, compiled regex) that ``stage`` looks for, in file order."""
    out = []
    for r in rows("metric_wordings.csv"):
        if stage in r["stages"].split():
            pattern = r["pattern"]
            for part, regex in _WORDING_PARTS.items():
                pattern = pattern.replace(part, regex)
            out.append((r["metric"], r["unit"], re.compile(pattern)))
    return tuple(out)


@lru_cache(maxsize=None)
def measures(group: str) -> tuple[tuple[str, str], ...]:
    return tuple((r["header_contains"], r["measure"]) for r in rows("measures.csv")
                 if r["table_group"] == group)
