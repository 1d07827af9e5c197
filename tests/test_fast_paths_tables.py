"""The tables stage's fast paths against the definitions they replace, on
generated rows and lines (each fails when its fast path is broken)."""
import random

from ingest.numbers import parse_amount
from ingest.parsers.budget import grid, titles
from ingest.parsers.budget.grid import RawCell, Segment
from ingest.text import fold_width, split_cells, squash


def _slow_positional_cells(cells, segments, index):
    """positional_cells as it was written before its fast path."""
    def cell(c):
        return cells[c] if c < len(cells) else ""
    out, used = [], set()
    for s_no, seg in enumerate(segments):
        code = grid._code_of([cell(c) for c in seg.code_cols])
        name = cell(seg.name_col)
        if not name.strip():
            name = grid._text_in_code_cols(cells, seg.code_cols)
        m = grid._CODE_WITH_NAME.match(fold_width(name).strip())
        if code is None and m:
            code, name = m.group(1), m.group(2)
        if not name.strip() or parse_amount(name) is not None:
            if code is None:
                continue
        found = False
        for col, label in seg.amount_cols:
            text = cell(col).strip()
            if text and parse_amount(text) is not None and col not in used:
                out.append(RawCell(s_no, code, name, label, text, index))
                used.add(col)
                found = True
        if not found and code is None and "合计" in squash(name) and seg.amount_cols:
            for col in range(seg.name_col + 1, len(cells)):
                if col in used:
                    continue
                text = cells[col].strip()
                if text.strip() and parse_amount(text) is None:
                    break
                if parse_amount(text) is not None:
                    out.append(RawCell(s_no, code, name, seg.amount_cols[0][1], text, index))
                    used.add(col)
                    break
    return out


_CELLS = ["", "", "201", "06", "01", "2010601", "行政运行", "合计", "公用经费合计", "12.50", "0", "-", "1,234.00",
          "２０１", " 3.5 ", "小计", "类", "款", "项", "30101 基本工资", "abc", "(2.0)"]


def test_positional_cells_are_the_definition():
    rnd = random.Random(11)
    segments_choices = [
        [Segment([0, 1, 2], 3, [(4, "合计"), (5, "基本支出"), (6, "项目支出")])],
        [Segment([0], 1, [(2, "金额")]), Segment([3], 4, [(5, "金额")]), Segment([6], 7, [(8, "金额")])],
        [Segment([], 0, [(1, "预算数"), (2, "决算数")]), Segment([], 3, [(4, "预算数"), (5, "决算数")])],
    ]
    found = 0
    for n in range(6000):
        line = "\t".join(rnd.choice(_CELLS) for _ in range(rnd.randint(1, 10)))
        cells = split_cells(line)
        segments = rnd.choice(segments_choices)
        slow = _slow_positional_cells(cells, segments, n)
        assert grid.positional_cells(cells, segments, n) == slow, line
        found += bool(slow)
    assert found > 1000


def _slow_section_end(lines, start, stop):
    for j in range(start + 1, stop):
        if titles._PART_HEADING.match(squash(lines[j])):
            return j
    return stop


def _slow_is_unit_line(line):
    return titles.UNIT_LINE.search(fold_width(line)) is not None


def test_line_screens_are_the_definitions():
    rnd = random.Random(12)
    pieces = ["第", "二", "部分", "部 分", "第 三 部 分", "单位", "单 位", "：", ":", "万元", "元", "表", " ", "\t",
              "附件", "分", "十", "１", "单位：万元", "单位: 元"]
    lines = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8))) for _ in range(5000)]
    assert sum(_slow_is_unit_line(x) for x in lines) > 200
    for line in lines:
        assert titles.is_unit_line(line) == _slow_is_unit_line(line), line
    for k in range(0, len(lines) - 30, 7):
        assert titles._section_end(lines, k, k + 30) == _slow_section_end(lines, k, k + 30)
    assert sum(_slow_section_end(lines, k, k + 30) < k + 30 for k in range(0, len(lines) - 30, 7)) > 50


def _slow_toc_numbers(lines, stop):
    start = next((i for i, line in enumerate(lines[:stop]) if squash(line) in ("目录", "目次")), None)
    if start is None:
        return {}
    numbers = {}
    for line in lines[start + 1:stop]:
        text = titles._BULLET.sub("", titles.strip_leaders(fold_width(line).strip()))
        m = titles._TOC_NO.match(text)
        if not m:
            continue
        kind = titles.classify_title(titles.clean_title(text))
        if kind and kind not in numbers:
            numbers[kind] = titles.two_digits(titles.cn_number(m.group(1) or m.group(2)))
    return numbers


def _slow_find_table_titles(lines):
    found = []
    for i, line in enumerate(lines):
        if "表" not in line or "\t" in line or len(line.strip()) > 60:
            continue
        title = titles.clean_title(line)
        kind = titles.classify_title(title)
        if kind and titles._title_followed_by_table(lines, i):
            found.append((i, title, kind))
    return found


def test_contents_and_titles_screens_are_the_definitions():
    rnd = random.Random(13)
    pieces = ["目录", "目 录", "目次", "一、", "十二、", "1.", "２．", "3、", " ", "\u3000", "- ", "－", "• ", "·",
              "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款基本支出决算表", "……", "....",
              " 12", "3", "表", "\t", "单位：万元", "公开02表", "项目\t金额", "201\t行政运行\t1.00", "说明", "第一部分"]
    titled = numbered = 0
    for _ in range(1500):
        lines = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 4))) for _ in range(rnd.randint(1, 25))]
        if rnd.random() < 0.7:
            lines.insert(rnd.randint(0, 3), rnd.choice(["目录", "目 录", " 目次 "]))
        stop = rnd.randint(len(lines) // 2, len(lines))
        slow = _slow_toc_numbers(lines, stop)
        assert titles.toc_numbers(lines, stop) == slow, lines
        numbered += bool(slow)
        slow_titles = _slow_find_table_titles(lines)
        assert titles.find_table_titles(lines) == slow_titles, lines
        titled += bool(slow_titles)
    assert numbered > 100 and titled > 100


def _slow_table_notes(lines, table):
    from ingest.text import normalize_label
    notes = [] if table.unit_index is None else [
        {"table_no": table.table_no, "table_title": table.title, "note_kind": "unit",
         "note": table.unit, "source_line": table.unit_index + 1}]
    for j in range(table.title_index + 1, table.end_index):
        text = normalize_label(lines[j])
        if "本表无数据" in text or "本表为空表" in text or "无数据" in text and "本表" in text:
            notes.append({"table_no": table.table_no, "table_title": table.title,
                          "note_kind": "no_data", "note": text, "source_line": j + 1})
    return notes


def test_table_notes_are_the_definition():
    from ingest.parsers.budget.items import table_notes
    rnd = random.Random(14)
    pieces = ["本表", "本 表", "无数据", "无 数据", "为空表", "为空 表", "空表", "表", "注：", "（", "）", "\t", " ", "1.00"]
    noted = 0
    for _ in range(2000):
        lines = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 4))) for _ in range(rnd.randint(2, 15))]
        first = rnd.randint(0, len(lines) - 1)
        table = titles.Table("income", "收入决算表", first, rnd.randint(first, len(lines)), "02",
                             unit_index=rnd.choice([None, first]))
        slow = _slow_table_notes(lines, table)
        assert table_notes(lines, table) == slow, lines
        noted += len(slow) > (table.unit_index is not None)
    assert noted > 150
