"""The kinds of report a document holds, with their line ranges.

A document often bundles several reports: a 部门决算 with the 整体支出 and
项目支出 self-evaluations attached as 附件, a 项目支出绩效自评 report with the
year's 工作总结 pasted in. Each kind is recognized from its headings:

* ``final_accounts`` — ``…部门决算``, ``…决算表``, ``…决算情况说明``;
* ``budget`` — ``…部门预算``, ``…预算总表``, ``…预算编制说明`` (a heading
  that mentions 决算 or 绩效 is not a budget);
* ``overall_self_evaluation`` — ``部门整体支出绩效自评报告`` / ``…自评表`` /
  ``整体绩效自评报告`` / ``部门整体支出绩效评价基础数据表``;
* ``project_self_evaluation`` — ``项目支出绩效自评…`` / ``项目绩效自评…``
  (a ``…自评工作情况总结`` is this, not a work summary);
* ``performance_management_assessment`` — ``…绩效管理工作考核…``;
* ``work_summary`` — ``2020年工作总结及2021年工作计划`` (a year is required:
  ``三、下一步工作计划`` inside another report is not one).

Quirks:

* Converted PDFs break a heading over two lines (``2023 年度…部门整体支出`` /
  ``绩效自评报告``): a short line that names no kind is read together with
  the next non-empty line.
* A table of contents (目录) lists the sections without being them: the
  lines after ``目录`` that look like entries (bullets, leader dots, numbered
  short lines) are skipped until the body starts again.
* A self-evaluation sheet flattened onto one line by a document-sharing site
  (cells joined by spaces, ``ingest.parsers.rules.selfeval_flat``) names its kind
  with its first tokens (``项目支出绩效自评表 （2023年度） 项目名称 …``).
* Web-page chrome (breadcrumbs ``首页 > 部门预算``, metadata rows) is never a
  heading; a title carries disclosure words and a site suffix
  (``…部门决算公开说明``, ``…部门决算（公开）_某某县人民政府``).
* A contents page that lists a kind (``附件：部门整体支出绩效自评表、项目支出
  绩效自评表``) names that section too where a line after the contents is the
  entry's title — a caption cell of a table (``附表1 | 部门整体支出绩效自评表``)
  or a title with a colon that is not a heading by itself; an entry whose body
  never follows names nothing, and prose citing the title (``详见…``) is not
  its body.
* Prose that mentions a kind (``根据《关于开展2022年度…绩效自评工作的通知》``,
  ``详见附件2: 项目支出绩效自评表``) and bulleted attachment lists are not
  headings.

One row per kind: the first heading's line and text, and the end of the last
block of that kind (a block runs until a heading of another kind starts).
"""
from __future__ import annotations

import re
from itertools import compress, count

from ingest.parsers import Parsed
from ingest.parsers.rules import page_chrome, selfeval_flat
from ingest.prefilter import JoinedLines, lines_holding, lines_missing
from ingest.text import fold_width, normalize_label, split_cells

_PROSE_MARK = re.compile(r"[。，；]")
_BULLET_LEAD = re.compile(r"^\s*[-*•·]\s*")
_ATTACHMENT = re.compile(r"^(?:附件|附表)\d*[:：]?")
_ENTRY_SPLIT = re.compile(r"[、，,;；]")
_SENTENCE_MARK = re.compile(r"[。；;]")
_NOTE_START = re.compile(r"^(?:根据|为|按照|详见|具体|见|注|说明|填表|备注)")
MAX_HEADING = 45   # characters of a heading after its numbering is removed

_NOTE = r"(?:[(（][^()（）]{1,10}[)）])?"   # 部门决算（公开） / （2023年度）
KINDS = (
    ("performance_management_assessment", re.compile(r"绩效管理(?:工作)?考核")),
    ("overall_self_evaluation", re.compile(r"整体(?:支出)?绩效(?:自评|评价)")),
    ("project_self_evaluation", re.compile(r"项目(?:支出)?绩效(?:自评|评价)")),
    ("work_summary", re.compile(r"(?:19|20)\d{2}年度?(?:上半年)?工作(?:总结|计划)")),
    ("final_accounts", re.compile(r"决算(?:明细)?(?:信息)?(?:公开)?"
                                  r"(?:总表|表|报告|情况说明|说明|目录)?" + _NOTE + "$")),
    ("budget", re.compile(r"^(?!.*(?:决算|绩效)).*预算(?:明细)?(?:信息)?(?:公开)?"
                          r"(?:总表|表|报告|编制说明|情况说明|说明|目录)?" + _NOTE + "$")),
)

