"""Vocabularies that are data, each defined once, shipped as package data.

* ``functional_classes.csv`` — the 类 of the national 支出功能分类 (code, name;
  public reference data of the GB budget classification): ties a summary
  table's class row or a narrative's ``卫生健康支出（类）`` to its 3-digit code.
* ``measures.csv`` — canonical measure of a printed column header, per group
  of tables (income / expenditure / economic / summary): the first row of the
  group whose ``header_contains`` is in the header wins (order matters).
* ``cjk_radicals_supplement.csv`` — U+2E80–2EF3 radicals → the ideograph
  (Unicode's EquivalentUnifiedIdeograph pairs), used by ``ingest.text.normalize``.

Loaded once per process; edit the CSV, not the code, to extend a vocabulary.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources


def rows(name: str) -> list[dict[str, str]]:
    with resources.files(__name__).joinpath(name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=None)
def functional_classes() -> dict[str, str]:
    return {r["code"]: r["name"] for r in rows("functional_classes.csv")}


@lru_cache(maxsize=None)
def measures(group: str) -> tuple[tuple[str, str], ...]:
    return tuple((r["header_contains"], r["measure"]) for r in rows("measures.csv")
                 if r["table_group"] == group)
