"""Performance self-evaluations (绩效自评): indicator rows and project executions.

Three layouts are read, each found by its own header, never by its position:

1. **Standard self-evaluation tables** (财预〔2020〕10号 form: 部门整体支出绩效自评表,
   项目支出绩效自评表). A header row names 一级指标 / 二级指标 / 三级指标 /
   年度指标值 / 实际完成值 / 分值 / 得分; the cells of each indicator row are read
   by the header's column positions. Quirks:

   * level labels carry point annotations (``产出 指标 (50 分)``) and are broken
     by the converter into pieces with spaces; they are squashed and the
     annotation dropped. A level label printed once spans the following rows
     (merged cells): blank level cells inherit the label above, and a new
     level1 resets the level2 carried over.
   * the funding block above the indicators (``年度资金总额`` with 年初预算数 /
     全年预算数 / 全年执行数 / 分值 / 执行率 / 得分) gives a project its budget
     execution, and the ``总分`` row its total weight and score.
   * the project name is the cell after ``项目支出名称`` / ``项目名称``; the scope is
     ``department`` when the title says 部门/单位整体.
   * OCR noise is kept as printed (``》80%``); the parser reads ``》`` as ≥ and
     ``《`` as ≤ when it parses the operator.

2. **Scoring sheets** (部门整体支出绩效自评指标评分表 of some provinces): a header
   with 一级指标 / 分值 / 二级指标 / 分值 / 三级指标 / 分值 / 得分 and long
   explanation columns, no 指标值. Converted sheets are often shifted: rows lose
   their empty cells so that numbers and names slide left, names are missing,
   and level labels are displaced to the end of the table. Rows are therefore
   read by *kind of cell*: the short text cells before the first number are
   level labels, the first two numbers are weight and score, a short text right
   after the numbers is the indicator name; explanation cells (反映…, long
   sentences) are not names. A level2 label carried down from a row above is
   kept only while the rows still speak of it (its stem, e.g. 采购 of 采购管理,
   appears in the row's text) — when the next group's label was lost, its rows
   get no level2 rather than a wrong one. Label rows printed after the
   indicators (``运行成本 3``) are re-attached to the unlabelled rows just
   above whose weights add up to the label's weight. Identical consecutive rows
   are a converter duplicate and are read once.

3. **Assessment lists in prose** (绩效管理工作考核: ``一、基础工作（总分 16 分，
   总得分 16 分）`` followed by ``（一）、组织保障，……得 2 分；……该项得 3 分``).
   Each ``该项得 N 分`` closes one criterion; its name is the short phrase after
   the ``（一）`` marker; its weight is the single full mark the criterion states
   (``得 5 分`` / ``最高得 3 分`` / ``× 4 分``), none when the rule adds several
   partial marks. Lines broken in mid-sentence are joined first.

Projects are also read from the 部门整体支出绩效评价基础数据表 (``项目支出：``
followed by numbered project rows under 预算数 / 决算数 columns) and from prose
lists (``1、某项目经费预算51.96万元，执行完成51.96万元；`` or ``某资金 0.9 万元，
已全部支出``). A project stated by several sources is kept once: the
self-evaluation table wins over the basic data table and prose when their budget
and spending agree; prose lists stating the same project twice are merged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.numbers import parse_amount, to_wan_yuan
from ingest.parsers import Parsed as StageOutput
from ingest.parsers.rules import selfeval_flat
from ingest.text import fold_width, normalize_label, split_cells

# ---------------------------------------------------------------------------
# small text helpers

_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_SENTENCE_END = "。；;：:！!？?"


def clean_label(cell: str | None) -> str:
    """A level label as compared: squashed, folded, point annotation dropped."""
    return _POINTS.sub("", normalize_label(cell))


def as_number(cell: str | None) -> Decimal | None:
    """A score/weight/amount cell as a Decimal (``41.76%`` → 41.76), else None."""
    s = normalize_label(cell).rstrip("%")
    if s.endswith("分") and s[:-1][-1:].isdigit():
        s = s[:-1]
    return parse_amount(s) if s else None


def is_number(cell: str | None) -> bool:
    return as_number(cell) is not None


_MONEY_SUFFIX = re.compile(r"^(.*?\d)\s*(万元|万|元)$")


def as_money(cell: str | None) -> Decimal | None:
    """An amount cell in 万元; a unit printed in the cell is read (``1234.56万``,
    ``12345.6元`` → 1.23456)."""
    s = normalize_label(cell)
    m = _MONEY_SUFFIX.match(s)
    if not m:
        return as_number(s)
    value = parse_amount(m.group(1))
    if value is None:
        return None
    return to_wan_yuan(value, "元") if m.group(2) == "元" else value


def cells_of(line: str) -> list[str]:
    return split_cells(line) if line.strip() else []


def joined_text(lines: list[str], start: int, end: int) -> tuple[str, list[int]]:
    """Squashed text of lines[start:end] and, per character, its 1-based line."""
    chars, where = [], []
    for i in range(start, min(end, len(lines))):
        s = normalize_label(lines[i])
        chars.append(s)
        where.extend([i + 1] * len(s))
    return "".join(chars), where


# ---------------------------------------------------------------------------
# target / actual values

_OPERATORS = (
    ("大于等于", "≥"), ("小于等于", "≤"), ("不低于", "≥"), ("不少于", "≥"),
    ("不高于", "≤"), ("不超过", "≤"), ("≥", "≥"), ("≤", "≤"), (">=", "≥"),
    ("<=", "≤"), ("》", "≥"), ("《", "≤"), ("＞", ">"), ("＜", "<"), (">", ">"),
    ("<", "<"), ("=", "="), ("大于", ">"), ("小于", "<"), ("达到", "≥"),
)
_UNITS = ("人次", "万元", "亿元", "元", "万人", "万", "%", "人", "家", "个", "年",
          "次", "件", "天", "户", "项", "分", "月", "条", "份", "场", "所", "批")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日|底|末)?(前|之前|以前)?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MONTH_END = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}


@dataclass(frozen=True)
class Parsed:
    operator: str | None
    value: float | None
    unit: str | None


def split_operator(text: str) -> tuple[str | None, str]:
    for word, op in _OPERATORS:
        if text.startswith(word):
            return op, text[len(word):]
    return None, text


def parse_date(text: str) -> Parsed | None:
    """``2023年12月底前`` → (≤, 20231231, date)."""
    m = _DATE.match(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    day = int(m.group(3)) if m.group(3) else _MONTH_END.get(month, 31)
    return Parsed("≤" if m.group(4) else None, float(year * 10000 + month * 100 + day), "date")


def parse_value(text: str | None) -> Parsed:
    """Operator, number and unit of a printed target/actual; text stays unparsed."""
    s = normalize_label(text)
    op, rest = split_operator(s)
    date = parse_date(rest)
    if date:
        return Parsed(op or date.operator, date.value, date.unit)
    m = _NUMBER.match(rest)
    if not m:
        return Parsed(op, None, None)
    tail = rest[m.end():]
    unit = next((u for u in _UNITS if tail.startswith(u)), None)
    return Parsed(op, float(m.group()), unit)


# ---------------------------------------------------------------------------
# structures shared with ingest.checks.selfeval_checks


@dataclass
class Indicator:
    scope: str
    project_name: str | None
    level1: str | None
    level2: str | None
    name: str | None
    target: str | None
    actual: str | None
    weight: Decimal | None
    score: Decimal | None
    line: int
    level2_printed: bool = False
    flags: list[str] = field(default_factory=list)


@dataclass
class Funding:
    initial: Decimal | None
    annual: Decimal | None
    executed: Decimal | None
    weight: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    line: int


@dataclass
class EvalTable:
    """One self-evaluation table or scoring list with what it prints about itself."""
    kind: str                    # standard / scoring_sheet / assessment
    scope: str                   # department / project
    project_name: str | None
    title_line: int
    indicators: list[Indicator] = field(default_factory=list)
    funding: Funding | None = None
    goal_target: str | None = None
    goal_actual: str | None = None
    goal_line: int | None = None
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    total_line: int | None = None
    level_points: dict = field(default_factory=dict)   # label → (weight, score, line)
    rubric: str | None = None                          # printed scoring rule text
    flags: list[str] = field(default_factory=list)     # e.g. flattened_low_confidence


# ---------------------------------------------------------------------------
# 1. standard tables

_STD_HEADER = {"level1": ("一级指标",), "level2": ("二级指标",), "level3": ("三级指标",),
               "target": ("年度指标值", "指标值", "目标值"),
               "actual": ("实际完成值", "实际值", "完成值"),
               "weight": ("分值", "权重"), "score": ("得分",)}
_FUND_HEADER = {"initial": ("年初预算数",), "annual": ("全年预算数",),
                "executed": ("全年执行数", "执行数"), "weight": ("分值",),
                "rate": ("执行率",), "score": ("得分",)}


_HEADER_NOTE = re.compile(r"[(（][^()（）]*[)）]")


def header_map(cells: list[str], spec: dict) -> dict[str, int]:
    """Column index of each wanted header (first cell containing one of its names).

    A bracketed note is not part of the name (``全年预算数(A)``,
    ``预算执行率(B/A×100%)``)."""
    names = [_HEADER_NOTE.sub("", normalize_label(c)) for c in cells]
    found: dict[str, int] = {}
    for key, wanted in spec.items():
        for i, name in enumerate(names):
            if i in found.values():
                continue
            if any(w == name or (w in name and len(name) <= len(w) + 4) for w in wanted):
                found[key] = i
                break
    return found


def is_standard_header(line: str) -> bool:
    s = normalize_label(line)
    return all(k in s for k in ("一级指标", "二级指标", "三级指标")) and "指标值" in s


def is_scoring_header(line: str) -> bool:
    s = normalize_label(line)
    return (all(k in s for k in ("一级指标", "二级指标", "三级指标")) and "指标值" not in s
            and "得分" in s)


def table_scope(title: str) -> str:
    return "department" if re.search(r"部门整体|单位整体|整体支出|部门\(单位\)整体", title) else "project"


def find_title(lines: list[str], header: int, floor: int) -> tuple[int, str]:
    """The nearest 自评表/评分表 title above a header (index, squashed text).

    A bare sub-title (``指标评分表``) is passed over for a nearer full title that
    says whose table it is (整体 / 项目)."""
    first = None
    for i in range(header - 1, max(floor, header - 40) - 1, -1):
        s = normalize_label(lines[i])
        if re.search(r"(自评表|评分表|评价表)$", s) and len(s) < 60:
            if re.search(r"整体|项目", s):
                return i, s
            first = first or (i, s)
    return first or (header, "")


def labelled_value(lines: list[str], start: int, end: int, labels: tuple[str, ...]) -> tuple[str | None, int | None]:
    """The first non-empty cell after a cell printing one of ``labels``."""
    for i in range(start, end):
        cells = cells_of(lines[i])
        for j, c in enumerate(cells):
            if normalize_label(c) in labels:
                rest = [normalize_label(x) for x in cells[j + 1:] if normalize_label(x)]
                if rest:
                    return rest[0], i + 1
    return None, None


def read_funding(lines: list[str], start: int, end: int) -> Funding | None:
    """The 年度资金总额 row under its 年初预算数/全年预算数/… header."""
    cols = None
    for i in range(start, end):
        cells = cells_of(lines[i])
        text = normalize_label(lines[i])
        if "全年预算数" in text and ("年初预算数" in text or "执行数" in text):
            cols = header_map(cells, _FUND_HEADER)
            continue
        if cols and any(normalize_label(c).endswith("资金总额") for c in cells):
            get = lambda k: as_money(cells[cols[k]]) if k in cols and cols[k] < len(cells) else None  # noqa: E731
            return Funding(get("initial"), get("annual"), get("executed"), get("weight"),
                           get("rate"), get("score"), i + 1)
    return None


def read_goal(lines: list[str], start: int, end: int) -> tuple[str | None, str | None, int | None]:
    """预期目标 / 实际完成情况 texts of the 年度总体目标 block."""
    for i in range(start, end):
        if "预期目标" in normalize_label(lines[i]) and i + 1 < end:
            texts = [normalize_label(c) for c in cells_of(lines[i + 1]) if normalize_label(c)]
            if texts:
                return texts[0], texts[1] if len(texts) > 1 else None, i + 2
    return None, None, None


def is_total_label(text: str) -> bool:
    return text in ("总分", "合计", "总计", "合计得分", "总得分", "自评得分", "自评总分", "总分值")


_PLACEHOLDER = re.compile(r"^(?:指标\d+[:：]?|[…\.。]{2,}|×+|X+|\*+|[(（]?填写[^)）]*[)）]?|请填写.*)$")


def is_placeholder(text: str | None) -> bool:
    """Template text the reporter left unfilled (``指标1：``, ``……``, ``请填写…``)."""
    return bool(text) and bool(_PLACEHOLDER.match(normalize_label(text)))


def read_standard_rows(lines: list[str], header: int, table: EvalTable) -> int:
    """Indicator rows below a standard header; returns the index after the table."""
    cols = header_map(cells_of(lines[header]), _STD_HEADER)
    l1 = l2 = None
    i = header + 1
    while i < len(lines):
        raw = lines[i]
        cells = cells_of(raw)
        texts = [normalize_label(c) for c in cells]
        if not raw.strip():
            i += 1
            continue
        if len(cells) < 4 or is_standard_header(raw):
            break
        nonempty = [t for t in texts if t]
        if nonempty and is_total_label(nonempty[0]):
            get = lambda k: as_number(cells[cols[k]]) if k in cols and cols[k] < len(cells) else None  # noqa: E731
            numbers = [as_number(c) for c in cells if is_number(c)]
            table.total_weight = get("weight") if get("weight") is not None else (numbers[0] if numbers else None)
            table.total_score = get("score") if get("score") is not None else (numbers[-1] if len(numbers) > 1 else None)
            table.total_line = i + 1
            return i + 1
        cell = lambda k: cells[cols[k]] if k in cols and cols[k] < len(cells) else ""  # noqa: E731
        new_l1, new_l2 = clean_label(cell("level1")), clean_label(cell("level2"))
        if new_l1:
            note_points(table, new_l1, cell("level1"), i + 1)
            l1, l2 = new_l1, None
        if new_l2:
            note_points(table, new_l2, cell("level2"), i + 1)
            l2 = new_l2
        name = normalize_label(cell("level3"))
        weight, score = as_number(cell("weight")), as_number(cell("score"))
        target, actual = normalize_label(cell("target")), normalize_label(cell("actual"))
        if is_placeholder(name) and weight is None and score is None and (
                not target or is_placeholder(target)) and (not actual or is_placeholder(actual)):
            i += 1              # a template row left unfilled: no indicator
            continue
        if name or weight is not None:
            table.indicators.append(Indicator(
                table.scope, table.project_name, l1, l2, name or None,
                fold_width(normalize_label(cell("target"))) or None,
                fold_width(normalize_label(cell("actual"))) or None,
                weight, score, i + 1, level2_printed=bool(new_l2),
                flags=["template_text"] if is_placeholder(name) or is_placeholder(target) else []))
        i += 1
    return i


def note_points(table: EvalTable, label: str, printed: str, line: int) -> None:
    """Remember a level label's printed point annotation (``产出指标 (50分)``)."""
    m = _POINTS.search(normalize_label(printed))
    if m:
        table.level_points.setdefault(label, []).append(
            (Decimal(_NUMBER.search(m.group()).group()), None, line))


