"""Raw cells of a budget table → ``line_items`` rows, table metrics and notes.

Measures come from ``ingest/vocabularies/measures.csv``; see
:mod:`ingest.parsers.tables` for the conventions (printed figures kept as
printed, summary halves, 三公 layouts).
"""
from __future__ import annotations

from ingest.numbers import parse_amount, to_wan_yuan
from ingest.parsers.budget.grid import ParsedTable, RawCell, is_lane_row, row_cells
from ingest.parsers.budget.titles import Table, is_unit_line, strip_ordinal
from ingest.prefilter import lines_holding
from ingest.text import normalize_label, squash
from ingest.vocabularies import measures

# --- rows → line_items -------------------------------------------------------

_INCOME_MEASURES = measures("income")          # ingest/vocabularies/measures.csv
_EXPENDITURE_MEASURES = measures("expenditure")
_ECONOMIC_MEASURES = measures("economic")
_SUMMARY_MEASURES = measures("summary")


def measure_of(label: str, keyed: tuple[tuple[str, str], ...], default: str = "other") -> str:
    """The measure of the first key the printed header contains."""
    return next((measure for key, measure in keyed if key in label), default)


def functional_measure(kind: str, label: str) -> str:
    return measure_of(label, _INCOME_MEASURES if kind == "income" else _EXPENDITURE_MEASURES)


def economic_measure(label: str) -> str:
    return measure_of(label, _ECONOMIC_MEASURES)


def summary_measure(label: str) -> str:
    return measure_of(label, _SUMMARY_MEASURES, default="amount")


def _row(table: Table, cell: RawCell, classification: str, code: str, measure: str) -> dict:
    value = parse_amount(cell.text)
    return {
        "table_no": table.table_no,
        "table_title": table.title,
        "table_kind": table.kind,
        "classification": classification,
        "code": code,
        "line_name": normalize_label(cell.name),
        "measure_label": normalize_label(cell.label),
        "measure": measure,
        "amount_text": cell.text.strip(),
        "unit": table.unit,
        "amount_wan_yuan": to_wan_yuan(value, table.unit),
        "source_line": cell.line_index + 1,
    }


_SUMMARY_SKIP = ("总计", "结转", "结余", "结余分配")


def summary_items(parsed: ParsedTable) -> list[dict]:
    """Income half → ``INCOME:<name>``, expenditure half → ``CLASS:<name>`` /
    ``TOTAL``; rows below a half's 合计 row (carry-over detail) are left out."""
    out = []
    closed: set[int] = set()
    for cell in parsed.cells:
        name = strip_ordinal(normalize_label(cell.name))
        if cell.segment in closed and "合计" not in name:
            continue
        if "合计" in name:
            closed.add(cell.segment)
        if not name or any(k in name for k in _SUMMARY_SKIP):
            continue
        measure = summary_measure(normalize_label(cell.label))
        cell = RawCell(cell.segment, cell.code, name, cell.label, cell.text, cell.line_index)
        if cell.segment == 0:
            out.append(_row(parsed.table, cell, "income", f"INCOME:{name}", measure))
        elif "合计" in name:
            out.append(_row(parsed.table, cell, "total", "TOTAL", measure))
        else:
            out.append(_row(parsed.table, cell, "class", f"CLASS:{name}", measure))
    return out


def functional_items(parsed: ParsedTable) -> list[dict]:
    out = []
    for cell in parsed.cells:
        name = normalize_label(cell.name)
        measure = functional_measure(parsed.table.kind, normalize_label(cell.label))
        if cell.code:
            out.append(_row(parsed.table, cell, "functional", cell.code, measure))
        elif "合计" in name or name == "总计":
            out.append(_row(parsed.table, cell, "total", "TOTAL", measure))
    return out


def economic_items(parsed: ParsedTable) -> list[dict]:
    out = []
    for cell in parsed.cells:
        name = normalize_label(cell.name)
        measure = economic_measure(normalize_label(cell.label))
        if cell.code:
            out.append(_row(parsed.table, cell, "economic", cell.code, measure))
        elif "人员经费" in name and "合计" in name:
            out.append(_row(parsed.table, cell, "total", "TOTAL_PERSONNEL", measure))
        elif "公用经费" in name and "合计" in name:
            out.append(_row(parsed.table, cell, "total", "TOTAL_PUBLIC", measure))
        elif "合计" in name:
            out.append(_row(parsed.table, cell, "total", "TOTAL", measure))
    return out


# --- 三公 table ---------------------------------------------------------------

