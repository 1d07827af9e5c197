"""Consistency checks of a report's 公开 tables and 情况说明 → ``quality_issues``.

A 部门决算/预算 states the same money several times: every table has a 合计
row and subtotal rows, the income and expenditure tables list the same
subjects, the 一般公共预算 table repeats the expenditure table, the summary
tables repeat the class totals, the economic table's 人员经费 + 公用经费 is
the basic expenditure, and the narrative restates totals and per-subject
figures. Every check compares two statements of one figure and records a
difference; printed figures are never changed.

Tolerance: amounts are compared in 万元. A difference of at most 0.01 万元 is
a rounding issue (severity ``info``), anything larger an ``error``; both have
kind ``total_mismatch``.

Misalignment. A converted table may print its amount columns shifted against
its code/name columns (e.g. the last rows' amounts one row off). The check
looks for a block of rows whose printed amounts are a permutation of the
amounts another source gives for the same codes, then counts which alignment
the report's other sources support (other tables, the narrative, the class
totals of the summary tables). When the alternative is better supported, it
emits ONE ``misaligned_columns`` issue for the table (location ``table NN``)
naming that alignment, and the per-code comparisons of those rows are not
repeated as separate mismatches (the class-total mismatches they cause are).

Check catalogue (``check_id`` → what is compared; listed in
``seeds/data_quality_checks.csv``):

* ``tables_total_row``: 合计 row = Σ top-level rows, per column (rows with no
  ancestor code in the table, so class/款 subtotals are never double
  counted); summary tables: 本年支出合计 = Σ class rows, 本年收入合计 = Σ income rows.
* ``tables_subtotals``: each 类/款 row = Σ its direct children, per column.
* ``tables_row_components``: per row, 本年收入合计 = Σ income columns,
  本年支出合计 = 基本 + 项目 (+ other columns), 合计 = 人员经费 + 公用经费.
* ``tables_income_vs_expenditure``: income vs expenditure table, total
  column, per code.
* ``tables_summary_class_totals``: class rows of the summary tables vs the
  class's codes in the income / expenditure / 一般公共预算 tables.
* ``tables_gpb_vs_expenditure``: 一般公共预算 table vs expenditure table, per
  code and column (total / basic / project).
* ``tables_economic_totals``: 人员经费合计 = Σ 301/303 classes, 公用经费合计 =
  Σ other classes, 人员经费合计 + 公用经费合计 (or the 合计 row) = basic
  expenditure total of the 一般公共预算 table.
* ``tables_three_public_narrative``: 三公 table 合计 vs the narrative.
* ``tables_narrative_vs_tables``: narrative per-code final / budget figure vs
  the 一般公共预算 (else expenditure) table.
* ``tables_misaligned_columns``: amounts shifted against their codes.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from ingest.vocabularies import functional_classes

TOLERANCE = Decimal("0.01")
FUNCTIONAL = ("income", "expenditure", "gpb_expenditure", "gov_fund", "state_capital")
PERSONNEL_CLASSES = ("301", "303")


# --- small helpers -----------------------------------------------------------------

def severity(diff: Decimal) -> str | None:
    """None when equal, ``info`` for a rounding difference, else ``error``."""
    diff = abs(diff)
    if diff == 0:
        return None
    return "info" if diff <= TOLERANCE else "error"


def fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def issue(check_id: str, diff: Decimal, location: str, expected: Decimal, observed: Decimal,
          description: str, source_line: int | None) -> dict | None:
    level = severity(diff)
    if level is None:
        return None
    return {"check_id": check_id, "severity": level, "kind": "total_mismatch",
            "location": location, "expected": fmt(expected), "observed": fmt(observed),
            "description": description, "source_line": source_line}


def group_tables(items: list[dict]) -> dict[tuple[str, str], list[dict]]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in items:
        if row.get("table_kind") not in (None, "narrative", "three_public"):
            groups[(row["table_no"], row["table_title"])].append(row)
    return groups


def cell_map(rows: list[dict]) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    for row in rows:
        out.setdefault((row["code"], row["measure_label"]), row)
    return out


def coded(rows: list[dict]) -> list[str]:
    seen: list[str] = []
    for row in rows:
        if row["code"] and row["code"].isdigit() and row["code"] not in seen:
            seen.append(row["code"])
    return seen


def top_level(codes: list[str]) -> list[str]:
    present = set(codes)
    return [c for c in codes if not any(c[:n] in present for n in (3, 5) if n < len(c))]


def direct_children(code: str, codes: list[str]) -> list[str]:
    return [c for c in codes if len(c) == len(code) + 2 and c.startswith(code)]


def total_label(rows: list[dict]) -> str | None:
    for row in rows:
        if row["measure"] == "total":
            return row["measure_label"]
    return rows[0]["measure_label"] if rows else None


def totals_by_code(rows: list[dict]) -> dict[str, Decimal]:
    label = total_label(rows)
    return {r["code"]: r["amount_wan_yuan"] for r in rows
            if r["measure_label"] == label and r["code"] and r["code"].isdigit()}


def where(no: str) -> str:
    return f"table {no}"


def _cn(no: str | None) -> str:
    """A table named in an issue's (Chinese) description."""
    return f"表{no}"


