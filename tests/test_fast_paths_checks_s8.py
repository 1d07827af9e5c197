"""Session 8's fast paths of the checks against the definitions they replace
(each fails when its fast path is broken)."""
import random
import re
from decimal import Decimal

from ingest.checks import names, table_rows


def _slow_coded(rows):
    seen = []
    for row in rows:
        if row["code"] and row["code"].isdigit() and row["code"] not in seen:
            seen.append(row["code"])
    return seen


def test_coded_keeps_each_code_once_in_first_printed_order():
    rnd = random.Random(8)
    codes = ["201", "20101", "2010101", "TOTAL", "", "CLASS:医疗", "301", "30101", "21", "2x"]
    for _ in range(2000):
        rows = [{"code": rnd.choice(codes)} for _ in range(rnd.randint(0, 30))]
        assert table_rows.coded(rows) == _slow_coded(rows), rows


def _may_suit(text: str) -> bool:
    """names._other_sector's screen of a sentence (as written there)."""
    return "专项资金" in text or ("符合" in text and "实际" in text)


def test_other_sector_screen_passes_every_sentence_suits_matches_in():
    rnd = random.Random(5)
    pieces = ["符合", "实际", "工作", "司法", "行政", "科技", "发展", "专项资金", "专项", "资金", "符",
              "合", "实", "际", "，", "。", "医疗保障", "2023", "万元"]
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 10)))
        if names._SUITS.search(text):
            assert _may_suit(text), text


def test_other_sector_issues_unchanged_on_generated_sentences():
    """The check with its screen against _SUITS run on every sentence."""
    from ingest.checks.prose import Context
    rnd = random.Random(13)
    pieces = ["符合司法行政工作实际", "符合实际", "科技发展专项资金", "财政专项资金", "实际支出",
              "符合医疗保障实际", "教育专项资金", "。", "，", "我局", "工作"]
    for _ in range(300):
        lines = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 8))) + "。"
                 for _ in range(rnd.randint(1, 6))]
        ctx = Context(lines)
        unit = "某县医疗保障局"
        own = names._sector_of(unit)
        slow = []
        for s in ctx.sentences:
            for m in names._SUITS.finditer(s.text):
                sector = names._sector_of(m.group(1) or m.group(2))
                if sector is None or sector == own or m.group(2) and sector == "财政":
                    continue
                slow.append((s.line, m.group(0)))
        fast = [(i["source_line"], i["observed"]) for i in names._other_sector(ctx, unit)]
        assert fast == slow, lines


def test_equal_sums_raise_no_issue():
    assert table_rows.issue("x", Decimal("0.00"), "l", Decimal(1), Decimal("1.00"), "d", 1) is None


def _slow_units_named(ctx, facts):
    """units._tables_in_yuan's decision as first written: the units named, prose scanned first."""
    from ingest.checks.prose import MONEY
    units = {n["note"] for n in facts.get("table_notes", []) if n["note_kind"] == "unit"}
    if any(m.group(2) == "万元" for s in ctx.sentences for m in MONEY.finditer(s.text)):
        units.add("万元")
    return "元" in units and "万元" in units


def test_tables_in_yuan_decides_as_before():
    from ingest.checks import units
    from ingest.checks.prose import Context
    rnd = random.Random(4)
    texts = ["支出100万元。", "支出100元。", "共计3.5万元，", "说明。", "1万", ""]
    for _ in range(500):
        ctx = Context([rnd.choice(texts) for _ in range(rnd.randint(0, 4))])
        notes = [{"note_kind": rnd.choice(["unit", "other"]), "note": rnd.choice(["元", "万元"]),
                  "table_no": "01", "table_title": "表", "source_line": 1} for _ in range(rnd.randint(0, 3))]
        facts = {"table_notes": notes}
        yuan_notes = [n for n in notes if n["note_kind"] == "unit" and n["note"] == "元"]
        expected = len(yuan_notes) if _slow_units_named(ctx, facts) else 0
        assert len(units._tables_in_yuan(ctx, facts)) == expected, (ctx.lines, notes)


# prose.MONEY as first written, the lookbehind before the figure
_MONEY_LOOKBEHIND_FIRST = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元)")


def test_money_pattern_finds_what_the_lookbehind_first_form_finds():
    from ingest.checks.prose import MONEY
    rnd = random.Random(1)
    pieces = list("0123456789.,万元亿 ") + ["万元", "亿元", "元", "\n", "a", "１", "٣"]
    for _ in range(30000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        slow = [(m.span(), m.groups()) for m in _MONEY_LOOKBEHIND_FIRST.finditer(text)]
        assert [(m.span(), m.groups()) for m in MONEY.finditer(text)] == slow, text
