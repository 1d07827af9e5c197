"""Completeness: the 公开 tables a 部门决算 / 部门预算 must publish, their
numbers, and the sections the contents page (目录) lists.

* ``COMPLETE_REQUIRED_TABLES`` (warning, ``missing_table``): a 部门决算 or
  部门预算 publishes nine tables (收支总表, 收入, 支出, 财政拨款收支总表,
  一般公共预算支出, 基本支出, 三公, 政府性基金, 国有资本经营 — numbered 01–09,
  the basic-expenditure table 06 in a 决算, 08 in a 预算); an empty one is kept
  with its explanation (``本表无数据``). The numbers the tables parser found
  (printed, or through the 目录) are compared with 01–09.
* ``COMPLETE_TOC_TABLES`` / ``COMPLETE_TOC_SECTIONS`` (warning,
  ``missing_section``): an entry of the 目录 whose heading the body never
  prints.
* ``COMPLETE_EMPTY_TABLE`` (warning, ``missing_explanation``): a table whose
  rows print no figure at all and carry no explanation (``本表无数据``,
  ``本单位无政府性基金收入…``).
* ``COMPLETE_TABLE_NUMBERS`` (info, ``table_numbering``): the table pages
  print no number (no ``公开02表``), so each table's number is its ordinal in
  the 目录; the issue names that numbering so a reader can follow it.
"""
from __future__ import annotations

import re

from ingest.checks.outline import heading_level, strip_numbering
from ingest.checks.prose import context, issue
from ingest.numbers import parse_amount
from ingest.parsers.tables import printed_table_no
from ingest.text import normalize_label, squash

_UNIT_PREFIX = re.compile(r"^.*(?:局|中心|委员会|办公室)(?=..)")
_YEARS_QUOTES = re.compile(r"(19|20)\d\d年(度)?|[“”\"'()（）]")
REQUIRED = tuple(f"{n:02d}" for n in range(1, 10))
PHASE_SECTIONS = {"final": "final_accounts", "budget": "budget"}


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    out = _required(ctx, facts)
    out += _numbering(ctx, facts)
    out += _toc_entries(ctx, facts)
    out += _empty_tables(ctx, facts)
    return out


_EXPLAINED = re.compile(r"无数据|本表无|为空表|空表|无.{0,20}(?:收入|支出|经费|预算|安排)|没有|未发生")


def _empty_tables(ctx, facts) -> list[dict]:
    """A table whose rows print no figure at all must say why (本表无数据 …)."""
    notes = sorted((n for n in facts.get("table_notes", []) if n["note_kind"] == "unit" and n["table_no"]),
                   key=lambda n: n["source_line"])
    explained = {n["table_no"] for n in facts.get("table_notes", []) if n["note_kind"] == "no_data"}
    lines = ctx.lines
    out = []
    for k, n in enumerate(notes):
        if n["table_no"] in explained:
            continue
        start = n["source_line"]
        # up to the next table's unit line (its title may stand right above it,
        # directly under this table's last row of figures)
        stop = notes[k + 1]["source_line"] - 1 if k + 1 < len(notes) else min(len(lines), start + 80)
        rows = [lines[j] for j in range(start, max(start, stop)) if "\t" in lines[j]]
        if not rows:
            continue
        if any(parse_amount(c) is not None for row in rows for c in row.split("\t")):
            continue
        if any(_EXPLAINED.search(squash(lines[j])) for j in range(start, max(start, stop))):
            continue
        out.append(issue("COMPLETE_EMPTY_TABLE", "warning", "missing_explanation",
                         f"table {n['table_no']} {n['table_title'] or ''}".strip(), "本表无数据的说明",
                         "空表无说明",
                         f"表{n['table_no']}《{n['table_title']}》未填列任何数字,表下也没有“本表无数据”之类的说明。",
                         n["source_line"]))
    return out


def _tables(facts) -> dict[str, dict]:
    """table number → its unit note (or first row): the tables the parser found."""
    found: dict[str, dict] = {}
    for n in facts.get("table_notes", []):
        if n["table_no"]:
            found.setdefault(n["table_no"], n)
    for r in facts.get("line_items", []):
        if r["table_no"]:
            found.setdefault(r["table_no"], r)
    return found


