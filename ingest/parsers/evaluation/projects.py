"""Projects of a self-evaluation report: the basic data table, prose lists, and
the one row kept where several sources state the same project."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.parsers.evaluation.model import EvalTable, as_number, cells_of, column_cell, squashed_index
from ingest.prefilter import JoinedLines, required
from ingest.text import fold_width, normalize_label

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


def basic_data_projects(lines: list[str], index: JoinedLines | None = None) -> list[ProjectRow]:
    """Numbered rows under ``项目支出：`` in a 基础数据表 (预算数 / 决算数 columns)."""
    out, cols = [], {}
    index = index or squashed_index(lines)
    for i in index.holding_any(("预算数", "项目支出")):   # what a header or a 项目支出 row holds
        line, flat = lines[i], index.flat[i]   # flat holds every cell's label: a header holds both words,
        header = "预算数" in flat and "决算数" in flat    # and starts with its first cell's
        if not header and not (cols and flat.startswith("项目支出")):
            continue
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
                name = _NUMBERED.sub("", normalize_label(row[0]))
                out.append(ProjectRow(name, None, as_number(column_cell(row, cols, "annual")),
                                      as_number(column_cell(row, cols, "executed")), None, None,
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


# every item states an amount in 万元: a line without one is no item (nor moves last_hit)
_ITEM_WORDS = {max(required(p), key=len) for p in (_PROSE_PROJECT, _PROSE_NOBUDGET)}


def prose_projects(lines: list[str], index: JoinedLines | None = None) -> list[ProjectRow]:
    """Projects of numbered prose lists (and unnumbered items right after them)."""
    out: list[ProjectRow] = []
    last_hit = -10
    index = index or squashed_index(lines)
    for i in index.holding_any(_ITEM_WORDS):
        if "\t" in lines[i]:
            continue
        s = index.flat[i]   # (folded already)
        if not s:
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


def combine_projects(tables: list[EvalTable], lines: list[str],
                     index: JoinedLines | None = None) -> list[ProjectRow]:
    """Self-evaluation tables first; other sources only for projects not yet seen.

    Another source's row is the table's project when the names agree or when
    its budget and spending equal the table's (names differ between the
    report's tables: 医保工作经费 / 医保工作专项经费)."""
    tabled = table_projects(tables)
    out = list(tabled)
    index = index or squashed_index(lines)
    for r in basic_data_projects(lines, index) + prose_projects(lines, index):
        if any(same_project(r, t) for t in tabled):
            continue
        if any(normalize_label(r.name) == normalize_label(o.name) for o in out):
            continue
        out.append(r)
    return out