def parse_standard(lines: list[str], header: int, floor: int) -> tuple[EvalTable, int]:
    title_idx, title = find_title(lines, header, floor)
    scope = table_scope(title)
    name = None
    if scope == "project":
        name, _ = labelled_value(lines, title_idx, header, ("项目支出名称", "项目名称"))
    table = EvalTable("standard", scope, name, title_idx + 1)
    table.funding = read_funding(lines, title_idx, header)
    table.goal_target, table.goal_actual, table.goal_line = read_goal(lines, title_idx, header)
    end = read_standard_rows(lines, header, table)
    return table, end


# ---------------------------------------------------------------------------
# 2. scoring sheets (shifted cells)

_EXPLANATION = re.compile(r"^(反映|根据|检查|部门\(单位\)|1\.|\d+\.)")
_STEM_SUFFIX = re.compile(r"(管理|指标|情况|效能|效率|效益|控制|成本)$")


def is_name_cell(text: str) -> bool:
    """A short label, not an explanation or a rule sentence."""
    return (bool(text) and not is_number(text) and len(text) <= 20
            and not _EXPLANATION.match(text) and not any(p in text for p in "。；;:："))


def is_long_text(text: str) -> bool:
    return bool(text) and not is_number(text) and not is_name_cell(text)


@dataclass
class SheetRow:
    labels: list[str]
    name: str | None
    weight: Decimal | None
    score: Decimal | None
    text: str
    line: int
    cells: tuple


