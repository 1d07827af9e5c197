"""The 公开 tables of a 部门决算 / 部门预算 → ``line_items``, ``table_notes`` and
``metrics``; the typed result (every table with all its rows, published or
not) goes to the narrative stage and to :mod:`ingest.checks.reconcile`.

Report format quirks handled here
---------------------------------
* **Finding a table.** A table page starts with a short title line ending in
  ``表`` (收入决算表, 2025年部门支出预算总表, 一般公共预算财政拨款基本支出决算明细表, …)
  followed within a few lines by its unit (``单位：万元`` / ``单位：元``), its
  number (``公开 02 表``) or its first tab-separated row. Table-of-contents
  lines (目录) carry the same titles but are followed by other titles, so they
  are never taken for tables. The kind of a table is recognised from title
  keywords, never from its position, so regional sets (11-table sets,
  分单位/分科目 versions, budget sets) are recognised as well; titles about
  项目支出 or anything else unknown are left alone.
* **Table numbers.** Printed as ``公开 02 表`` / ``公开02表`` / ``表一`` /
  ``附表1`` near the title. Where the pages print none, the number is the
  table's ordinal in the document's own 目录 (``二、收入决算表`` → ``02``,
  ``8．2025年部门一般公共预算基本支出部门预算经济分类预算表`` → ``08``); without a
  目录, the standard numbering of the phase (决算: 06 = basic economic table;
  预算: 08) is used.
* **Summary tables (01 收支总表 / 04 财政拨款收支总表)** are itemised only when
  the page prints its own table number (the national 公开 layout with 行次
  columns). Pages numbered only through the 目录 use varying regional
  layouts whose summary tables the answer key does not itemise; their figures
  are still parsed and used by the consistency checks.
* **Cells.** Tabs separate cells; some conversions use runs of spaces or
  `` | `` instead. With tabs or pipes the cell positions are kept (a blank
  cell is *no value*, a printed ``0`` is a value); with runs of spaces the
  blanks are invisible, so the amounts of a row are assigned to the amount
  columns left to right.
* **Headers** span several lines. A column's label is the join of its header
  fragments from top to bottom (``本年支出 合计`` → ``本年支出合计``), except a
  group header that spans the columns to its right (``本年支出`` over
  ``小计 | 基本支出 | 项目支出``), which is dropped. ``栏次`` rows and ``类 款 项``
  rows are not labels. A header repeated after a page break is skipped.
* **Codes** are printed whole (``2101501``) or split over 类/款/项 columns
  (``201 | 06 | 01`` → ``2010601``; ``201 | 06 |`` → ``20106`` for a 款
  subtotal row). Economic codes likewise (``301 | 01`` → ``30101``). The
  合计 row may share its line with the ``类 款 项`` header cells.
* **Side-by-side halves.** Economic tables print two or three
  code/name/amount groups per line; summary tables print an income half and
  an expenditure half. Each group is parsed as its own segment. A 合计 row
  whose amount drifted to a later cell (``公用经费合计 | | | | 18.74``) takes the
  first unused amount to its right.
* **Broken cells.** A name broken over two lines within a cell is joined; a
  line holding only a text fragment after a data row continues that row's
  name. Blank lines inside a table are skipped.
* Printed figures are never changed: ``amount_text`` is the cell as printed,
  ``amount_wan_yuan`` the exact conversion to 万元.

``measure`` of summary tables: 决算数 → ``actual``, 预算数 → ``budget``,
金额 → ``amount``, 合计 → ``total``, 一般公共预算… → ``general_public_budget``,
政府性基金… → ``government_fund``, 国有资本经营… → ``state_capital``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ingest.parsers import Parsed
from ingest.parsers.budget.grid import ParsedTable, RawCell, Segment, column_labels, parse_table
from ingest.parsers.budget.items import (
    economic_items,
    functional_items,
    summary_items,
    table_metrics,
    table_notes,
    three_public_metrics,
)
from ingest.parsers.budget.titles import (
    FUNCTIONAL_CLASSES,
    ITEMISED_KINDS,
    SUMMARY_KINDS,
    Table,
    classify_title,
    clean_title,
    locate_tables,
    printed_table_no,
    strip_leaders,
)

__all__ = ["FUNCTIONAL_CLASSES", "ParsedTable", "RawCell", "Segment", "Table", "TablesResult",
           "classify_title", "clean_title", "column_labels", "extract", "is_published", "parse_all",
           "printed_table_no", "strip_leaders"]

# --- entry points ------------------------------------------------------------

def parse_all(lines: list[str]) -> list[tuple[Table, list[dict]]]:
    """Every recognised table with all its itemised rows (unfiltered)."""
    result = []
    for table in locate_tables(lines):
        if table.kind not in ITEMISED_KINDS:
            result.append((table, []))
            continue
        parsed = parse_table(lines, table)
        table.sequence_lines = tuple(parsed.sequence_lines)
        if table.kind in SUMMARY_KINDS:
            items = summary_items(parsed)
        elif table.kind == "basic_economic":
            items = economic_items(parsed)
        else:
            items = functional_items(parsed)
        result.append((table, items))
    return result


def sequence_issues(tables: list[tuple[Table, list[dict]]]) -> list[dict]:
    """One low-confidence notice per table whose rows had no cell positions
    (cells split on runs of spaces): their amounts were put under the columns
    left to right, as the layout layer does for a sequence-only table."""
    return [{"check_id": "tables_sequence_only_columns", "severity": "warning",
             "kind": "low_confidence_table", "location": f"table {t.table_no} {t.title}",
             "expected": None, "observed": f"{len(t.sequence_lines)} rows",
             "description": f"表{t.table_no}《{t.title}》有{len(t.sequence_lines)}行单元格仅以空格分隔，"
                            "空白单元格无从辨认：金额按从左到右的顺序对应各列，可能错列（低可信度）",
             "source_line": t.sequence_lines[0] + 1}
            for t, items in tables if t.sequence_lines and items]


def is_published(table: Table) -> bool:
    """Whether a table's rows go to ``line_items`` (see module docstring)."""
    return table.kind not in SUMMARY_KINDS or table.numbered_on_page


@dataclass
class TablesResult:
    """What the tables stage hands on: every table with all its rows."""

    tables: list[tuple[Table, list[dict]]]
    metrics: list[dict]

    @property
    def all_items(self) -> list[dict]:
        return [row for _, items in self.tables for row in items]

    def subjects(self) -> dict[str, str]:
        """functional code → name as the tables print it (first seen)."""
        out: dict[str, str] = {}
        for row in self.all_items:
            if row["classification"] == "functional" and row["code"]:
                out.setdefault(row["code"], row["line_name"])
        return out


def extract(lines: list[str]) -> Parsed:
    tables = parse_all(lines)
    all_items = [row for _, items in tables for row in items]
    line_items = [row for table, items in tables if is_published(table) for row in items]
    notes = [n for table, _ in tables for n in table_notes(lines, table)]
    metrics = table_metrics(all_items, lines)
    for table, _ in tables:
        if table.kind == "three_public":
            metrics.extend(three_public_metrics(lines, table))
    return Parsed({"line_items": line_items, "table_notes": notes, "metrics": metrics,
                   "quality_issues": sequence_issues(tables)},
                  value=TablesResult(tables, metrics))