def _cn_source(name: str) -> str:
    """A source of figures (``table 02``, ``narrative``, …) in a description."""
    if name.startswith("table "):
        return _cn(name[6:])
    return {"narrative": "说明文字", "the narrative": "说明文字",
            "summary class totals": "收支总表的类合计"}.get(name, name)


def first_of_kind(groups, kind: str):
    for key, rows in groups.items():
        if rows and rows[0]["table_kind"] == kind:
            return key, rows
    return None, []


# --- sums within a table -------------------------------------------------------------

def check_total_row(no: str, rows: list[dict]) -> list[dict]:
    cells = cell_map(rows)
    codes = coded(rows)
    tops = top_level(codes)
    out = []
    for (code, label), row in cells.items():
        if code != "TOTAL" or not tops:
            continue
        parts = [cells[(c, label)]["amount_wan_yuan"] for c in tops if (c, label) in cells]
        if not parts:
            continue
        expected = sum(parts, Decimal(0))
        found = issue("tables_total_row", expected - row["amount_wan_yuan"], f"{where(no)} 合计 {label}",
                      expected, row["amount_wan_yuan"],
                      f"{_cn(no)}合计行“{label}”栏印为{row['amount_text']},"
                      f"其下各行合计为{fmt(expected)}万元", row["source_line"])
        if found:
            out.append(found)
    return out


def check_summary_totals(no: str, rows: list[dict]) -> list[dict]:
    out = []
    by_label: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_label[row["measure_label"]].append(row)
    for label, group in by_label.items():
        for total_code, prefix in (("TOTAL", "CLASS:"), ("INCOME:本年收入合计", "INCOME:")):
            total = next((r for r in group if r["code"] == total_code), None)
            parts = [r["amount_wan_yuan"] for r in group
                     if r["code"].startswith(prefix) and r["code"] != total_code]
            if total is None or not parts:
                continue
            expected = sum(parts, Decimal(0))
            found = issue("tables_total_row", expected - total["amount_wan_yuan"],
                          f"{where(no)} {total['line_name']} {label}", expected, total["amount_wan_yuan"],
                          f"{_cn(no)}{total['line_name']}印为{total['amount_text']},"
                          f"其下各行合计为{fmt(expected)}万元", total["source_line"])
            if found:
                out.append(found)
    return out


