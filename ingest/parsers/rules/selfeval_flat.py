"""Self-evaluation sheets flattened onto one line by a document-sharing site.

Such sites extract a table's cells in reading order and join them with
spaces, so a whole 项目支出绩效自评表 arrives as one long line
(``项目支出绩效自评表 项目名称 某某经费 … 年度资金总额 20 20 18.5 10 92.5% 9.25
… 三级指标 年度指标值 实际完成值 分值 得分 … 检查定点机构数量 ≥50家 52家 20 20 …
总分 100 93.25``), sometimes with cells out of order. What is recovered, and
only where it is unambiguous:

* the project: the token after ``项目名称`` / ``项目支出名称``;
* the money block: the tokens after ``…资金总额`` mapped onto the money header
  (``年初预算数 全年预算数 全年执行数 分值 执行率 得分``) when exactly as many
  amounts follow as the header has columns — otherwise nothing;
* indicators: each pair of bare numbers (weight, score) after the indicator
  header closes one indicator, named by the nearest text token before it
  that is not a value (no digit, no operator, not a level label); level
  labels (``产出指标`` / ``数量指标`` …) seen on the way are carried;
* ``总分`` with the two numbers after it: total weight and score.

Targets and actual values are not paired (their order is not reliable), and
every row read this way is flagged ``flattened_low_confidence``; the table
gets a ``selfeval_flattened_table`` quality issue.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.text import fold_width
from ingest.vocabularies import indicator_levels, selfeval_header

MIN_TOKENS = 25
_SHEET = re.compile(r"绩效(?:目标)?自评表")
_LEVEL1 = frozenset(indicator_levels())                                  # indicator_levels.csv
_LEVEL2 = frozenset(l2 for l2s in indicator_levels().values() for l2 in l2s)
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_VALUE = re.compile(r"\d|[≥≤=><》《]|^(?:优|良|中|低|差|是|否|好|较好|达标|完成|已完成)$")
_HEADER_WORDS = frozenset(w for kind in ("indicators", "unread_columns")        # selfeval_headers.csv
                          for words in selfeval_header(kind).values() for w in words)
_FUND_KEYS = tuple((words[0], key) for key, words in selfeval_header("funding").items())
_DASH = {"—", "-", "--", "/", "——"}
FLAG = "flattened_low_confidence"
HEADER_WORDS = ("三级指标", "一级指标")   # both printed on every flattened sheet


def is_flattened_sheet(line: str) -> bool:
    """One line holding a whole self-evaluation sheet (no tabs, many tokens)."""
    if "\t" in line or HEADER_WORDS[0] not in line or HEADER_WORDS[1] not in line:
        return False   # (folding changes no ideograph: the words are in the line as read)
    text = fold_width(line)
    return bool(_SHEET.search(text)) and len(text.split()) >= MIN_TOKENS


def _number(token: str) -> Decimal | None:
    t = token.rstrip("%")
    for suffix in ("万元", "万"):
        if t.endswith(suffix):
            t = t[: -len(suffix)]
    return Decimal(t) if _PLAIN_NUMBER.match(t) else None


def _after(tokens: list[str], labels: tuple[str, ...]) -> str | None:
    for k, t in enumerate(tokens[:-1]):
        if t in labels:
            return tokens[k + 1]
    return None


def read_money(tokens: list[str]) -> dict | None:
    """The 资金总额 amounts under the money header, when they fit it exactly."""
    start = next((k for k, t in enumerate(tokens) if t.endswith("资金总额")), None)
    if start is None:
        return None
    header = [(k, key) for k, (word, key) in enumerate(_FUND_KEYS)
              if any(word in t for t in tokens[:start])]
    values = []
    for t in tokens[start + 1:]:
        if _number(t) is None and t not in _DASH:
            break
        values.append(_number(t))
    if not header or len(values) != len(header):
        return None
    return {key: v for (_, key), v in zip(header, values)}


def read_indicators(tokens: list[str]) -> tuple[list[dict], tuple | None]:
    """(indicators, (total weight, total score)) after the indicator header."""
    start = max((k for k, t in enumerate(tokens) if t == "三级指标"), default=None)
    if start is None:
        return [], None
    out, total = [], None
    l1 = l2 = None
    k = start + 1
    boundary = k          # first token after the header, a level label or a figure pair
    while k < len(tokens):
        t = tokens[k]
        if t in ("总分", "合计", "自评得分"):
            nums = [_number(x) for x in tokens[k + 1:k + 3]]
            if len(nums) == 2 and None not in nums:
                total = (nums[0], nums[1])
            break
        if t in _LEVEL1:
            l1, l2, boundary = t, None, k + 1
        elif t in _LEVEL2:
            l2, boundary = t, k + 1
        elif t in _HEADER_WORDS:
            boundary = k + 1
        elif (_PLAIN_NUMBER.match(t) and k + 1 < len(tokens) and _PLAIN_NUMBER.match(tokens[k + 1])):
            name = _name_between(tokens[boundary:k])
            if name:
                out.append({"level1": l1, "level2": l2, "name": name,
                            "weight": Decimal(t), "score": Decimal(tokens[k + 1])})
            k += 2
            boundary = k
            continue
        k += 1
    return out, total


def _name_between(run: list[str]) -> str | None:
    """The indicator name of a run ``name [target] [actual]``; None when the
    run is longer (cells out of order) or starts with a value."""
    if not run or len(run) > 3 or _VALUE.search(run[0]):
        return None
    return run[0]


def read_flattened(line: str) -> dict:
    """What a flattened sheet states unambiguously."""
    tokens = fold_width(line).split()
    indicators, total = read_indicators(tokens)
    return {
        "project_name": _after(tokens, ("项目名称", "项目支出名称")),
        "money": read_money(tokens),
        "indicators": indicators,
        "total": total,
        "title": next((t for t in tokens if _SHEET.search(t)), None),
    }
