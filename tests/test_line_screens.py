"""The line screens of the sections and identity stages never change a result.

``sections.body_headings`` / ``toc_lines`` / ``toc_sections`` and
``identity_mentions.find_mentions`` / ``title_unit`` / ``label_unit`` and
``identity.fiscal_year`` / ``consolidation`` read only the lines a cheap test
passes (``ingest.prefilter.JoinedLines``, a regex mapped over the lines).
Here each is compared with its slow definition — every line read, as before
the screens — on generated documents built from the words the patterns look
for, spaced, folded and full-width forms included.
"""
from __future__ import annotations

import random
from collections import Counter

from ingest.parsers import identity, sections
from ingest.parsers.rules import identity_mentions as M
from ingest.parsers.rules import page_chrome
from ingest.prefilter import JoinedLines
from ingest.text import fold_width

PIECES = [
    "部门", "单位", "名称", "部 门", "单 位", "：", ":", "(", "（", "盖章", "）", ")", "某某县", "医疗保障局",
    "医保局", "事务中心", "2023", "２０２３", "年度", "年", "4月", "25日", "决算", "预算", "部门决算", "绩效自评",
    "整体支出绩效自评报告", "项目支出绩效自评表", "2022年工作总结", "一、", "（一）", "1.", "１、", "附件1：",
    "第一部分", "关于", "职责", "职 能", "基本情况", "概况", "是", "负责", "，", "。", "；", ";", ",", "《", "》",
    "\t", " ", "  ", " | ", "三级指标", "一级指标", "目录", "目 录", "包括", "本级", "汇总", "下属单位", "编制范围",
    "首页 > ", "发布机构", "来源", "………", "3", "通知", "根据", "_某某县人民政府", "评价年度：", "度", "中央主管部门",
    "• ", "\u3000", "说明", "项目", "局", "委员会", "单位名称：", "部门名称（盖章）：", "评价单位:", "某某县医疗保障局",
    "资金使用单位\t", "2023年度部门决算", "主要职责",
]


def _line(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 7)))


def _doc(rng: random.Random) -> list[str]:
    return [_line(rng) for _ in range(rng.randrange(1, 30))]


# --- the slow definitions (every line read) -------------------------------------

def _slow_toc_lines(lines):
    skip, i = set(), 0
    while i < len(lines):
        if not sections._TOC.match(sections._clean(lines[i])):
            i += 1
            continue
        skip.add(i)
        first, j = None, i + 1
        while j < len(lines):
            if sections._clean(lines[j]):
                entry = sections._clean(sections._LEADER.sub("", sections._BULLET_LEAD.sub("", lines[j])))
                if first and len(entry) >= 2 and first.startswith(entry) and entry != first[:1]:
                    break
                if not sections._looks_like_toc_entry(lines[j]):
                    break
                first = first or entry
            skip.add(j)
            j += 1
        i = j
    return skip


def _slow_heading_text(line):
    clean = sections._clean(line)
    if (sections._PROSE_PUNCT.search(clean) or sections._BULLET.match(line) or "\t" in line.strip()
            or page_chrome.is_chrome(line)):
        return None
    text = sections._SITE.sub("", sections._NUMBERING.sub("", clean))
    if not text or len(text) > sections.MAX_HEADING or sections._NOT_HEADING.search(text):
        return None
    return text


def _slow_body_headings(lines, skip):
    out, i = [], 0
    while i < len(lines):
        flat = sections.flattened_title(lines[i]) if i not in skip else None
        if flat:
            out.append((i, flat[0], flat[1]))
            i += 1
            continue
        text = _slow_heading_text(lines[i]) if i not in skip else None
        if text is None:
            i += 1
            continue
        kind, title, used = sections.classify(text), lines[i].strip(), i
        if kind is None:
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            nxt = _slow_heading_text(lines[j]) if j < len(lines) and j not in skip else None
            if nxt and sections.classify(nxt) is None and len(text + nxt) <= sections.MAX_HEADING:
                kind = sections.classify(text + nxt)
                if kind:
                    title, used = lines[i].strip() + lines[j].strip(), j
        if kind:
            out.append((i, kind, title))
        i = used + 1
    return out


def _slow_toc_sections(lines, skip, found):
    known, seen, end, out = {k for _, k, _ in found}, {i for i, _, _ in found}, max(skip, default=-1), []
    for _, kind, entry in sections.toc_kinds(lines, skip):
        if kind in known:
            continue
        for j in range(end + 1, len(lines)):
            if j not in skip and j not in seen and sections._names_entry(lines[j], entry):
                out.append((j, kind, lines[j].strip()))
                known.add(kind)
                break
    return out


def _slow_title_unit(line):
    text = M._DATE.sub("", M._NUMBERING.sub("", M._clean(line)))
    if M._SENTENCE.search(text) or len(text) > M.MAX_TITLE:
        return None
    for pattern in (M._NAME_ONLY, M._TITLE):
        m = pattern.match(text)
        if m and M._plausible(m.group(1)):
            return m.group(1)
    return None


def _slow_label_unit(line):
    folded = fold_width(line)
    if ":" not in folded and "：" not in folded:
        return None
    text = M._FUNDER.sub(" ", folded.replace("\t", "  "))
    for m in M._LABEL.finditer(M._SPACE_AFTER_COLON.sub(r"\1", text)):
        if M._NAME_ONLY.match(m.group(1)) and M._plausible(m.group(1)):
            return m.group(1)
    return None