def check_subtotals(no: str, rows: list[dict]) -> list[dict]:
    cells = cell_map(rows)
    codes = coded(rows)
    out = []
    for (code, label), row in cells.items():
        if not code.isdigit():
            continue
        kids = [cells[(c, label)]["amount_wan_yuan"] for c in direct_children(code, codes) if (c, label) in cells]
        if not kids:
            continue
        expected = sum(kids, Decimal(0))
        found = issue("tables_subtotals", expected - row["amount_wan_yuan"], f"{where(no)} {code} {label}",
                      expected, row["amount_wan_yuan"],
                      f"{_cn(no)}{code} {row['line_name']}印为{row['amount_text']},"
                      f"其下各项合计为{fmt(expected)}万元", row["source_line"])
        if found:
            out.append(found)
    return out


def check_row_components(no: str, rows: list[dict]) -> list[dict]:
    by_row: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for row in rows:
        by_row[(row["code"], row["source_line"])].append(row)
    out = []
    for (code, _), cells in by_row.items():
        totals = [c for c in cells if c["measure"] == "total"]
        parts = [c for c in cells if c["measure"] != "total"]
        if len(totals) != 1 or not parts:
            continue
        total = totals[0]
        expected = sum((c["amount_wan_yuan"] for c in parts), Decimal(0))
        found = issue("tables_row_components", expected - total["amount_wan_yuan"],
                      f"{where(no)} {code} {total['measure_label']}", expected, total["amount_wan_yuan"],
                      f"{_cn(no)}{code} {total['line_name']}“{total['measure_label']}”印为"
                      f"{total['amount_text']},各栏合计为{fmt(expected)}万元",
                      total["source_line"])
        if found:
            out.append(found)
    return out


# --- between tables ------------------------------------------------------------------

def at_precision(value: Decimal, like: Decimal) -> Decimal:
    """``value`` rounded to the decimals ``like`` was printed with."""
    exponent = like.as_tuple().exponent
    return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP) if exponent <= 0 else value


def compare_codes(check_id: str, name_a: str, a: dict[str, Decimal], no_b: str, b: dict[str, dict],
                  label: str, skip: set[str], rounded: bool = False) -> list[dict]:
    """Per code: ``a`` (another table or the narrative) vs table ``no_b``'s cells.

    ``rounded``: ``a`` states figures rounded (narrative 万元 of a table in 元),
    so the table's figure is rounded to the printed decimals first."""
    out = []
    for code, value in a.items():
        if code in skip or code not in b:
            continue
        other = b[code]
        theirs = at_precision(other["amount_wan_yuan"], value) if rounded else other["amount_wan_yuan"]
        found = issue(check_id, value - theirs, f"{where(no_b)} {code} {label}",
                      value, other["amount_wan_yuan"],
                      f"{code} {other['line_name']}:{_cn_source(name_a)}为{fmt(value)},"
                      f"{_cn(no_b)}印为{other['amount_text']}(“{label}”)", other["source_line"])
        if found:
            out.append(found)
    return out


def rows_by_code(rows: list[dict], measure: str) -> dict[str, dict]:
    return {r["code"]: r for r in rows if r["measure"] == measure and r["code"] and r["code"].isdigit()}


def class_sums(rows: list[dict]) -> dict[str, Decimal]:
    totals = totals_by_code(rows)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for code in top_level(list(totals)):
        sums[code[:3]] += totals[code]
    return dict(sums)


def summary_classes(rows: list[dict], class_names: dict[str, str]) -> dict[str, dict]:
    """class code → first amount row of a summary table's CLASS row."""
    by_name = {name: code for code, name in class_names.items()}
    out: dict[str, dict] = {}
    for row in rows:
        if row["code"].startswith("CLASS:"):
            code = by_name.get(row["code"][6:])
            if code:
                out.setdefault(code, row)
    return out


def check_class_totals(detail_no: str, detail: list[dict], summary_no: str, summary: list[dict],
                       class_names: dict[str, str]) -> list[dict]:
    sums = class_sums(detail)
    out = []
    for cls, row in summary_classes(summary, class_names).items():
        if cls not in sums:
            continue
        found = issue("tables_summary_class_totals", sums[cls] - row["amount_wan_yuan"],
                      f"{where(detail_no)} class {cls}", row["amount_wan_yuan"], sums[cls],
                      f"{_cn(detail_no)}{cls}类{class_names[cls]}各科目合计为{fmt(sums[cls])}万元,"
                      f"{_cn(summary_no)}印为{row['amount_text']}",
                      row["source_line"])
        if found:
            out.append(found)
    return out