_NUMBERING = re.compile(
    r"^(?:附件\d*[:：]?|附表[\d一二三四五六七八九十]*[:：]?|表[\d一二三四五六七八九十]+[:：]?|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|"
    r"\([一二三四五六七八九十\d]+\)|\d+[、.．](?!\d))"
)
_NOT_HEADING = re.compile(r"[。；;，,《》：:]|通知|^(?:根据|为|按照|详见|具体|见|注|说明|填表|备注|其中)")
_NOTE_LEAD = re.compile(r"(?:根据|为|按照|详见|具体|见|注|说明|填表|备注|其中)")   # _NOT_HEADING's start (match)
# prose punctuation of _NOT_HEADING that neither the numbering nor a site suffix can hold:
# a line printing one is no heading, whatever is cut from its ends
_PROSE_PUNCT = re.compile(r"[。；;，,《》]")
_BULLET = re.compile(r"^\s*[-*•·]\s")
_LEADER = re.compile(r"[…．.·]{4,}|\s\d{1,3}$")
_TOC = re.compile(r"^目\s*录$")


_clean = normalize_label   # folded, whitespace removed (memoised)


# a match starts only at the first separator of a run (linear on long runs)
_SITE = re.compile(r"(?<![_|｜—–-])[_|｜—–-]+[\u4e00-\u9fff]{2,20}(?:人民政府|政府网|门户网站|网站|网)$")


def heading_text(line: str) -> str | None:
    """The line as a candidate heading (numbering removed), or None for prose."""
    if _PROSE_PUNCT.search(_clean(line)):
        return None
    return _unpunctuated_heading(line)


def _unpunctuated_heading(line: str) -> str | None:
    """``heading_text`` of a line known to print no prose punctuation."""
    if _BULLET.match(line) or "\t" in line.strip():
        return None
    text = _NUMBERING.sub("", _clean(line))
    if text.endswith(("府", "网", "站")):   # where _SITE can match (its end), a slow scan
        text = _SITE.sub("", text)
    # _NOT_HEADING, less its prose punctuation: cutting the clean line's ends adds none
    if (not text or len(text) > MAX_HEADING or ":" in text or "：" in text or "通知" in text
            or _NOTE_LEAD.match(text)):
        return None
    # page chrome last: the costliest test, asked only of a line that is a heading otherwise
    return None if page_chrome.is_chrome(line) else text


def classify(text: str) -> str | None:
    """The kind of report a heading names, if any."""
    if "算" not in text and "绩效" not in text and "工作" not in text:
        return None   # every pattern of KINDS needs one (决算 / 预算, 绩效, 工作)
    for kind, pattern in KINDS:
        if pattern.search(text):
            return kind
    return None


def _looks_like_toc_entry(line: str) -> bool:
    text = _clean(line)
    return bool(
        _BULLET.match(line) or _LEADER.search(line.strip())
        or (_NUMBERING.match(text) and len(text) <= MAX_HEADING)
        or (len(text) <= 30 and not _PROSE_MARK.search(text))
    )


def toc_lines(lines: list[str], joined: JoinedLines | None = None) -> set[int]:
    """0-based indexes of the lines of tables of contents (``joined``: the
    lines joined, where the caller has them)."""
    skip: set[int] = set()
    i = 0
    # a 目录 line holds 录 as read (folding keeps ideographs)
    for start in (joined or JoinedLines(lines)).holding("录"):
        if start < i or not _TOC.match(_clean(lines[start])):
            continue
        skip.add(start)
        first = None
        j = start + 1
        while j < len(lines):
            text = _clean(lines[j])
            if text:
                entry = _clean(_LEADER.sub("", _BULLET_LEAD.sub("", lines[j])))
                if first and len(entry) >= 2 and first.startswith(entry) and entry != first[:1]:
                    break            # the body repeats the first entry: TOC is over
                if not _looks_like_toc_entry(lines[j]):
                    break
                first = first or entry
            skip.add(j)
            j += 1
        i = j
    return skip


def _entry_pieces(line: str) -> list[str]:
    """The titles a contents line lists (``附件：A、B`` lists two)."""
    text = _clean(_LEADER.sub("", _BULLET_LEAD.sub("", line)))
    text = _NUMBERING.sub("", text)
    text = _ATTACHMENT.sub("", text)
    return [_NUMBERING.sub("", p) for p in _ENTRY_SPLIT.split(text) if len(p) >= 4]


def toc_kinds(lines: list[str], skip: set[int]) -> list[tuple[int, str, str]]:
    """(0-based line, kind, entry) of the contents entries that name a kind."""
    out = []
    for i in sorted(skip):
        for piece in _entry_pieces(lines[i]):
            kind = classify(piece)
            if kind:
                out.append((i, kind, piece))
    return out


def _names_entry(line: str, entry: str) -> bool:
    """A line (or one of its cells) that is the entry's title, not prose citing it."""
    for cell in split_cells(line) if "\t" in line else [line]:
        text = _NUMBERING.sub("", _clean(cell))
        if (entry in text and len(text) <= len(entry) + 20 and not _SENTENCE_MARK.search(text)
                and not _NOTE_START.match(text)):
            return True
    return False


