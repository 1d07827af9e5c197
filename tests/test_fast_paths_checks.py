"""Fast paths of the checks against the definitions they replace (each fails
when its fast path is broken)."""
import random

from ingest.checks import outline as O
from ingest.checks import prose


def _slow_outline_paths(lines, toc, passages):
    """outline()'s per-line paths as first written: each passage's lines set, the rest filled forward."""
    fast = O.outline(lines, toc, passages)   # (the headings' paths; re-spread line by line)
    by_line = {}
    for p in passages:
        if p.first_line - 1 in toc:
            continue
        for ln in p.lines:
            by_line[ln] = fast[p.first_line - 1]
    out, current = [], ""
    for i in range(len(lines)):
        current = by_line.get(i + 1, current)
        out.append(current)
    return out


def test_outline_paths_are_filled_as_line_by_line():
    rnd = random.Random(21)
    pieces = ["一、总体情况", "（一）决策情况。县医保局", "1、项目", "第二部分", "目录", "二、收入……3", "",
              "正文内容继续写下去", "说明。", "a\tb\t1.5", "某某局", "2024年工作总结", "    "]
    for _ in range(400):
        lines = [rnd.choice(pieces) for _ in range(rnd.randint(0, 40))]
        passages = prose.passages(lines)
        toc = O.toc_lines(lines)
        assert O.outline(lines, toc, passages) == _slow_outline_paths(lines, toc, passages), lines


def _slow_part_years(ctx, year):
    from ingest.checks import dates
    from ingest.text import squash
    out, toc = [], ctx.toc
    for k, raw in enumerate(ctx.lines):
        text = toc.get(k) or squash(raw)
        if not dates._PART_HEADING.match(text) or len(text) > 50:
            continue
        m = dates._PART_YEAR.search(text)
        if m and int(m.group(1)) != year:
            out.append(k)
    return out


def test_part_years_look_at_every_line_that_can_hold_one():
    from ingest.checks import dates
    rnd = random.Random(22)
    pieces = ["第二部分 2024年度部门决算表", "第 三 部 分　2023年部门预算", "目录", "第一部分……1", "正文",
              "第四部分 某局2025年决算", "一、2024年度部门决算", "", "分", "a\tb"]
    hits = 0
    for _ in range(300):
        lines = [rnd.choice(pieces) for _ in range(rnd.randint(0, 25))]
        ctx = prose.Context(lines, {})
        slow = _slow_part_years(ctx, 2025)
        assert [i["source_line"] - 1 for i in dates._part_years(ctx, 2025)] == slow, lines
        hits += bool(slow)
    assert hits > 50


def test_defects_screen_of_the_markup_pattern(monkeypatch):
    from types import SimpleNamespace

    from ingest.checks import defects
    rnd = random.Random(23)
    pieces = ["工作工作", "，，", "\\times", "&nbsp;", "& ", "\\", "》80%", "支出决算为万元，", "正常的句子。",
              "a\tb》1", "的的", "＼times"]
    seen = 0
    for _ in range(300):
        lines = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 4))) for _ in range(rnd.randint(1, 8))]
        doc = SimpleNamespace(text_lines=lines)
        fast = defects.run(doc, {})
        with monkeypatch.context() as m:
            m.setattr(defects, "_patterns", lambda ctx: defects._SENTENCE_PATTERNS)
            slow = defects.run(SimpleNamespace(text_lines=lines), {})
        assert fast == slow, lines
        seen += any(i["check_id"] == "TEXT_MARKUP_RESIDUE" for i in slow)
    assert seen > 20


def _slow_outline(lines, toc, all_passages):
    """outline() as written before it skipped long paragraphs and recorded a start only
    where the path changes: every passage read, its start recorded."""
    heads, starts, listed, after_heading = O._Outline(), [], O._ContentsEntries(toc.values()), False
    for p in all_passages:
        if p.first_line - 1 in toc:
            continue
        level, text = O.heading_level(p.text), p.text
        if level is None and len(p.text) <= 30 and p.text[-1] not in O.SENTENCE_END:
            found = listed.find(p.text)
            if found is not None:
                entry, bare = found
                level, text = 0, entry[:len(entry) - len(bare)] + p.text
        if level is None and len(p.text) <= 15 and O._SIGNATURE.search(p.text) and not after_heading:
            heads.clear()
        after_heading = level is not None
        if level is None and len(p.text) <= 30 and O._TITLE.search(p.text):
            level = -1
        if level is not None:
            heads.push(level, O.heading_text(text))
        starts.append((p.first_line, heads.path))
    return O._spread(starts, len(lines))


def test_outline_skips_only_what_changes_no_path():
    rnd = random.Random(31)
    long_ = "医疗保障基金的使用和管理情况良好，全年共完成各项工作任务"   # over 30 characters, no mark at its end
    pieces = ["一、总体情况", "（一）决策情况。县医保局", "1、项目", "第二部分", "目录", "二、收入……3", "",
              "正文内容继续写下去", "说明。", "a\tb\t1.5", "某某局", "2024年工作总结", long_, long_ + "。",
              "一、" + long_, "某某县医疗保障局", "（二）" + long_ + "，", "收入", "2023年度部门决算报告"]
    for _ in range(600):
        lines = [rnd.choice(pieces) for _ in range(rnd.randint(0, 40))]
        passages = prose.passages(lines)
        toc = O.toc_lines(lines)
        assert O.outline(lines, toc, passages) == _slow_outline(lines, toc, passages), lines


def test_defects_repeated_words_found_as_the_regex_finds_them():
    """``_repeat_passages`` (code points compared in arrays) against the regex it
    stands in for: the passages ``_REPEATED`` matches in, on generated prose
    with repeats of every length, near misses and non-CJK characters."""
    from ingest.checks import defects
    rnd = random.Random(24)
    pieces = ["工作", "项目", "资金", "医保局", "基金支付", "常", "一", "层层", "的", "a", "1", "，", "。",
              "（", "\t", " ", "工作工作", "医保局医保局", "基金支付基金支付", "工作工", "医保医保局"]
    seen = 0
    for _ in range(400):
        lines = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 9))) for _ in range(rnd.randint(1, 8))]
        ctx = prose.Context(lines, {})
        slow = {id(p) for p in ctx.passages if defects._REPEATED.search(p.text)}
        assert defects._repeat_passages(ctx) == slow, lines
        seen += bool(slow)
    assert seen > 100