def three_public_figures(lines: list[str], table: Table) -> list[tuple[str, str, int]]:
    """(预算数|决算数, printed 合计 figure, line index) of a 三公 table.

    Two layouts: 预算数 and 决算数 groups each starting with 合计 (the first
    amount of each group), or one ``预算数 | 决算数`` pair per category whose
    first pair is the 合计; a budget-only table has one 合计.
    """
    header: list[list[str]] = []
    for j in range(table.title_index + 1, table.end_index):
        cells, _ = row_cells(lines[j])
        nonempty = [c for c in cells if squash(c)]
        if not nonempty or is_unit_line(lines[j]):
            continue
        if is_lane_row(cells) or not any(parse_amount(c) is not None for c in nonempty):
            header.append([normalize_label(c) for c in cells])
            continue
        return _three_public_row(header, cells, j)
    return []


def _three_public_row(header: list[list[str]], cells: list[str], j: int) -> list[tuple[str, str, int]]:
    flat = [h for row in header for h in row if h]
    pair_row = next((row for row in header if row.count("预算数") >= 2), None)
    if pair_row:  # 预算数 | 决算数 per category, 合计 first
        out = []
        for c, label in enumerate(pair_row[:2]):
            if label in ("预算数", "决算数") and c < len(cells) and parse_amount(cells[c]) is not None:
                out.append((label, cells[c].strip(), j))
        return out
    group_row = next((row for row in header if "决算数" in "".join(row) and "预算数" in "".join(row)), None)
    if group_row:
        starts = [(c, "预算数" if "预算" in h else "决算数") for c, h in enumerate(group_row)
                  if "预算数" in h or "决算数" in h]
        return [(label, cells[c].strip(), j) for c, label in starts
                if c < len(cells) and parse_amount(cells[c]) is not None]
    if any("预算" in h for h in flat) and cells and parse_amount(cells[0]) is not None:
        return [("预算数", cells[0].strip(), j)]
    return []


def three_public_metrics(lines: list[str], table: Table) -> list[dict]:
    out = []
    for label, text, j in three_public_figures(lines, table):
        metric = "three_public_budget" if label == "预算数" else "three_public_actual"
        out.append({
            "metric": metric,
            "value": to_wan_yuan(parse_amount(text), table.unit),
            "unit": "万元",
            "evidence": f"三公经费 合计 {label} {squash(text)}",   # row, column, figure
            "sub_unit": None,
            "source_line": j + 1,
        })
    return out


# --- table metrics -----------------------------------------------------------

def _metric(metric: str, row: dict, lines: list[str]) -> dict:
    evidence = " ".join(x for x in (row["line_name"], row["measure_label"], row["amount_text"]) if x)
    return {"metric": metric, "value": row["amount_wan_yuan"], "unit": "万元",
            "evidence": evidence, "sub_unit": None, "source_line": row["source_line"]}


def table_metrics(items: list[dict], lines: list[str]) -> list[dict]:
    """基本/项目支出 of the expenditure table's 合计 row, 人员/公用经费 of the
    basic economic table's 合计 row (or its 人员经费合计/公用经费合计 rows)."""
    out = []
    for row in items:
        if row["table_kind"] == "expenditure" and row["code"] == "TOTAL":
            if row["measure"] == "basic":
                out.append(_metric("basic_expenditure", row, lines))
            elif row["measure"] == "project":
                out.append(_metric("project_expenditure", row, lines))
        if row["table_kind"] == "basic_economic":
            if (row["code"] == "TOTAL" and row["measure"] == "personnel") or row["code"] == "TOTAL_PERSONNEL":
                out.append(_metric("personnel_expenditure", row, lines))
            elif (row["code"] == "TOTAL" and row["measure"] == "public") or row["code"] == "TOTAL_PUBLIC":
                out.append(_metric("public_expenditure", row, lines))
    return out


# --- notes -------------------------------------------------------------------

def table_notes(lines: list[str], table: Table) -> list[dict]:
    notes = []
    if table.unit_index is not None:
        notes.append({"table_no": table.table_no, "table_title": table.title, "note_kind": "unit",
                      "note": table.unit, "source_line": table.unit_index + 1})
    first = table.title_index + 1   # each note below holds 表, as read too (cleaning keeps ideographs)
    for j in (first + k for k in lines_holding(lines[first:table.end_index], "表")):
        text = normalize_label(lines[j])
        if "本表无数据" in text or "本表为空表" in text or "无数据" in text and "本表" in text:
            notes.append({"table_no": table.table_no, "table_title": table.title,
                          "note_kind": "no_data", "note": text, "source_line": j + 1})
    return notes
