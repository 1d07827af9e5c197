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
def cjk_radicals() -> dict[str, str]:
    """Radical → its equivalent unified ideograph (see ``cjk_radicals.csv``)."""
    return {chr(int(r["radical"], 16)): chr(int(r["ideograph"], 16)) for r in rows("cjk_radicals.csv")}


@lru_cache(maxsize=None)
def measures(group: str) -> tuple[tuple[str, str], ...]:
    return tuple((r["header_contains"], r["measure"]) for r in rows("measures.csv")
                 if r["table_group"] == group)