def read_sheet_row(cells: list[str], line: int, cols: dict[str, int]) -> SheetRow:
    texts = [normalize_label(c) for c in cells]
    aligned = all(k in cols and cols[k] < len(texts) for k in ("level3", "weight", "score"))
    if aligned and is_name_cell(texts[cols["level3"]]) and is_number(texts[cols["weight"]]):
        labels = [texts[cols[k]] for k in ("level1", "level2") if k in cols and texts[cols[k]]]
        labels = [t for t in labels if not is_number(t)]
        return SheetRow(labels, texts[cols["level3"]], as_number(texts[cols["weight"]]),
                        as_number(texts[cols["score"]]), "".join(texts), line, tuple(texts))
    labels, numbers, name = [], [], None
    for t in texts:
        if not t:
            continue
        if is_number(t):
            numbers.append(as_number(t))
        elif not numbers and is_name_cell(t):
            labels.append(t)
        else:
            if numbers and name is None and is_name_cell(t):
                name = t
            break
    if name is None and labels and not numbers:
        name, labels = labels[-1], labels[:-1]
    elif name is None and labels:
        name, labels = labels[-1], labels[:-1]
    weight = numbers[0] if numbers else None
    score = numbers[1] if len(numbers) > 1 else None
    return SheetRow(labels, name, weight, score, "".join(texts), line, tuple(texts))