def check_economic(no: str, rows: list[dict], basic_total: dict | None) -> list[dict]:
    cells = {r["code"]: r for r in rows}
    out = []
    classes = [c for c in coded(rows) if len(c) == 3]
    for code, picks in (("TOTAL_PERSONNEL", [c for c in classes if c in PERSONNEL_CLASSES]),
                        ("TOTAL_PUBLIC", [c for c in classes if c not in PERSONNEL_CLASSES])):
        if code in cells and picks:
            expected = sum((cells[c]["amount_wan_yuan"] for c in picks), Decimal(0))
            row = cells[code]
            found = issue("tables_economic_totals", expected - row["amount_wan_yuan"], f"{where(no)} {code}",
                          expected, row["amount_wan_yuan"],
                          f"{_cn(no)}{row['line_name']}印为{row['amount_text']},"
                          f"{'+'.join(picks)}类合计为{fmt(expected)}万元", row["source_line"])
            if found:
                out.append(found)
    if basic_total is None:
        return out
    if "TOTAL_PERSONNEL" in cells and "TOTAL_PUBLIC" in cells:
        observed = cells["TOTAL_PERSONNEL"]["amount_wan_yuan"] + cells["TOTAL_PUBLIC"]["amount_wan_yuan"]
        line = cells["TOTAL_PERSONNEL"]["source_line"]
    else:
        total = next((r for r in rows if r["code"] == "TOTAL" and r["measure"] in ("total", "actual", "budget")), None)
        if total is None:
            return out
        observed, line = total["amount_wan_yuan"], total["source_line"]
    found = issue("tables_economic_totals", observed - basic_total["amount_wan_yuan"], f"{where(no)} 人员经费+公用经费",
                  basic_total["amount_wan_yuan"], observed,
                  f"{_cn(no)}人员经费+公用经费={fmt(observed)}万元,"
                  f"{_cn(basic_total['table_no'])}基本支出合计为{basic_total['amount_text']}", line)
    if found:
        out.append(found)
    return out


# --- misalignment ------------------------------------------------------------------