def _required(ctx, facts) -> list[dict]:
    types = {s["report_type"] for s in facts.get("document_sections", [])}
    if not types & set(PHASE_SECTIONS.values()):
        return []
    found = _tables(facts)
    if len(found) < 3:  # a report that quotes a table or two, not a 公开 set
        return []
    missing = [n for n in REQUIRED if n not in found]
    if not missing:
        return []
    return [issue("COMPLETE_REQUIRED_TABLES", "warning", "missing_table",
                  "tables " + ", ".join(missing), "公开表 " + "、".join(REQUIRED),
                  "、".join(sorted(found)),
                  f"部门决算/预算应公开九张表(01-09,无数据的表须保留并注明“本表无数据”),"
                  f"本报告未见表{'、'.join(missing)}。", None)]


def _numbering(ctx, facts) -> list[dict]:
    notes = [n for n in facts.get("table_notes", []) if n["note_kind"] == "unit" and n["table_no"]]
    if len(notes) < 3:
        return []
    lines = ctx.lines
    for n in notes:
        i = n["source_line"] - 1
        for j in range(max(0, i - 4), min(len(lines), i + 4)):
            if "\t" not in lines[j] and printed_table_no(lines[j]):
                return []  # the pages print their numbers
    toc = ctx.toc
    if not toc:
        return []
    entries = sorted(toc.items())
    titles = {normalize_label(n["table_title"] or "") for n in notes}
    first = next((k for k, (_, t) in enumerate(entries)
                  if strip_numbering(t).strip() in titles), None)
    if first is None:
        return []
    level = _level(entries[first][1])
    part = next((t for _, t in reversed(entries[:first]) if _level(t) < level), "目录")
    listed = "; ".join(f"{n['table_no']}={n['table_title']}" for n in notes)
    return [issue("COMPLETE_TABLE_NUMBERS", "info", "table_numbering",
                  f"{part}: tables {', '.join(n['table_no'] for n in notes)}",
                  "表页印出表号(公开0X表)", "表页未印表号",
                  f"“{part}”各表所在页未印表号,表号取目录序号:{listed}。", entries[first][0] + 1)]


def _level(text: str) -> int:
    level = heading_level(text)
    return 1 if level is None else level


def _toc_entries(ctx, facts) -> list[dict]:
    toc = ctx.toc
    if not toc:
        return []
    # the body's lines, bare: one substitution over them joined (normalize_label leaves
    # no newline, and _YEARS_QUOTES matches none), then split
    body = _bare("\n".join([normalize_label(line) for k, line in enumerate(ctx.lines)
                            if k not in toc and "\t" not in line])).split("\n")
    short = [b for b in body if 0 < len(b) <= 60]
    pairs: list[str] | None = None   # two lines' text joined: built if a short line is not enough
    out = []
    for k, entry in sorted(toc.items()):
        # the 目录 says 部门 where the body prints the unit's name
        bare = _bare(strip_numbering(entry)).replace("部门", "")
        bare = _UNIT_PREFIX.sub("", bare)  # the unit's name, printed short
        if len(bare) < 2 or _printed(bare, short):
            continue
        if pairs is None:   # a heading wrapped over two lines, a blank line between or not
            printed = [b for b in body if b]
            pairs = [a + b for a, b in zip(printed, printed[1:]) if len(a) + len(b) <= 70]
        if _printed(bare, pairs):
            continue
        is_table = bare.endswith("表")
        out.append(issue("COMPLETE_TOC_TABLES" if is_table else "COMPLETE_TOC_SECTIONS",
                         "warning" if is_table else "info", "missing_section", entry, entry,
                         "正文未见",
                         f"目录列有“{entry}”,正文中未印出该{'表' if is_table else '标题'}。", k + 1))
    return out


def _printed(bare: str, windows: list[str]) -> bool:
    return any(bare[0] in w and bare[-1] in w and _subsequence(bare, w) for w in windows)


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def _bare(text: str) -> str:
    """A heading without years, unit names' punctuation and quotes, for comparison."""
    return _YEARS_QUOTES.sub("", text)