def stem(label: str) -> str:
    s = _STEM_SUFFIX.sub("", label)
    return s if len(s) >= 2 else label


def is_trailer(row: SheetRow) -> bool:
    """A row without explanation text: displaced labels, totals."""
    return not any(is_long_text(t) for t in row.cells)


def parse_scoring_sheet(lines: list[str], header: int, floor: int) -> tuple[EvalTable, int]:
    title_idx, title = find_title(lines, header, floor)
    table = EvalTable("scoring_sheet", table_scope(title or "整体"), None, title_idx + 1)
    cols = header_map(cells_of(lines[header]), {"level1": ("一级指标",), "level2": ("二级指标",),
                                                "level3": ("三级指标",), "score": ("得分/自评分", "得分", "自评分")})
    if "level3" in cols:
        cols["weight"] = cols["level3"] + 1
    rows, i = [], header + 1
    while i < len(lines) and (not lines[i].strip() or len(cells_of(lines[i])) >= 3):
        if lines[i].strip():
            row = read_sheet_row(cells_of(lines[i]), i + 1, cols)
            if not (rows and rows[-1].cells == row.cells):  # else a converter duplicate
                rows.append(row)
        i += 1
    cut = len(rows)
    while cut > 0 and is_trailer(rows[cut - 1]):
        cut -= 1
    body = [r for r in rows[:cut] if r.name or r.weight is not None]
    build_sheet_indicators(table, body)
    attach_trailer(table, rows[cut:])
    return table, i


