"""‘三公’经费 by category: the parts against their total, the text against the tables.

The 三公 figures are 因公出国(境)费, 公务用车购置及运行(维护)费 — itself
公务用车购置费 plus 公务用车运行(维护)费 — and 公务接待费; their total is the
“三公”经费. The 情况说明 states each category's 预算 and 决算 again.

* ``TP_PARTS_SUM`` (error, ``total_mismatch``): in any table that lays the
  categories out (the 公开 三公 table; the 三公 block of a 绩效 basic data
  table), a column's (or row's) 合计 against 出国 + 公务用车 + 接待, and the
  公务用车 subtotal against 购置 + 运行; one issue per table and relation,
  naming every column that fails.
* ``TP_CATEGORY_TEXT`` (warning, ``contradictory_figures``): a category's
  预算 / 决算 stated in the text (``公务接待费支出预算为2万元，支出决算为0.89万元``)
  against the 三公 table's cell of that category and column. The previous
  year's figures and changes (``上年…``, ``与上年相比减少…``) are not compared.
* ``TP_ECONOMIC_LINES`` (``contradictory_figures``): the basic-expenditure
  table's 三公 款 (30212 因公出国(境)费用, 30217 公务接待费, 30231 公务用车运行维护费,
  31013 公务用车购置) against the 三公 table's figure of the category in the
  report's phase: a warning where basic spending alone exceeds it; in a 决算,
  info where it falls short (the rest may have been paid from 项目支出, which
  the 说明 should then say; a 预算 need not split it).

Layouts read (tab-separated rows of the rendering):

* **categories as columns** (the national 公开09表): a header of two or three
  rows — 预算数 / 决算数 groups over 合计, 因公出国(境)费, 公务用车购置及运行维护费
  (小计, 购置费, 运行维护费), 公务接待费 — or one 预算数 | 决算数 pair per category;
  a lane row (1 2 3 …); one row of figures. A 预算 document's table has no
  groups: every column is 预算.
* **categories as rows** (三公经费 / 1、公务用车购置和维护经费 / 其中：公车购置 /
  公车运行维护 / 2、出国经费 / 3、公务接待), the columns labelled by their header
  (``2023 年预算数``); a column of an earlier year than the report's is summed
  but not compared with the text.

A blank cell in a category's place is 0 (tables leave nothing printed where
nothing was spent). Amounts of a table printed in 元 are converted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ingest.checks.prose import TOLERANCE, context, fmt, issue, quote
from ingest.numbers import parse_amount
from ingest.text import normalize_label

# category → how a label (whitespace removed, numbering stripped) names it;
# checked in this order (the most specific first)
_YUAN_UNIT = re.compile(r"单位[:：]?元$")
_LANE_NO = re.compile(r"\d{1,2}")
CATEGORIES: tuple[tuple[str, re.Pattern], ...] = (
    ("vehicle_purchase", re.compile(r"^(?:公务用车|公车)(?:车辆)?购置(?:费|经费)?$")),
    ("vehicle_operation", re.compile(r"^(?:公务用车|公车)(?:车辆)?运行(?:维护|维修)?(?:费|经费)?$")),
    ("vehicle", re.compile(r"^(?:公务用车|公车)购置(?:费)?(?:及|和|与)(?:运行)?(?:维护|维修)?(?:费|经费)?$|^小计$")),
    ("abroad", re.compile(r"^因公出国(?:[(（]?境[)）]?)?(?:费|费用|经费)?$|^出国(?:[(（]?境[)）]?)?经费$")),
    ("reception", re.compile(r"^公务接待(?:费|经费)?$")),
    ("total", re.compile(r"^(?:合计|(?:财政拨款)?[“\"]?三公[”\"]?经费(?:合计)?)$")),
)
NAMES = {"total": "“三公”经费合计", "abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行费",
         "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费",
         "reception": "公务接待费"}
PARTS = (("total", ("abroad", "vehicle", "reception")),
         ("vehicle", ("vehicle_purchase", "vehicle_operation")))
_NUMBERING = re.compile(r"^(?:其中[:：]?|[（(]?\d{1,2}[)）、.．]|[一二三四五六七八九十]+、)+")
_TABLE_NO = re.compile(r"^(?:公开|附)?\d+(?:[-—]\d+)*[-—]?表$|^表\d")   # 公开09表: a number, not the title
_YEAR = re.compile(r"((?:19|20)\d\d)年")


# under a 公务用车 header (categories as columns) its parts are printed bare
_BARE_PARTS = (("vehicle_purchase", re.compile(r"^(?:车辆)?购置(?:费)?$")),
               ("vehicle_operation", re.compile(r"^(?:车辆)?运行(?:维护|维修)?(?:费)?$")))


@lru_cache(maxsize=8192)   # labels repeat across tables and documents
def category(label: str, bare: bool = False) -> str | None:
    """The 三公 category a label names; ``bare``: also 购置费 / 运行费 alone."""
    text = _NUMBERING.sub("", normalize_label(label))
    for name, pattern in CATEGORIES + (_BARE_PARTS if bare else ()):
        if pattern.search(text):
            return name
    return None


@dataclass
class Column:
    label: str                 # the column's header as printed (or the row's, for row layouts)
    kind: str | None           # budget / final / None (another year, or unknown)
    cells: dict[str, tuple[Decimal, int]] = field(default_factory=dict)  # category → (万元, line)


@dataclass
class ThreePublicTable:
    title: str
    first_line: int
    columns: list[Column]


_clean = normalize_label   # folded, whitespace removed (memoised)


def _blocks(lines: list[str]):
    """(title, unit, [(line, raw row)]) of each run of table rows, with the title
    and unit printed above it (the rows' cells are cleaned by ``_cells``, for the
    blocks that may be a 三公 table only)."""
    title, unit, rows = "", "万元", []
    for i, raw in enumerate(lines):
        if "\t" in raw:
            rows.append((i + 1, raw))
            continue
        text = _clean(raw)
        if not text:
            continue
        if rows:
            yield title, unit, rows
            rows = []
            title, unit = "", "万元"
        if text.endswith("表") and len(text) <= 50 and not _TABLE_NO.match(text):
            title, unit = text, "万元"
        elif _YUAN_UNIT.search(text):
            unit = "元"
    if rows:
        yield title, unit, rows


def _kind(label: str, fiscal_year: int | None, budget_only: bool) -> str | None:
    years = [int(y) for y in _YEAR.findall(label)]
    if years and fiscal_year and max(years) != fiscal_year or "上年" in label:
        return None
    if "决算" in label or "实际" in label:
        return "final"
    if "预算" in label or budget_only:
        return "budget"
    return None


def _amount(text: str, unit: str) -> Decimal | None:
    value = parse_amount(text) if text else None
    if value is None:
        return None
    return value / 10000 if unit == "元" else value


def _row_layout(title, unit, rows, fiscal_year, budget_only) -> ThreePublicTable | None:
    labelled = []
    for line, cells in rows:
        label = next((c for c in cells if c and parse_amount(c) is None), "")
        cat = category(label) if label else None
        if cat:
            labelled.append((line, cells, cat, cells.index(label)))
    # a 合计 row is the 三公 total only in a 三公 table; elsewhere the row must say 三公
    labelled = [x for x in labelled if x[2] != "total" or "三公" in title or "三公" in x[1][x[3]]]
    cats = {cat for *_, cat, _ in labelled}
    if len(cats - {"total"}) < 2 or "total" not in cats and "vehicle" not in cats:
        return None
    first = labelled[0][0]
    header = [cells for line, cells in rows if line < first]
    width = max(len(c) for _, c in rows)
    labels = []
    for c in range(width):   # the nearest header cell above the figures names the column
        labels.append(next((cells[c] for cells in reversed(header) if c < len(cells) and cells[c]), ""))
    columns: dict[int, Column] = {}
    for line, cells, cat, at in labelled:
        for c in range(at + 1, len(cells)):
            value = _amount(cells[c], unit)
            if value is None:
                continue
            col = columns.setdefault(c, Column(labels[c] if c < len(labels) else "", None))
            col.cells.setdefault(cat, (value, line))
    for col in columns.values():
        col.kind = _kind(col.label, fiscal_year, budget_only)
        for *_, cat, _ in labelled:      # a category printed blank is 0
            col.cells.setdefault(cat, (Decimal(0), col_line(col)))
    return ThreePublicTable(title, rows[0][0], list(columns.values())) if columns else None


def col_line(col: Column) -> int:
    return min(line for _, line in col.cells.values()) if col.cells else 0


def _column_layout(title, unit, rows, fiscal_year, budget_only) -> ThreePublicTable | None:
    data = [(line, cells) for line, cells in rows
            if any(parse_amount(c) is not None for c in cells)
            and not all(_LANE_NO.fullmatch(c) for c in cells if c)]   # not the lane row
    if not data:
        return None
    line, values = data[0]
    header = [cells for ln, cells in rows if ln < line and any(c and parse_amount(c) is None for c in cells)]
    if not header:
        return None
    width = max(len(values), max(len(h) for h in header))
    group_row = next((r for r, cells in enumerate(header)
                      if any("预算" in c or "决算" in c for c in cells)), None)
    pair = group_row is not None and group_row == len(header) - 1 and len(header) > 1
    groups = [""] * width
    if group_row is not None:
        current = ""
        for c in range(width):
            text = header[group_row][c] if c < len(header[group_row]) else ""
            current = text if text else ("" if pair else current)
            groups[c] = current
    columns = []
    for c in range(width):
        start = c - 1 if pair and c > 0 and "决算" in groups[c] else c
        cat = None
        for r in range(len(header) - 1, -1, -1):
            if r == group_row:
                continue
            text = header[r][start] if start < len(header[r]) else ""
            if text and (cat := category(text, bare=True)):
                break
        if cat is None:
            continue
        value = _amount(values[c], unit) if c < len(values) else None
        col = Column(groups[c] or title, _kind(groups[c] or title, fiscal_year, budget_only))
        col.cells[cat] = (value if value is not None else Decimal(0), line)
        columns.append(col)
    merged: dict[str, Column] = {}
    for col in columns:                 # one Column per group, its categories together
        key = col.label
        got = merged.setdefault(key, Column(col.label, col.kind))
        for cat, cell in col.cells.items():
            if cat in got.cells:
                return None             # a category twice in one group: not a layout we know
            got.cells[cat] = cell
    return ThreePublicTable(title, rows[0][0], list(merged.values())) if merged else None


def _cells(rows: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    return [(line, list(map(_clean, raw.split("\t")))) for line, raw in rows]


# Every category but the 合计 and a bare 小计 names 公务用车/公车, 出国 or 公务接待: a row
# layout needs two categories besides the 合计, so a row of a block that can be one
# prints 车, 待, or 出 and 国 (characters, as cleaning only removes whitespace around them).
def _may_list_categories(rows: list[tuple[int, str]]) -> bool:
    return any("车" in raw or "待" in raw or "国" in raw and "出" in raw for _, raw in rows)


def tables(lines: list[str], fiscal_year: int | None, phase: str | None) -> list[ThreePublicTable]:
    out = []
    for title, unit, raw_rows in _blocks(lines):
        listed = _may_list_categories(raw_rows)
        if not listed and "三公" not in title:
            continue                    # (neither layout can be read from it)
        rows = _cells(raw_rows)
        budget_only = phase == "budget" or ("预算" in title and "决算" not in title)
        found = _row_layout(title, unit, rows, fiscal_year, budget_only) if listed else None
        if found is None and "三公" in title:
            found = _column_layout(title, unit, rows, fiscal_year, budget_only)
        if found is not None:
            out.append(found)
    return out


# --- the parts against their total -------------------------------------------------

def _sums(table: ThreePublicTable) -> list[dict]:
    out = []
    for whole, parts in PARTS:
        failing = []
        for col in table.columns:
            if whole not in col.cells or not all(p in col.cells for p in parts):
                continue
            stated, line = col.cells[whole]
            total = sum((col.cells[p][0] for p in parts), Decimal(0))
            if abs(stated - total) > TOLERANCE:
                failing.append((col, stated, total, line))
        if not failing:
            continue
        col, stated, total, line = failing[0]
        name = table.title or "三公经费表"
        details = ";".join(
            f"{c.label or '—'}:{NAMES[whole]}印为{fmt(s)}万元,"
            + "+".join(f"{NAMES[p]}{fmt(c.cells[p][0])}" for p in parts) + f"={fmt(t)}万元"
            for c, s, t, _ in failing)
        out.append(issue(
            "TP_PARTS_SUM", "error", "total_mismatch",
            f"{name} 第{line}行 {NAMES[whole]}", f"{fmt(total)}万元", f"{fmt(stated)}万元",
            f"《{name}》{NAMES[whole]}不等于其各项之和({details})。", line))
    return out


# --- the text against the table ----------------------------------------------------

_MENTION = re.compile(
    r"(?:公务用车|公车)(?:购置费?(?:及|和|与)运行(?:维护|维修)?费?|购置费?|运行(?:维护|维修)?费?)"
    r"|因公出国[(（]?境?[)）]?费?|公务接待费?")
_FIGURE = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)万元")
_COMPARED = re.compile(r"上年|去年|上一年|同比|相比|比|较|增加|减少|下降|增长|降低|持平|节约|超支|占")


def _text_mentions(sentence: str, phase: str | None):
    """(category, budget|final, amount, offset) stated in one sentence."""
    hits = list(_MENTION.finditer(sentence))
    for k, m in enumerate(hits):
        cat = category(m.group())
        if cat is None:
            continue
        end = hits[k + 1].start() if k + 1 < len(hits) else len(sentence)
        segment, pos = sentence[m.end():end], 0
        for f in _FIGURE.finditer(segment):
            prefix, pos = segment[pos:f.start()], f.end()
            if _COMPARED.search(prefix) or "上年" in sentence[:m.start()][-6:]:
                break
            if "决算" in prefix or "实际支出" in prefix:
                kind = "final"
            elif "预算" in prefix:
                kind = "budget"
            elif len(prefix) <= 4 and phase in ("final", "budget"):
                kind = phase           # 其中：公务用车购置费0万元 (a 决算's figure is its 决算)
            else:
                break
            yield cat, kind, Decimal(f.group(1).replace(",", "")), m.start()


def _text_against(ctx, table: ThreePublicTable) -> list[dict]:
    by_kind = {}
    for col in table.columns:
        if col.kind and col.kind not in by_kind:
            by_kind[col.kind] = col
    out, seen = [], set()
    mentioned = ctx.hits((_MENTION,))   # the passages naming a category (a sentence's are its passage's)
    for s in ctx.sentences:
        if id(s.passage) not in mentioned or "\t" in ctx.lines[s.line - 1]:
            continue
        for cat, kind, value, at in _text_mentions(s.text, ctx.phase):
            col = by_kind.get(kind)
            if col is None or cat not in col.cells or (cat, kind, s.line) in seen:
                continue
            seen.add((cat, kind, s.line))
            printed, line = col.cells[cat]
            if abs(printed - value) <= TOLERANCE:
                continue
            word = "预算" if kind == "budget" else "决算"
            out.append(issue(
                "TP_CATEGORY_TEXT", "warning", "contradictory_figures",
                f"{ctx.where(s.line)} vs {table.title or '三公经费表'} 第{line}行 {NAMES[cat]}{word}",
                f"{fmt(printed)}万元", f"{fmt(value)}万元",
                f"说明“{quote(s.text, at)}”称{NAMES[cat]}{word}为{fmt(value)}万元,"
                f"《{table.title or '三公经费表'}》{col.label or ''}该项为{fmt(printed)}万元。", s.line))
    return out


# 经济分类 款 of the basic-expenditure table that are 三公 categories
ECONOMIC_CODES = {"30212": "abroad", "30217": "reception", "30231": "vehicle_operation",
                  "31013": "vehicle_purchase"}


def _economic_against(ctx, facts, table: ThreePublicTable) -> list[dict]:
    """The basic-expenditure table's 三公 款 against the 三公 table's figure of
    that category, in the report's own phase (决算数 of a 决算, 预算数 of a 预算)."""
    col = next((c for c in table.columns if c.kind == ctx.phase), None)
    if col is None:
        return []
    out, seen = [], set()
    for r in facts.get("line_items", []):
        cat = ECONOMIC_CODES.get(r.get("code") or "")
        if r.get("table_kind") != "basic_economic" or cat is None or r.get("amount_wan_yuan") is None \
                or cat not in col.cells or (r["table_no"], r["code"]) in seen:
            continue
        seen.add((r["table_no"], r["code"]))
        basic, (printed, line) = Decimal(r["amount_wan_yuan"]), col.cells[cat]
        if abs(basic - printed) <= TOLERANCE:
            continue
        word = "预算" if ctx.phase == "budget" else "决算"
        more = basic > printed    # basic spending alone above the category's whole: a contradiction
        if not more and ctx.phase != "final":
            continue              # a budget need not say which 三公 money its projects carry
        out.append(issue(
            "TP_ECONOMIC_LINES", "warning" if more else "info", "contradictory_figures",
            f"table {r['table_no']} {r['code']} {r['line_name']} vs {table.title} 第{line}行 {NAMES[cat]}{word}",
            f"{fmt(printed)}万元", f"{fmt(basic)}万元",
            f"表{r['table_no']}《{r['table_title']}》{r['code']}{r['line_name']}为{fmt(basic)}万元,"
            f"《{table.title}》{NAMES[cat]}{word}为{fmt(printed)}万元"
            + ("。" if more else "(若差额由项目支出列支则不矛盾,报告未说明)。"), r["source_line"]))
    return out


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    found = tables(ctx.lines, ctx.fiscal_year, ctx.phase)
    out = []
    for table in found:
        out.extend(_sums(table))
    official = next((t for t in found if "三公" in t.title), None)
    if official is not None:
        out.extend(_text_against(ctx, official))
        out.extend(_economic_against(ctx, facts, official))
    return out
