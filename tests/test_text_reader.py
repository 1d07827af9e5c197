"""The text reader: encodings, one normalisation pass, and the three ways a
table arrives as text (tabs, `` | ``, space-aligned columns) read to the same
cells, hence the same facts."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ingest.extract import extract_document
from ingest.readers import UnreadableFile, read

FIX = Path(__file__).parent / "fixtures" / "text"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_figure(cell: str) -> bool:
    """An amount (right-aligned in its cell); codes stay left-aligned."""
    return "." in cell and cell.replace(",", "").replace(".", "").replace("-", "").isdigit()


def as_pipes(tab_text: str) -> str:
    """Rows of cells as a web tool flattens an HTML table: ``| a | b |``."""
    out = []
    for line in tab_text.split("\n"):
        out.append("| " + " | ".join(c.strip() for c in line.split("\t")) + " |" if "\t" in line else line)
    return "\n".join(out)


def as_aligned(tab_text: str) -> str:
    """Each run of tab rows laid out in columns for a monospace display (a CJK
    character two columns wide), amounts right-aligned, blank cells blank."""
    lines = tab_text.split("\n")
    out, i = [], 0
    while i < len(lines):
        if "\t" not in lines[i]:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j]:
            j += 1
        rows = [[c.strip() for c in line.split("\t")] for line in lines[i:j]]
        n = max(len(r) for r in rows)
        widths = [max(_width(r[k]) if k < len(r) else 0 for r in rows) for k in range(n)]
        for r in rows:
            cells = []
            for k in range(n):
                text = r[k] if k < len(r) else ""
                pad = " " * (widths[k] - _width(text))
                cells.append(pad + text if _is_figure(text) else text + pad)
            out.append("   ".join(cells).rstrip())
        i = j
    return "\n".join(out)


def _facts(text: str, name: str) -> dict[str, list[tuple]]:
    doc = read(text.encode("utf-8"), name)
    rows = extract_document(doc).rows
    items = sorted((r["table_no"] or "", r["code"] or "", r["line_name"], r["measure_label"], r["measure"],
                    r["amount_text"], str(r["amount_wan_yuan"]), r["source_line"])
                   for r in rows["line_items"])
    metrics = sorted((m["metric"], str(m["value"]), m["source_line"]) for m in rows["metrics"])
    return {"line_items": items, "metrics": metrics}


def test_tabs_pipes_and_aligned_columns_give_the_same_facts():
    tab = (FIX / "final_expenditure.txt").read_text(encoding="utf-8")
    expected = _facts(tab, "t.txt")
    assert len(expected["line_items"]) == 32  # every printed amount cell of the two tables
    blank = [r for r in expected["line_items"] if r[1] == "2101502" and r[0] == "03"]
    assert {r[3] for r in blank} == {"本年支出合计", "项目支出"}  # the blank 基本支出 stays blank
    assert _facts(as_pipes(tab), "p.txt") == expected
    aligned = as_aligned(tab)
    assert "\t" not in aligned
    assert _facts(aligned, "a.txt") == expected


def test_space_aligned_blank_cells_stay_blank():
    text = "\n".join([
        "收入决算表",
        "单位：万元",
        "科目编码      科目名称          本年收入合计    财政拨款收入    其他收入",
        "2010601      行政运行              150.00                        150.00",
        "2010602      一般行政管理事务       20.00           20.00",
    ])
    doc = read(text.encode("utf-8"), "x.txt")
    rows = {line.number: line.cells for line in doc.lines if line.cells}
    header = rows[3]
    assert rows[4][header.index("财政拨款收入")] == ""
    assert rows[4][header.index("其他收入")] == "150.00"
    assert rows[5][header.index("财政拨款收入")] == "20.00"
    assert rows[5][header.index("其他收入")] == ""


def test_one_rendered_line_per_file_line_and_cell_locations():
    text = "标题\n\n项目\t金额\n合计\t12.50\n\f附注\n"
    doc = read(text.encode("utf-8"), "x.txt")
    assert [line.number for line in doc.lines] == list(range(1, 7))
    row = doc.lines[3]
    assert row.cells == ("合计", "12.50")
    assert row.cell_locations[1].locator == "L4:4-8"
    assert doc.lines[4].location.page == "2" and doc.lines[4].text == "附注"


def test_characters_are_normalised_once_and_counted():
    text = "２０２３年\u3000部门决算\u200b ⼀般公共预算 ⻓期 ⻅效\u00a0（万元）"
    doc = read(text.encode("utf-8"), "x.txt")
    assert doc.lines[0].text == "2023年 部门决算 一般公共预算 长期 见效 (万元)"
    flags = dict(f.split(":") for f in doc.flags)
    assert flags == {"fullwidth_forms": "6", "spaces": "2", "zero_width": "1",
                     "kangxi_radicals": "1", "cjk_radicals_supplement": "2"}


def test_gb18030_and_unreadable_files_name_the_file():
    assert read("单位：万元".encode("gb18030"), "g.txt").encoding == "gb18030"
    for data, why in ((b"", "empty"), (b"\x00\x01binary", "binary")):
        with pytest.raises(UnreadableFile, match=rf"^bad\.txt: .*{why}"):
            read(data, "bad.txt")