def build_sheet_indicators(table: EvalTable, rows: list[SheetRow]) -> None:
    l1 = l2 = None
    for row in rows:
        if len(row.labels) >= 2:
            l1, l2 = row.labels[0], row.labels[1]
            printed2 = True
        elif len(row.labels) == 1:
            l1, l2, printed2 = row.labels[0], None, False
        else:
            printed2 = False
            if l2 and row.text.strip() and not_about(row, l2):
                l2 = None
        table.indicators.append(Indicator(table.scope, None, l1, l2, row.name, None, None,
                                          row.weight, row.score, row.line, level2_printed=printed2))


def not_about(row: SheetRow, label: str) -> bool:
    """The row has text but never mentions the carried label's stem."""
    text = "".join(t for t in row.cells if t and not is_number(t))
    return bool(text) and stem(label) not in text


def attach_trailer(table: EvalTable, trailer: list[SheetRow]) -> None:
    """Re-attach displaced level2 labels; read the printed totals."""
    known_l1 = {ind.level1 for ind in table.indicators}
    labels, totals = [], []
    for row in trailer:
        name = row.name or (row.labels[-1] if row.labels else None)
        if name and is_total_label(name):
            totals.append((row.weight, row.line))
        elif name and name not in known_l1:
            labels.append((name, row.weight))
        elif not name and row.weight is not None:
            totals.append((row.weight, row.line))
    pool = [ind for ind in table.indicators if ind.level2 is None]
    for name, weight in reversed(labels):
        take = take_by_weight(pool, weight)
        for ind in take:
            ind.level2 = name
        pool = pool[:len(pool) - len(take)] if take else pool
    if totals:
        table.total_weight, table.total_line = totals[0]
        if len(totals) > 1:
            table.total_score = totals[-1][0]
            table.total_line = totals[-1][1]


def take_by_weight(pool: list[Indicator], weight: Decimal | None) -> list[Indicator]:
    """The rows at the end of ``pool`` that a displaced label covers."""
    if weight is None:
        out = []
        for ind in reversed(pool):
            if ind.weight is not None:
                break
            out.append(ind)
        return out
    total, out = Decimal(0), []
    for ind in reversed(pool):
        if ind.weight is None:
            return []
        total += ind.weight
        out.append(ind)
        if total == weight:
            return out
        if total > weight:
            return []
    return []