def toc_sections(lines: list[str], skip: set[int], found: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Sections the contents page names whose bodies follow without a heading
    of their own (the title is a table's caption cell or carries a colon)."""
    known = {k for _, k, _ in found}
    seen = {i for i, _, _ in found}
    end = max(skip, default=-1)
    out = []
    entries = toc_kinds(lines, skip)
    after = [_clean(line) for line in lines[end + 1:]] if entries else []
    for _, kind, entry in entries:
        if kind in known:
            continue
        # a line naming the entry holds it in its clean form (a cell is a piece of its line)
        for j in (end + 1 + k for k in lines_holding(after, entry)):
            if j not in skip and j not in seen and _names_entry(lines[j], entry):
                out.append((j, kind, lines[j].strip()))
                known.add(kind)
                break
    return out


def headings(lines: list[str]) -> list[tuple[int, str, str]]:
    """(0-based line, kind, printed title) of every section heading."""
    joined = JoinedLines(lines)
    skip = toc_lines(lines, joined)
    found = body_headings(lines, skip, joined)
    return sorted(found + toc_sections(lines, skip, found))


def flattened_title(line: str) -> tuple[str, str] | None:
    """(kind, title) of a self-evaluation sheet flattened onto one line."""
    if not selfeval_flat.is_flattened_sheet(line):
        return None
    for token in fold_width(line).split()[:3]:
        kind = classify(token) if len(token) <= MAX_HEADING else None
        if kind:
            return kind, token
    return None


def body_headings(lines: list[str], skip: set[int],
                  joined: JoinedLines | None = None) -> list[tuple[int, str, str]]:
    """Headings outside the contents page."""
    out = []
    texts: dict[int, str | None] = {}   # heading_text of a line, once (the next line's is asked again)

    def heading_at(k: int) -> str | None:   # heading_text (a line not in `able` is not one)
        if k not in texts:
            texts[k] = _unpunctuated_heading(lines[k]) if k in able else None
        return texts[k]

    flat_lines, able = _candidates(lines, skip, joined or JoinedLines(lines))
    resume = 0   # the first line not yet read (a heading may take the next line too)
    for i in sorted(flat_lines | able):
        if i < resume:
            continue
        resume = i + 1
        flat = flattened_title(lines[i]) if i in flat_lines else None
        if flat:
            out.append((i, flat[0], flat[1]))
            continue
        text = heading_at(i)
        if text is None:
            continue
        kind = classify(text)
        title = lines[i].strip()
        used = i
        if kind is None:
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            nxt = heading_at(j) if j < len(lines) and j not in skip else None
            if nxt and classify(nxt) is None and len(text + nxt) <= MAX_HEADING:
                kind = classify(text + nxt)
                if kind:
                    title = lines[i].strip() + lines[j].strip()
                    used = j
        if kind:
            out.append((i, kind, title))
        resume = used + 1
    return out


def _candidates(lines: list[str], skip: set[int], joined: JoinedLines) -> tuple[set[int], set[int]]:
    """The lines outside the contents page that may be a flattened sheet (they
    hold its header word) and those that may be a heading: not blank, no tab
    inside, no prose punctuation as read (folding maps ``，；`` to ``,;``, prose
    marks too, so the clean line holds one exactly where the line does)."""
    flat = set(joined.holding(selfeval_flat.HEADER_WORDS[0])) - skip
    tabbed = {i for i in joined.holding("\t") if "\t" in lines[i].strip()}
    inked = compress(count(), map(str.strip, lines))   # (str.strip and \S go by str.isspace)
    able = set(lines_missing(lines, _PROSE_PUNCT)).intersection(inked) - skip - tabbed
    return flat, able


def _last_line(lines: list[str]) -> int:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            return i
    return 0


def _next_other_kind(found: list[tuple[int, str, str]]) -> list[int | None]:
    """For each heading of ``found`` (line, kind, title), the line of the first
    heading after it of another kind (None if none): one pass from the end."""
    out: list[int | None] = [None] * len(found)
    for n in range(len(found) - 2, -1, -1):
        line, kind, _ = found[n + 1]
        out[n] = line if kind != found[n][1] else out[n + 1]
    return out


def extract(lines: list[str]) -> Parsed:
    """``document_sections``; the rows are also the value handed to identity."""
    found = headings(lines)
    end_of_doc = _last_line(lines)
    rows: dict[str, dict] = {}
    for (i, kind, title), nxt in zip(found, _next_other_kind(found)):
        end = (nxt - 1) if nxt is not None else end_of_doc
        while end > i and not lines[end].strip():
            end -= 1
        if kind not in rows:
            rows[kind] = {"report_type": kind, "title": title,
                          "start_line": i + 1, "end_line": end + 1}
        else:
            rows[kind]["end_line"] = max(rows[kind]["end_line"], end + 1)
    ordered = sorted(rows.values(), key=lambda r: r["start_line"])
    return Parsed({"document_sections": ordered}, value=ordered)