def _slow_duty_lines(lines, chrome):
    out = set()
    for i, line in enumerate(lines):
        text = M._NUMBERING.sub("", M._clean(line))
        if i in chrome or not text or len(text) > 20 or not M._DUTY_HEADING.search(text):
            continue
        taken = 0
        for j in range(i + 1, len(lines)):
            if taken >= M.DUTY_LINES:
                break
            if lines[j].strip():
                out.add(j)
                taken += 1
    return out


def _slow_find_mentions(lines):
    chrome = {i for i, line in enumerate(lines) if line.strip() and page_chrome.is_chrome(line)}
    non_empty = [i for i, line in enumerate(lines) if line.strip() and i not in chrome]
    head, tail = set(non_empty[:M.HEAD_LINES]), set(non_empty[-M.SIGNATURE_LINES:])
    duty, out = _slow_duty_lines(lines, chrome), []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if i in chrome:
            out += [M.Mention(n, i + 1, line.strip(), "metadata")
                    for n in M.metadata_units(page_chrome.metadata_fields(line))]
            continue
        name, how = _slow_label_unit(line), "label"
        if name is None:
            name, how = M.cell_unit(line), "cell"
        if name is None and (i in head or i in tail or M._NUMBERING.match(M._clean(line))):
            name, how = _slow_title_unit(line), ("title" if i not in tail or i in head else "signature")
        if name is None and i in duty:
            name, how = M.duty_unit(line), "duty"
        if name:
            out.append(M.Mention(name, i + 1, line.strip(), how))
    return out


def _slow_consolidation(lines):
    for i, line in enumerate(lines):
        text = M._clean(line)
        if not (identity._SCOPE_STATEMENT.search(text) and identity._SCOPE_SUBJECT.search(text)):
            continue
        window = text + (M._clean(lines[i + 1]) if i + 1 < len(lines) else "")
        if identity._NO_SUBORDINATES.search(window) or identity._ONLY_OWN.search(window):
            return "本级", i + 1
        if identity._CONSOLIDATED.search(window) or identity._SUBORDINATES.search(window):
            return "汇总", i + 1
    return None, None


def _slow_fiscal_year(lines, head_end, chrome):
    for i, line in enumerate(lines):
        m = identity._YEAR_LABEL.search(identity._CITED.sub("", M._clean(line))) if i not in chrome else None
        if m:
            return int(m.group(1)), i + 1
    for i, line in enumerate(lines[:head_end]):
        year = identity._title_year(M._clean(line)) if i not in chrome else None
        if year:
            return year, i + 1
    counts = Counter(int(m.group(1)) for i, line in enumerate(lines) if i not in chrome
                     for m in identity._YEARLY.finditer(identity._CITED.sub("", M._clean(line))))
    if counts:
        year, n = counts.most_common(1)[0]
        if n >= 2 and list(counts.values()).count(n) == 1:
            return year, None
    return None, None


# --- the comparisons ------------------------------------------------------------

def test_joined_lines_find_what_each_line_holds():
    rng = random.Random(3)
    for _ in range(3000):
        lines = ["".join(rng.choice("ab\n c") for _ in range(rng.randrange(6))) for _ in range(rng.randrange(8))]
        joined = JoinedLines(lines)
        for piece in ("a", "ab", "b c", "ca", "c"):
            assert joined.holding(piece) == [k for k, line in enumerate(lines) if piece in line]
        assert joined.holding_any(("ab", "c")) == [k for k, line in enumerate(lines) if "ab" in line or "c" in line]


def test_sections_read_as_every_line_read():
    rng = random.Random(5)
    for _ in range(1500):
        lines = _doc(rng)
        skip = sections.toc_lines(lines)
        assert skip == _slow_toc_lines(lines), lines
        found = sections.body_headings(lines, skip)
        assert found == _slow_body_headings(lines, skip), lines
        assert sections.toc_sections(lines, skip, found) == _slow_toc_sections(lines, skip, found), lines
        for line in lines:
            assert sections.heading_text(line) == _slow_heading_text(line), line


def test_mentions_read_as_every_line_read():
    rng = random.Random(9)
    for _ in range(1500):
        lines = _doc(rng)
        assert M.find_mentions(lines) == _slow_find_mentions(lines), lines
        for line in lines:
            assert M.title_unit(line) == _slow_title_unit(line), line
            assert M.label_unit(line) == _slow_label_unit(line), line


def test_year_and_scope_read_as_every_line_read():
    rng = random.Random(13)
    for _ in range(1500):
        lines = _doc(rng)
        assert identity.consolidation(lines) == _slow_consolidation(lines), lines
        chrome = M.chrome_lines(lines)
        head_end = identity._head_end(lines, chrome)
        assert identity.fiscal_year(lines, head_end, None, chrome) == _slow_fiscal_year(lines, head_end, chrome), lines


def test_strip_tells_the_lines_with_ink():
    # sections._candidates keeps the lines str.strip leaves something of: those \S finds
    # something in, for every character (both go by str.isspace)
    import re
    ink = re.compile(r"\S")
    assert all((ink.search(chr(o)) is None) == (not chr(o).strip()) for o in range(0x110000))


def test_classify_as_every_pattern_tried():
    rng = random.Random(17)
    named = 0
    for _ in range(20000):
        text = "".join(rng.choice(PIECES + ["工作总结", "工作计划", "绩效管理工作考核", "部门预算", "决算表", "（公开）"])
                       for _ in range(rng.randrange(0, 5)))
        slow = next((kind for kind, pattern in sections.KINDS if pattern.search(text)), None)
        assert sections.classify(text) == slow, text
        named += slow is not None
    assert named > 2000