# ---------------------------------------------------------------------------
# 3. assessment lists in prose

_SECTION = re.compile(r"^[一二三四五六七八九十]+、(?P<name>[^（(]{2,20})[（(]总分(?:为)?(?P<w>\d+(?:\.\d+)?)分"
                      r"[,，]?(?:总)?得分(?:为)?(?P<s>\d+(?:\.\d+)?)分[）)]")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_ITEM_END = re.compile(r"该项得(?:分为)?(\d+(?:\.\d+)?)分")
_MARKER = re.compile(r"^[;；。，,、]*[（(][一二三四五六七八九十\d]+[）)]、?")
_FULL_MARK = re.compile(r"(?:最高得|得|×|\\times|乘以)(\d+(?:\.\d+)?)分")
_EXTRA_MARK = re.compile(r"加(\d+(?:\.\d+)?)分")
_NAME_NOUNS = ("范围", "规模", "应用", "反馈", "控制", "公开", "保障", "建设", "评估", "质量", "管理")


def criterion_name(text: str) -> str | None:
    """The short name after a ``（一）、`` marker, cut at its comma."""
    m = _MARKER.match(text)
    if not m:
        return None
    rest = text[m.end():]
    head = re.split(r"[,，。;；]", rest, maxsplit=1)[0]
    if 2 <= len(head) <= 8 and "、" not in head:
        return head
    cuts = [n for n in range(2, 9) if rest[:n].endswith(_NAME_NOUNS)]
    return rest[:max(cuts)] if cuts else None


def criterion_weight(text: str) -> Decimal | None:
    """The one full mark a criterion states; None when it adds several marks."""
    marks = _FULL_MARK.findall(text) + _EXTRA_MARK.findall(text)
    return Decimal(marks[0]) if len(marks) == 1 else None


def assessment_sections(lines: list[str]) -> list[tuple[int, re.Match, int]]:
    """(line index, heading match, end index) of each scored section."""
    found = []
    for i, line in enumerate(lines):
        m = _SECTION.match(normalize_label(line))
        if m:
            found.append((i, m))
    out = []
    for k, (i, m) in enumerate(found):
        end = i + 1
        while end < len(lines) and not _HEADING.match(normalize_label(lines[end])):
            end += 1
        out.append((i, m, end))
    return out


def parse_assessment(lines: list[str]) -> list[EvalTable]:
    sections = assessment_sections(lines)
    if not sections:
        return []
    table = EvalTable("assessment", "department", None, sections[0][0] + 1)
    for i, m, end in sections:
        level1 = m.group("name")
        table.level_points.setdefault(level1, []).append(
            (Decimal(m.group("w")), Decimal(m.group("s")), i + 1))
        text, where = joined_text(lines, i + 1, end)
        pos = 0
        for item in _ITEM_END.finditer(text):
            body = text[pos:item.start()]
            body = body.lstrip("，,;；。")
            table.indicators.append(Indicator(
                "department", None, level1, None, criterion_name(body), None, None,
                criterion_weight(body), Decimal(item.group(1)),
                where[pos] if pos < len(where) else i + 1))
            pos = item.end()
    return [table]


# ---------------------------------------------------------------------------
# projects from the basic data table and prose

@dataclass
class ProjectRow:
    name: str
    initial: Decimal | None
    annual: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    origin: str
    line: int


_NUMBERED = re.compile(r"^\d+[、.．]\s*")


def basic_data_projects(lines: list[str]) -> list[ProjectRow]:
    """Numbered rows under ``项目支出：`` in a 基础数据表 (预算数 / 决算数 columns)."""
    out, cols = [], {}
    for i, line in enumerate(lines):
        cells = cells_of(line)
        names = [normalize_label(c) for c in cells]
        if any(n.endswith("预算数") for n in names) and any(n.endswith("决算数") for n in names):
            cols = {"annual": max(j for j, n in enumerate(names) if n.endswith("预算数")),
                    "executed": max(j for j, n in enumerate(names) if n.endswith("决算数"))}
            continue
        if cols and names and names[0].rstrip(":：") == "项目支出":
            j = i + 1
            while j < len(lines) and _NUMBERED.match(normalize_label(lines[j])):
                row = cells_of(lines[j])
                get = lambda k: as_number(row[cols[k]]) if cols[k] < len(row) else None  # noqa: E731
                name = _NUMBERED.sub("", normalize_label(row[0]))
                out.append(ProjectRow(name, None, get("annual"), get("executed"), None, None,
                                      "basic_data_table", j + 1))
                j += 1
    return out