def _same(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= TOLERANCE


def mismatch_block(printed: list[tuple[str, Decimal]], ref: dict[str, Decimal]) -> list[int]:
    """Indexes of rows whose amount differs from the reference, if they are a permutation of it."""
    block = [i for i, (code, value) in enumerate(printed) if code in ref and not _same(value, ref[code])]
    if len(block) < 2:
        return []
    mine = sorted(printed[i][1] for i in block)
    theirs = sorted(ref[printed[i][0]] for i in block)
    return block if all(_same(a, b) for a, b in zip(mine, theirs)) else []


def _agrees(source: dict[str, Decimal], values: dict[str, Decimal]) -> bool:
    present = [c for c in values if c in source]
    return bool(present) and all(_same(source[c], values[c]) for c in present)


def _class_support(values: dict[str, Decimal], totals: dict[str, Decimal], classes: dict[str, Decimal]) -> bool:
    merged = dict(totals)
    merged.update(values)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for code in top_level(list(merged)):
        sums[code[:3]] += merged[code]
    touched = {c[:3] for c in values}
    return bool(touched & set(classes)) and all(_same(sums[c], classes[c]) for c in touched if c in classes)


def _shift_words(block_codes: list[str], printed: dict[str, Decimal], expected: dict[str, Decimal]) -> str:
    v = [printed[c] for c in block_codes]
    e = [expected[c] for c in block_codes]
    n = len(v)
    for step, words in ((-1, "整体下移一行"), (1, "整体上移一行")):
        if all(_same(v[k], e[(k + step) % n]) for k in range(n)):
            return f"相对科目编码{words}"
    return "与科目编码错位"


def find_misalignments(tables: dict[str, list[dict]], narrative: dict[str, Decimal],
                       classes: dict[str, Decimal]) -> tuple[list[dict], dict[str, set[str]]]:
    """One issue per misaligned table and the codes concerned, per table number."""
    sources = {f"table {no}": totals_by_code(rows) for no, rows in tables.items()}
    if narrative:
        sources["narrative"] = narrative
    issues, skipped = [], {}
    for no, rows in tables.items():
        mine = totals_by_code(rows)
        printed = [(c, mine[c]) for c in coded(rows) if c in mine and len(c) == 7]
        for ref_name, ref in sources.items():
            if ref_name == f"table {no}":
                continue
            block = mismatch_block(printed, ref)
            if not block:
                continue
            codes = [printed[i][0] for i in block]
            a = {c: mine[c] for c in codes}
            b = {c: ref[c] for c in codes}
            others = {n: s for n, s in sources.items() if n not in (f"table {no}", ref_name)}
            for_a = [n for n, s in others.items() if _agrees(s, a)]
            for_b = [ref_name] + [n for n, s in others.items() if _agrees(s, b)]
            if classes and _class_support(b, mine, classes):
                for_b.append("summary class totals")
            elif classes and _class_support(a, mine, classes):
                for_a.append("summary class totals")
            if len(for_b) - 1 <= len(for_a):  # the reference alone decides nothing
                continue
            line = next(r["source_line"] for r in rows if r["code"] == codes[0])
            expected = "; ".join(f"{c}={fmt(b[c])}" for c in codes)
            issues.append({
                "check_id": "tables_misaligned_columns", "severity": "error", "kind": "misaligned_columns",
                "location": where(no), "expected": expected,
                "observed": "; ".join(f"{c}={fmt(a[c])}" for c in codes),
                "description": (f"{_cn(no)}有{len(codes)}行({', '.join(codes)})的金额"
                                f"{_shift_words(codes, a, b)};{'、'.join(_cn_source(n) for n in for_b)}"
                                f"支持的对应为{expected}(印刷值保留不改)"),
                "source_line": line,
            })
            skipped[no] = set(codes)
            break
    return issues, skipped


# --- narrative -----------------------------------------------------------------------

def narrative_figures(statements: list[dict]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for row in statements:
        if row["code"] and row["measure"] in ("final", "budget"):
            out.setdefault(row["code"], row["amount_wan_yuan"])
    return out


def check_narrative(figures: dict[str, Decimal], table_no: str, rows: list[dict], skip: set[str]) -> list[dict]:
    return compare_codes("tables_narrative_vs_tables", "the narrative", figures, table_no,
                         rows_by_code(rows, "total"), "total", skip, rounded=True)


def check_three_public(metrics: list[dict], narrative_metrics: list[dict]) -> list[dict]:
    stated = {m["metric"]: m for m in narrative_metrics}
    out = []
    for m in metrics:
        said = stated.get(m["metric"])
        if not m["metric"].startswith("three_public") or said is None:
            continue
        found = issue("tables_three_public_narrative", m["value"] - said["value"], f"三公 table {m['metric']}",
                      m["value"], said["value"],
                      f"“三公”经费表印为{fmt(m['value'])}万元,说明文字为{fmt(said['value'])}万元",
                      said["source_line"])
        if found:
            out.append(found)
    return out


# --- entry point -----------------------------------------------------------------------

def run(doc, facts) -> list[dict]:
    """The check protocol (``ingest.checks``): the tables' and the narrative's
    typed results from ``facts.stages``; nothing to check without the tables."""
    stages = getattr(facts, "stages", {})
    tables = stages.get("tables")
    if tables is None:
        return []
    narrative = stages.get("narrative")
    return check(tables.all_items, tables.metrics,
                 narrative.statements if narrative else [], narrative.metrics if narrative else [])


def check(line_items: list[dict], metrics: list[dict], statements: list[dict],
          stated_metrics: list[dict]) -> list[dict]:
    """All table checks: ``line_items`` and ``metrics`` of every table (published
    or not), the narrative's per-subject ``statements`` and ``stated_metrics``."""
    FUNCTIONAL_CLASSES = functional_classes()
    groups = group_tables(line_items)
    out: list[dict] = []
    functional = {key[0]: rows for key, rows in groups.items()
                  if rows[0]["table_kind"] in ("income", "expenditure", "gpb_expenditure")}
    summaries = [(key[0], rows) for key, rows in groups.items()
                 if rows[0]["table_kind"] in ("summary", "fiscal_summary")]
    narrative = narrative_figures(statements)
    class_totals = {}
    for _, rows in summaries:
        for cls, row in summary_classes(rows, FUNCTIONAL_CLASSES).items():
            class_totals.setdefault(cls, row["amount_wan_yuan"])
    misaligned, skip = find_misalignments(functional, narrative, class_totals)
    out.extend(misaligned)

    for (no, _), rows in groups.items():
        kind = rows[0]["table_kind"]
        if kind in SUMMARY_LIKE:
            out.extend(check_summary_totals(no, rows))
            continue
        out.extend(check_total_row(no, rows))
        out.extend(check_subtotals(no, rows))
        if kind != "basic_economic" or any(r["measure"] == "personnel" for r in rows):
            out.extend(check_row_components(no, rows))

    (inc_key, income), (exp_key, expenditure) = first_of_kind(groups, "income"), first_of_kind(groups, "expenditure")
    gpb_key, gpb = first_of_kind(groups, "gpb_expenditure")
    both = skip.get(inc_key[0] if inc_key else "", set()) | skip.get(exp_key[0] if exp_key else "", set())
    balanced = income and expenditure and totals_agree(income, expenditure)
    if balanced:  # otherwise carry-overs / non-spent income explain differences
        out.extend(compare_codes("tables_income_vs_expenditure", where(inc_key[0]),
                                 {c: r["amount_wan_yuan"] for c, r in rows_by_code(income, "total").items()},
                                 exp_key[0], rows_by_code(expenditure, "total"), "total", both))
    if gpb and expenditure:
        gpb_skip = skip.get(gpb_key[0], set()) | skip.get(exp_key[0], set())
        for measure in ("total", "basic", "project"):
            out.extend(compare_codes("tables_gpb_vs_expenditure", where(exp_key[0]),
                                     {c: r["amount_wan_yuan"] for c, r in rows_by_code(expenditure, measure).items()},
                                     gpb_key[0], rows_by_code(gpb, measure), measure, gpb_skip))
    for summary_no, summary in summaries[:1]:
        details = ((inc_key, income if balanced else []), (exp_key, expenditure), (gpb_key, gpb))
        for key, detail in details:
            if detail:
                out.extend(check_class_totals(key[0], detail, summary_no, summary, FUNCTIONAL_CLASSES))

    econ_key, economic = first_of_kind(groups, "basic_economic")
    if economic:
        basic_total = next((r for r in gpb if r["code"] == "TOTAL" and r["measure"] == "basic"), None)
        out.extend(check_economic(econ_key[0], economic, basic_total))

    target_key, target = (gpb_key, gpb) if gpb else (exp_key, expenditure)
    if narrative and target:
        out.extend(check_narrative(narrative, target_key[0], target, skip.get(target_key[0], set())))
    out.extend(check_three_public(metrics, stated_metrics))
    return out


SUMMARY_LIKE = ("summary", "fiscal_summary")


def totals_agree(a: list[dict], b: list[dict]) -> bool:
    """The 合计 rows' total columns of two tables print the same amount."""
    ta = [r["amount_wan_yuan"] for r in a if r["code"] == "TOTAL" and r["measure"] == "total"]
    tb = [r["amount_wan_yuan"] for r in b if r["code"] == "TOTAL" and r["measure"] == "total"]
    return bool(ta and tb) and _same(ta[0], tb[0])
