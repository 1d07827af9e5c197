"""The text reader builds the rendering with the blocks: it must be exactly
what ``ingest.document.render`` gives for those blocks."""
from ingest.document import render
from ingest.readers.text import read

LAYOUTS = {
    "tab rows, ragged and padded": "部门收支总表\n单位：万元\n项目\t本年数\t 上年数 \n一、一般公共预算拨款\t120.50\n合计\t\t\n\n说明文字。\n",
    "pipe rows and a rule": "| 科目编码 | 科目名称 | 金额 |\n|---|---|---|\n| 2101501 | 行政运行 | 35.20 |\n|  | 合计 |\n",
    "form feeds": "第一部分\n项目\t金额\n\f合计\t1.00\n\f- 2 -\n正文\n",
    "space-aligned": ("支出决算表\n科目编码    科目名称          合计      基本支出\n"
                      "2101501     行政运行         35.20        35.20\n"
                      "            事业运行          1.00         1.00\n正文一段。\n"),
    "blank tab line": "甲\t乙\n\t\n丙\n",
}


def test_the_readers_rendering_is_render_of_its_blocks():
    for name, text in LAYOUTS.items():
        doc = read(text.encode("utf-8") * 3, "x.txt")
        assert doc.lines == render(doc.blocks), name
        assert [line.number for line in doc.lines] == list(range(1, len(doc.lines) + 1)), name
        assert len(doc.lines) == len((text * 3).split("\n")), name


def test_text_lines_are_the_renderings_texts_made_once_per_rendering():
    doc = read(LAYOUTS["tab rows, ragged and padded"].encode("utf-8"), "x.txt")
    first = doc.text_lines
    assert first == [line.text for line in doc.lines]
    assert doc.text_lines is first                      # several stages read it: made once
    doc._lines = doc.lines[:2]                          # another rendering: made again
    assert doc.text_lines == [line.text for line in doc.lines[:2]]
    assert doc.text == "\n".join(line.text for line in doc.lines)