_AMOUNT = r"(\d+(?:\.\d+)?)万元"
# (?<!\d): the budget is a whole number, so a long run of digits is not
# retried at every split between name and budget (linear, not 80 × the run).
_PROSE_PROJECT = re.compile(
    r"^(?:\d+[、.．])?(?P<name>[^，,。；;：:]{3,80}?)[：:]?(?:项目资金)?(?:预算(?:资金)?)?(?<!\d)(?P<budget>\d+(?:\.\d+)?)万元"
    r"(?P<rest>[，,].*|$)")
_PROSE_NOBUDGET = re.compile(
    r"^(?:\d+[、.．])?(?P<name>[^，,。；;：:]{3,80}?)[：:]?(?:执行到位(?P<arrived>\d+(?:\.\d+)?)万元[，,])?"
    r"(?:执行完成|实际支付)(?P<spent>\d+(?:\.\d+)?)万元")
_SPENT = re.compile(r"(?:实际支付|执行完成|已上缴|(?<![未全])支出|实际使用资金)" + _AMOUNT)
_ARRIVED = re.compile(r"执行到位" + _AMOUNT)
_ALL_SPENT = re.compile(r"已全部(?:支出|使用|拨付|支付)")
_PROJECTISH = re.compile(r"(经费|资金|费|保险|配套|补助|项目|\))$")


def prose_project(text: str, line: int) -> ProjectRow | None:
    """One list item stating a project's budget and what was spent."""
    m = _PROSE_PROJECT.match(text)
    if m and _PROJECTISH.search(m.group("name")):
        rest = m.group("rest")
        budget = Decimal(m.group("budget"))
        spent = _SPENT.search(rest)
        if spent:
            executed = Decimal(spent.group(1))
        elif _ALL_SPENT.search(rest):
            executed = budget
        elif re.search(r"未拨付|未支出|由财政统一", rest):
            executed = None
        else:
            return None
        return ProjectRow(m.group("name"), None, budget, executed, None, None, "prose", line)
    m = _PROSE_NOBUDGET.match(text)
    if m and _PROJECTISH.search(m.group("name")):
        arrived = Decimal(m.group("arrived")) if m.group("arrived") else None
        spent = Decimal(m.group("spent"))
        return ProjectRow(m.group("name"), None, arrived if arrived is not None else spent, spent,
                          None, None, "prose", line)
    return None


def prose_projects(lines: list[str]) -> list[ProjectRow]:
    """Projects of numbered prose lists (and unnumbered items right after them)."""
    out: list[ProjectRow] = []
    last_hit = -10
    for i, line in enumerate(lines):
        s = fold_width(normalize_label(line))
        if not s or "\t" in line:
            continue
        numbered = bool(_NUMBERED.match(s))
        if not numbered and i - last_hit > 4:
            continue
        row = prose_project(s, i + 1)
        if row:
            row.name = fold_width(row.name)
            out.append(row)
            last_hit = i
    return merge_prose(out)


def merge_prose(rows: list[ProjectRow]) -> list[ProjectRow]:
    """The same project listed twice in prose: one row with every stated figure."""
    merged: dict[str, ProjectRow] = {}
    for r in rows:
        if r.name in merged:
            m = merged[r.name]
            m.annual = m.annual if m.annual is not None else r.annual
            m.executed = m.executed if m.executed is not None else r.executed
        else:
            merged[r.name] = r
    return list(merged.values())


def table_projects(tables: list[EvalTable]) -> list[ProjectRow]:
    out = []
    for t in tables:
        if t.scope == "project" and t.project_name and t.funding:
            f = t.funding
            out.append(ProjectRow(fold_width(t.project_name), f.initial, f.annual, f.executed, f.rate,
                                  t.total_score, "self_evaluation_table", f.line))
    return out


def same_project(a: ProjectRow, b: ProjectRow) -> bool:
    if normalize_label(a.name) == normalize_label(b.name):
        return True
    return (a.annual is not None and a.annual == b.annual
            and a.executed is not None and a.executed == b.executed)


def combine_projects(tables: list[EvalTable], lines: list[str]) -> list[ProjectRow]:
    """Self-evaluation tables first; other sources only for projects not yet seen.

    Another source's row is the table's project when the names agree or when
    its budget and spending equal the table's (names differ between the
    report's tables: 医保工作经费 / 医保工作专项经费)."""
    tabled = table_projects(tables)
    out = list(tabled)
    for r in basic_data_projects(lines) + prose_projects(lines):
        if any(same_project(r, t) for t in tabled):
            continue
        if any(normalize_label(r.name) == normalize_label(o.name) for o in out):
            continue
        out.append(r)
    return out


