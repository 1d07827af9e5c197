"""Wording against numbers: what a sentence says about its figures.

* ``WORD_CHANGE_RATE`` (warning, ``contradictory_figures``; ``info`` within
  0.01 %): ``…执行数为 A 万元，…安排 B 万元，比…增加/减少 R%`` — R against
  (B − A) / A, and the direction word against the sign.
  Also ``X 万元，比上年增加 D 万元，增长 R%``: R against D / (X − D).
* ``WORD_COMPARISON_BASE`` (warning, ``contradictory_figures``): one amount
  compared with the same year twice in a section with different bases
  (``比2024年预算执行数`` / ``比2024年预算``).
* ``WORD_ADJUSTMENT_RATE`` (warning, ``contradictory_figures``): ``预算调整数 A
  万元，预算调整率 R%`` against A / the budget stated before it (共计/预算数 …).
* Rates are compared as printed: the figures' rate is rounded to the printed
  decimals first (``100%`` for 99.59 % is right).
* ``WORD_SHARE`` (warning, ``contradictory_figures``; ``info`` within 0.01 %):
  ``总数 T 万元，其中 / 主要用于：… X 万元，占 Y%`` — Y against X / T.
* ``WORD_BUDGET_COMPARISON`` (warning, ``contradictory_figures``):
  ``年初预算为 B 万元，支出决算为 A 万元 … 决算数大于/小于/等于/持平 预算数`` and
  ``完成(年初)预算的 N%`` against A and B (持平/基本持平 within 1 %).
* ``WORD_FLAT_WITH_REASON`` (warning, ``copy_paste_text``): a sentence says a
  figure is unchanged (``持平``) while the reason given after it explains an
  increase or a decrease (``…等原因减少支付``): the reason was copied from
  another paragraph.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ingest.checks.prose import TOLERANCE, context, fmt, issue, number, quote, screened
from ingest.prefilter import required

N = r"(\d[\d,]*(?:\.\d+)?)"
# A pattern that opens with a number starts it only where no digit (or
# "digit,") precedes: otherwise a long run of digits is retried at every
# position — quadratic.
START = r"(?<!\d)(?<!\d,)"
_CHANGE = screened(re.compile(rf"(?:执行数|预算数|决算数|预算|决算)为{N}万元[，,]\d{{4}}年(?:预算)?安排{N}万元[，,]"
                              rf"比[^，,。]*?(增加|减少|增长|下降){N}%"), r"万元[，,]\d{4}年(?:预算)?安排")
_DELTA = screened(re.compile(rf"(增加|减少){N}万元[，,]?(增长|下降|增加|减少){N}%"),
                  r"万元[，,]?(?:增长|下降|增加|减少)\d")
_VERSUS = screened(re.compile(rf"{START}{N}万元[，,]比(\d{{4}})年(预算执行数|执行数|预算数|预算|决算数|决算)(增加|减少)"
                              rf"{N}万元"), r"万元[，,]比\d{4}年")
_ADJUST = re.compile(rf"调整(?:数|金额)(?:为)?{N}万元[，,;；]?(?:预算)?调整率(?:为)?(\d+(?:\.\d+)?)%")
_BUDGET_BASE = re.compile(rf"(?:共计|合计|预算数|预算总额|年初预算)(?:为)?{N}万元")
_SHARE_HEAD = screened(re.compile(rf"{START}{N}万元[^。；;]{{0,12}}?(?:其中|主要用于以下方面|主要用于|具体)[:：,，]?"),
                       r"万元[^。；;]{0,12}?(?:其中|主要用于|具体)")
_SHARE = re.compile(rf"{START}{N}万元[，,]?占(?:[^，,。；;%]{{0,15}}的)?{N}%")
_BUDGET_FINAL = re.compile(rf"年初预算(?:数)?为{N}万元[，,]?(?:支出)?决算(?:数)?为{N}万元")
_SAYS = re.compile(r"决算数(大于|小于|等于|与预算数(?:基本)?持平)|完成(?:年初)?预算的(\d+(?:\.\d+)?)%")
_FLAT_REASON = re.compile(r"持平[。，,]?(?:主要)?原因[是为:：]?(.{0,80}?)(?:。|$)")
_FLAT_PIECES = required(_FLAT_REASON)   # prefilter.possible, without its lookup per passage
# each one's matches in a passage are matches in the passages joined (Context.hits)
_PASSAGE_PATTERNS = (_CHANGE, _DELTA, _ADJUST, _SHARE_HEAD, _BUDGET_FINAL, _VERSUS)


def run(doc, facts) -> list[dict]:
    ctx = context(doc, facts)
    out = []
    hits = ctx.hits(_PASSAGE_PATTERNS)
    for k, p in enumerate(ctx.passages):
        found = hits.get(id(p), ())
        if _CHANGE in found:
            out += _change_rates(ctx, p)
        if _DELTA in found:
            out += _delta_rates(ctx, p)
        if _ADJUST in found:
            out += _adjustment_rate(ctx, p)
        if _SHARE_HEAD in found:
            out += _shares(ctx, p)
        if _BUDGET_FINAL in found:
            out += _budget_words(ctx, p)
        if all(piece in p.text for piece in _FLAT_PIECES):   # (its ``$`` is the passage's end: not in hits)
            following = ctx.passages[k + 1].text if k + 1 < len(ctx.passages) else ""
            out += _flat_reason(ctx, p, following)
    return out + _comparison_bases(ctx, hits)


def _level(diff: Decimal) -> str:
    return "info" if diff <= TOLERANCE else "warning"


def _off(actual: Decimal, printed: str) -> Decimal | None:
    """How far a printed rate is from the figures' rate rounded as printed
    (``100%`` for 99.59 % is right, ``98.20%`` for 98.196 % too); None when right."""
    places = len(printed.split(".")[1]) if "." in printed else 0
    rounded = abs(actual).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    diff = abs(rounded - Decimal(printed))
    return diff if diff > 0 else None


def _change_rates(ctx, p) -> list[dict]:
    out = []
    for m in _CHANGE.finditer(p.text):
        base, now, word, rate = number(m.group(1)), number(m.group(2)), m.group(3), number(m.group(4))
        if not base:
            continue
        actual = (now - base) / base * 100
        wrong_way = (word in ("增加", "增长")) != (actual > 0) and actual != 0
        diff = _off(actual, m.group(4))
        if not wrong_way and diff is None:
            continue
        diff = diff if diff is not None else abs(abs(actual) - rate)
        line = p.line_at(m.start())
        out.append(issue(
            "WORD_CHANGE_RATE", "warning" if wrong_way else _level(diff), "contradictory_figures",
            ctx.where(line), f"{'增加' if actual > 0 else '减少'}{fmt(abs(actual))}%", f"{word}{fmt(rate)}%",
            f"“{quote(p.text, m.start(), 45)}”:由{fmt(base)}万元到{fmt(now)}万元应为"
            f"{'增加' if actual > 0 else '减少'}{fmt(abs(actual))}%,文中为{word}{fmt(rate)}%。", line))
    return out


def _delta_rates(ctx, p) -> list[dict]:
    """``X 万元 … 比上年增加 D 万元，增长 R%``: R against D / (X − D)."""
    out = []
    for m in _DELTA.finditer(p.text):
        before = list(re.finditer(rf"{N}万元", p.text[max(0, m.start() - 80):m.start()]))
        if not before:
            continue
        now, delta, rate = number(before[-1].group(1)), number(m.group(2)), number(m.group(4))
        up = m.group(1) == "增加"
        base = now - delta if up else now + delta
        if not base or base < 0:
            continue
        actual = delta / base * 100
        diff = _off(actual, m.group(4))
        if diff is None:
            continue
        line = p.line_at(m.start())
        out.append(issue(
            "WORD_CHANGE_RATE", _level(diff), "contradictory_figures", ctx.where(line),
            f"{m.group(3)}{fmt(actual)}%", f"{m.group(3)}{fmt(rate)}%",
            f"“{quote(p.text, m.start(), 45)}”:{fmt(now)}万元{m.group(1)}{fmt(delta)}万元,上年应为"
            f"{fmt(base)}万元,变动率应为{fmt(actual)}%,文中为{fmt(rate)}%。", line))
    return out


def _comparison_bases(ctx, hits: dict) -> list[dict]:
    """One amount compared with one year twice in a section, with different bases or
    changes (``hits``: ``Context.hits`` of the patterns, _VERSUS among them)."""
    seen: dict[tuple, list] = {}
    for p in ctx.passages:
        if _VERSUS not in hits.get(id(p), ()):
            continue
        for m in _VERSUS.finditer(p.text):
            line = p.line_at(m.start())
            key = (ctx.paths[line - 1], number(m.group(1)), m.group(2))
            seen.setdefault(key, []).append((m, line))
    out = []
    for (_, amount, year), found in seen.items():
        if len({m.group(3) for m, _ in found}) < 2:
            continue  # one base (income and expenditure may differ in their change)
        line = found[0][1]
        said = ";".join(dict.fromkeys(m.group(0) for m, _ in found))
        out.append(issue("WORD_COMPARISON_BASE", "warning", "contradictory_figures", ctx.where(line),
                         "一个比较基数", said,
                         f"同为{fmt(amount)}万元,与{year}年比较却写作“{said}”:比较基数前后不一。",
                         line))
    return out


def _adjustment_rate(ctx, p) -> list[dict]:
    """预算调整数 A 万元，预算调整率 R% against A / the budget stated before it."""
    out = []
    for m in _ADJUST.finditer(p.text):
        bases = list(_BUDGET_BASE.finditer(p.text, 0, m.start()))
        if not bases:
            continue
        base, change = number(bases[-1].group(1)), number(m.group(1))
        if not base:
            continue
        actual = change / base * 100
        diff = _off(actual, m.group(2))
        if diff is None:
            continue
        line = p.line_at(m.start())
        out.append(issue("WORD_ADJUSTMENT_RATE", _level(diff), "contradictory_figures", ctx.where(line),
                         f"{fmt(actual)}%", f"{m.group(2)}%",
                         f"“{quote(p.text, m.start(), 40)}”:调整数{fmt(change)}万元/预算{fmt(base)}万元"
                         f"(“{bases[-1].group(0)}”)={fmt(actual)}%,文中为{m.group(2)}%。", line))
    return out


def _shares(ctx, p) -> list[dict]:
    out = []
    head = _SHARE_HEAD.search(p.text)
    if not head:
        return out
    total = number(head.group(1))
    if not total:
        return out
    for m in _SHARE.finditer(p.text, head.end()):
        value, share = number(m.group(1)), number(m.group(2))
        actual = value / total * 100
        diff = _off(actual, m.group(2))
        if diff is None:
            continue
        line = p.line_at(m.start())
        out.append(issue(
            "WORD_SHARE", _level(diff), "contradictory_figures", ctx.where(line),
            f"{fmt(actual)}%", f"{fmt(share)}%",
            f"“{quote(p.text, m.start(), 30)}”:{fmt(value)}万元占总数{fmt(total)}万元应为"
            f"{fmt(actual)}%,文中为{fmt(share)}%。", line))
    return out


def _budget_words(ctx, p) -> list[dict]:
    out = []
    for m in _BUDGET_FINAL.finditer(p.text):
        budget, final = number(m.group(1)), number(m.group(2))
        says = _SAYS.search(p.text, m.end(), m.end() + 160)
        if not says or budget is None or final is None:
            continue
        line = p.line_at(says.start())
        word, pct = says.group(1), says.group(2)
        if pct is not None:
            if not budget:
                continue
            actual = final / budget * 100
            diff = _off(actual, pct)
            if diff is None:
                continue
            out.append(issue("WORD_BUDGET_COMPARISON", _level(diff), "contradictory_figures",
                             ctx.where(line), f"完成{fmt(actual)}%", f"完成{pct}%",
                             f"“{quote(p.text, says.start(), 40)}”:决算{fmt(final)}万元/年初预算"
                             f"{fmt(budget)}万元={fmt(actual)}%,文中为{pct}%。", line))
            continue
        if "持平" in word:
            ok = budget and abs(final - budget) <= max(TOLERANCE, abs(budget) / 100)
        else:
            ok = {"大于": final > budget, "小于": final < budget, "等于": final == budget}[word]
        if ok:
            continue
        out.append(issue("WORD_BUDGET_COMPARISON", "warning", "contradictory_figures", ctx.where(line),
                         f"决算{fmt(final)}万元 vs 预算{fmt(budget)}万元", says.group(0),
                         f"“{quote(p.text, says.start(), 40)}”与所列年初预算{fmt(budget)}万元、"
                         f"支出决算{fmt(final)}万元不符。", line))
    return out


def _flat_reason(ctx, p, following: str) -> list[dict]:
    out = []
    for m in _FLAT_REASON.finditer(p.text):
        reason = m.group(1) or (following[:80] if m.end() >= len(p.text) else "")
        moved = re.search(r"增加|减少|下降|增长|上升|调减|调增", reason)
        if not moved:
            continue
        line = p.line_at(m.start())
        out.append(issue("WORD_FLAT_WITH_REASON", "warning", "copy_paste_text", ctx.where(line),
                         "持平的原因", reason,
                         f"“{quote(p.text, m.start(), 40)}”:称持平,所附原因却说明“{moved.group(0)}”,"
                         f"疑从他处照抄。", line))
    return out