# ---------------------------------------------------------------------------
# driver

def parse_tables(lines: list[str]) -> list[EvalTable]:
    """Every self-evaluation table, scoring sheet and assessment list of a report."""
    tables: list[EvalTable] = []
    floor, i = 0, 0
    while i < len(lines):
        if selfeval_flat.is_flattened_sheet(lines[i]):
            tables.append(parse_flattened(lines[i], i + 1))
            floor, i = i + 1, i + 1
        elif is_standard_header(lines[i]):
            table, end = parse_standard(lines, i, floor)
            tables.append(table)
            floor, i = end, end
        elif is_scoring_header(lines[i]):
            table, end = parse_scoring_sheet(lines, i, floor)
            tables.append(table)
            floor, i = end, end
        else:
            i += 1
    tables.extend(parse_assessment(lines))
    return tables


def parse_flattened(line: str, number: int) -> EvalTable:
    """A sheet flattened onto one line: what it states unambiguously, flagged."""
    got = selfeval_flat.read_flattened(line)
    scope = table_scope(got["title"] or "")
    name = got["project_name"] if scope == "project" else None
    table = EvalTable("flattened", scope, name, number, flags=[selfeval_flat.FLAG])
    money = got["money"]
    if money and money.get("annual") is not None:
        table.funding = Funding(money.get("initial"), money.get("annual"), money.get("executed"),
                                money.get("weight"), money.get("rate"), money.get("score"), number)
    for ind in got["indicators"]:
        table.indicators.append(Indicator(scope, name, ind["level1"], ind["level2"], ind["name"],
                                          None, None, ind["weight"], ind["score"], number,
                                          level2_printed=ind["level2"] is not None,
                                          flags=[selfeval_flat.FLAG]))
    if got["total"]:
        table.total_weight, table.total_score = got["total"]
        table.total_line = number
    return table


def flattened_issues(tables: list[EvalTable]) -> list[dict]:
    """One low-confidence notice per sheet read from a flattened line."""
    return [{"check_id": "selfeval_flattened_table", "severity": "warning",
             "kind": "low_confidence_table", "location": t.project_name or "自评表",
             "expected": None, "observed": f"{len(t.indicators)} indicators",
             "description": "自评表被压平为一行(单元格以空格分隔)：只读取了项目、资金和指标名称及分值、得分，"
                            "指标值与实际完成值未读取",
             "source_line": t.title_line}
            for t in tables if selfeval_flat.FLAG in t.flags]


def parsed_fields(text: str | None, prefix: str) -> dict:
    p = parse_value(text)
    return {f"{prefix}_operator": p.operator, f"{prefix}_value": p.value, f"{prefix}_unit": p.unit}


def indicator_row(ind: Indicator) -> dict:
    target = parse_value(ind.target)
    return {
        "scope": ind.scope,
        "project_name": fold_width(ind.project_name) if ind.project_name else None,
        "level1": ind.level1,
        "level2": ind.level2,
        "indicator_name": ind.name,
        "target_text": ind.target,
        "actual_text": ind.actual,
        "weight": ind.weight,
        "score": ind.score,
        **parsed_fields(ind.target, "target"),
        **parsed_fields(ind.actual, "actual"),
        "is_qualitative": bool(ind.target) and target.value is None,
        "flags": ",".join(ind.flags),
        "source_line": ind.line,
    }


def project_row(p: ProjectRow) -> dict:
    return {
        "project_name": p.name,
        "initial_budget_wan_yuan": p.initial,
        "annual_budget_wan_yuan": p.annual,
        "executed_wan_yuan": p.executed,
        "execution_rate_pct": p.rate,
        "score": p.score,
        "origin": p.origin,
        "source_line": p.line,
    }


def extract(lines: list[str]) -> StageOutput:
    """Indicators and projects; the typed tables go to the metrics stage and to
    :mod:`ingest.checks.selfeval_checks`, whose flags ``refresh`` picks up."""
    tables = parse_tables(lines)
    projects = [project_row(p) for p in combine_projects(tables, lines)]

    def rows() -> dict[str, list[dict]]:
        return {"indicators": [indicator_row(ind) for t in tables for ind in t.indicators],
                "projects": projects, "quality_issues": flattened_issues(tables)}

    return StageOutput(rows(), value=tables, refresh=rows)
