"""Where a report prints its unit: the mentions ``ingest.parsers.identity`` chooses from.

Each function reads one kind of clue (the rules are listed in the docstring
of ``ingest.parsers.identity``): a title line, a labelled field, a label cell
followed by the name's cell, a 职责 sentence, the page's metadata (rows in the
text, or ``Document.metadata``), the file name. Names keep their printed form
(whitespace removed); ``expand_name`` and ``split_scope`` normalize them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress, count

from ingest.parsers.rules import page_chrome
from ingest.prefilter import Finder, JoinedLines, lines_opening
from ingest.text import fold_width, normalize_label, split_cells

# replaced by the colon: a scan for colons, not a lookbehind tried at every position
_SPACE_AFTER_COLON = re.compile(r"([:：])\s+")
_LEAD_DIGITS = re.compile(r"^\d+")
HEAD_LINES = 15          # non-empty lines that count as the document's head
SIGNATURE_LINES = 12     # non-empty lines at the end that may hold a signature
MAX_TITLE = 60           # a longer line is prose, not a title
DUTY_LINES = 6           # non-empty lines after a 职责 heading read for the unit

_CJK = r"\u4e00-\u9fff"
_ORG_SUFFIX = r"(?:局|中心|委员会|办公室|厅|院|所|站|处|队|馆|政府|委|办)"
_SCOPE = r"(?:机关)?(?:本级)?(?:[(（](?:部门|单位)?(?:汇总|本级|机关本级|合并|含下属单位)[)）])?"
_NAME = rf"[{_CJK}()（）]{{2,40}}?{_ORG_SUFFIX}{_SCOPE}"
_NAME_ONLY = re.compile(rf"^({_NAME})$")
_REPORT_WORD = r"(?:\d{4}年度?)?(?:部门|单位)?(?:整体|项目|决算|预算|绩效|概况|年度|工作)"
_TITLE = re.compile(rf"^(?:\d{{4}}年度?)?({_NAME}){_REPORT_WORD}")
_LABEL = re.compile(
    r"(?:预算主管部门|(?<!中央)(?<!地方)主管部门|编制部门|编制单位|评价单位|资金使用单位|项目实施单位|"
    r"实施单位|填报单位|预算单位|项目单位|单位名称|部门名称|部门|单位)"
    r"(?:\([^)]{0,6}\))?[:：]\s*([^\s:：]{2,40})"
)
_LABEL_FINDER = Finder(_LABEL)   # a branch opens with lookbehinds: no first character for re to scan for
_FUNDER = re.compile(r"(?:中央|地方)主管部门(?:\([^)]{0,6}\))?[:：]\s*\S*")
_CELL_LABELS = ("预算主管部门", "主管部门", "编制部门", "编制单位", "评价单位", "资金使用单位", "项目实施单位",
                "实施单位", "填报单位", "预算单位", "项目单位", "单位名称", "部门名称", "部门(单位)名称")
_CELL_LABEL = re.compile(
    r"^(?:" + "|".join(map(re.escape, _CELL_LABELS)) + r")(?:\([^)]{0,6}\))?[:：]?$")
_ANY_CELL_LABEL = re.compile("|".join(map(re.escape, _CELL_LABELS)))   # a label cell is a piece of its line
_NUMBERING = re.compile(
    r"^(?:附件\d*[:：]?|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.]|"
    r"\([一二三四五六七八九十\d]+\)|\d+[、.]|关于(?:公开)?)"
)
_DATE = re.compile(r"(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?$")
_ABBREVIATIONS = (
    (re.compile(r"医保(?=局|事务|经办|服务|事业|中心)"), "医疗保障"),
)
_NOT_UNITS = re.compile(r"^(?:本|我|该|各|全|上级|主管)|报告$|说明$")
_SCOPE_SUFFIX = re.compile(
    r"(?P<organ>机关)?(?P<own>本级)?(?:[(（](?:部门|单位)?(?P<word>汇总|本级|机关本级|合并|含下属单位)[)）])?$")

_DUTY_HEADING = re.compile(r"职责|职能|基本情况|概况|简介|机构设置")
# a character of each _DUTY_HEADING word: what it finds in a clean line, the line holds as read
_DUTY_CHARS = ("职", "况", "简", "置")
_DUTY = re.compile(rf"^({_NAME})(?:是|为|主要职责|的主要职责|主要职能|的主要职能|贯彻|负责|承担|"
                   r"成立于|于\d{4}年|内设|下设|属于|属|位于|现有|共有|设有|作为)")
_SENTENCE = re.compile(r"[，。；;！？]")
_FILE_SPLIT = re.compile(r"[_\-\s.·—]+")

# Cheap screens (find_mentions): a line none of them passes prints no mention.
# Every label of _LABEL and _CELL_LABELS holds 部门 or 单位 (its clean form,
# whose characters the line holds as read, folding keeps ideographs) …
_LABEL_CHARS = ("门", "位")
_LABEL_END = re.compile(r"[门位称][:：(]")   # … its last character (部门 单位 名称) before its colon or (…), folded
# … a name ends with a word of _ORG_SUFFIX, which starts with one of these …
_ORG_CHAR = re.compile(r"[局中委办厅院所站处队馆政]")
# … and a clean line _NUMBERING matches starts, as read, with what folds to its
# first character (\d holds the full-width digits; （ folds to (); with match
_NUMBERED = re.compile(r"\A\s*[附第一二三四五六七八九十(（\d关]")   # \A: used with match; keeps a search linear

# the readers' metadata keys that mean a publisher label (HTML <meta>, PDF info)
_META_KEYS = {"publisher": "发布机构", "source": "来源", "dc.publisher": "发布机构"}



@dataclass(frozen=True)
class Mention:
    name: str         # as printed, whitespace removed
    line: int | None  # 1-based; None for the page metadata and the file name
    snippet: str      # the line as printed, stripped
    how: str          # title / label / cell / duty / signature / metadata / file_name


_clean = normalize_label   # folded, whitespace removed (memoised)


def expand_name(name: str) -> str:
    """Spell out the short forms reports use (医保局 → 医疗保障局)."""
    for pattern, repl in _ABBREVIATIONS:
        name = pattern.sub(repl, name)
    return name


def split_scope(name: str) -> tuple[str, str | None]:
    """``某某县医疗保障局(汇总)`` → (某某县医疗保障局, 汇总); ``…局机关`` → 本级."""
    m = _SCOPE_SUFFIX.search(name)
    if not m or m.start() == len(name):
        return name, None
    base = name[:m.start()]
    if not re.search(_ORG_SUFFIX + "$", base):
        return name, None
    word = m.group("word")
    if word in ("汇总", "合并", "含下属单位"):
        return base, "汇总"
    return base, "本级"


def _plausible(name: str) -> bool:
    return bool(name) and not _NOT_UNITS.search(name) and len(split_scope(name)[0]) >= 4


def title_unit(line: str) -> str | None:
    """A unit named by a title line: alone, or in front of the report's name."""
    if not _ORG_CHAR.search(line):
        return None          # no name: _NAME ends with an _ORG_SUFFIX word
    text = _NUMBERING.sub("", _clean(line))
    if "月" in text:   # _DATE needs a 月 (a slow scan otherwise)
        text = _DATE.sub("", text)
    if len(text) > MAX_TITLE or _SENTENCE.search(text):
        return None          # prose, not a title
    for pattern in (_NAME_ONLY, _TITLE):
        m = pattern.match(text)
        if m and _plausible(m.group(1)):
            return m.group(1)
    return None


def label_unit(line: str) -> str | None:
    """A unit given in a labelled field (部门：…, 评价单位：…)."""
    folded = fold_width(line)
    if not _LABEL_END.search(folded):
        return None   # _LABEL's word ends before its colon or (…) (the substitutions below only remove text)
    text = _FUNDER.sub(" ", folded.replace("\t", "  "))
    for m in _LABEL_FINDER.finditer(_SPACE_AFTER_COLON.sub(r"\1", text)):
        value = m.group(1)
        if _NAME_ONLY.match(value) and _plausible(value):
            return value
    return None


def cell_unit(line: str) -> str | None:
    """A unit in the cell after a label cell (``资金使用单位 | 某某县医疗保障局``)."""
    if ("\t" not in line and "|" not in line) or not _ANY_CELL_LABEL.search(_clean(line)):
        return None
    cells = [_clean(c) for c in split_cells(fold_width(line))]
    for k, cell in enumerate(cells):
        if not _CELL_LABEL.match(cell):
            continue
        value = next((c for c in cells[k + 1:] if c), "")
        if _NAME_ONLY.match(value) and _plausible(value):
            return value
    return None


def metadata_units(fields: list[tuple[str, str]]) -> list[str]:
    """Publisher names of the page's metadata that read as units."""
    return [v for v in page_chrome.publishers(fields) if _NAME_ONLY.match(v) and _plausible(v)]


def file_unit(file_name: str | None) -> str | None:
    """A unit the file is named after (``某某县医保局2023年决算.pdf``)."""
    if not file_name:
        return None
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for part in _FILE_SPLIT.split(fold_width(stem)):
        name = title_unit(_LEAD_DIGITS.sub("", part))
        if name:
            return name
    return None


def _non_empty(lines: list[str], chrome: set[int]) -> list[int]:
    return [i for i in compress(count(), map(str.strip, lines)) if i not in chrome]


def chrome_lines(lines: list[str], joined: JoinedLines | None = None,
                 clean: list[str] | None = None) -> set[int]:
    """0-based indexes of page chrome (breadcrumbs, bullets, metadata rows)
    (``joined``: the lines joined, ``clean``: each line's clean form, where the
    caller has them). Only the lines ``page_chrome.chrome_candidates`` passes
    are asked."""
    joined = joined or JoinedLines(lines)
    clean = list(map(_clean, lines)) if clean is None else clean
    candidates = page_chrome.chrome_candidates(joined, clean, "".join(clean))
    return {i for i in candidates if page_chrome.is_chrome(lines[i])}


def duty_lines(lines: list[str], chrome: set[int], joined: JoinedLines | None = None) -> set[int]:
    """The first lines under a 职责 / 职能 / 概况 heading (``joined``: the lines
    joined, where the caller has them)."""
    out: set[int] = set()
    for i in (joined or JoinedLines(lines)).holding_any(_DUTY_CHARS):
        line = lines[i]
        if i in chrome or not _DUTY_HEADING.search(_clean(line)):
            continue   # (the numbering is a prefix: what it leaves holds no more)
        text = _NUMBERING.sub("", _clean(line))
        if not text or len(text) > 20 or not _DUTY_HEADING.search(text):
            continue
        taken = 0
        for j in range(i + 1, len(lines)):
            if taken >= DUTY_LINES:
                break
            if lines[j].strip():
                out.add(j)
                taken += 1
    return out


def duty_unit(line: str) -> str | None:
    """``某某县医疗保障局是县政府工作部门…``: the unit a 职责 sentence opens with."""
    text = _NUMBERING.sub("", _clean(line))
    m = _DUTY.match(text)
    if m and _plausible(m.group(1)):
        return m.group(1)
    return None


def find_mentions(lines: list[str], chrome: set[int] | None = None,
                  joined: JoinedLines | None = None) -> list[Mention]:
    """Every place the document prints its unit, in reading order (``chrome``:
    ``chrome_lines(lines)``, ``joined``: the lines joined, where the caller has
    them). Only the lines the screens above pass are read."""
    out = []
    chrome = chrome_lines(lines) if chrome is None else chrome
    joined = joined or JoinedLines(lines)
    non_empty = _non_empty(lines, chrome)
    head = set(non_empty[:HEAD_LINES])
    tail = set(non_empty[-SIGNATURE_LINES:])
    duty = duty_lines(lines, chrome, joined)
    numbered = set(lines_opening(lines, _NUMBERED))
    labelled = set(joined.holding_any(_LABEL_CHARS))
    for i in sorted(chrome | head | tail | duty | numbered | labelled):
        line = lines[i]
        if not line.strip():
            continue
        if i in chrome:
            for name in metadata_units(page_chrome.metadata_fields(line)):
                out.append(Mention(name, i + 1, line.strip(), "metadata"))
            continue
        name = how = None
        if i in labelled:
            name, how = label_unit(line), "label"
            if name is None:
                name, how = cell_unit(line), "cell"
        if name is None and (i in head or i in tail or (i in numbered and _NUMBERING.match(_clean(line)))):
            name = title_unit(line)
            how = "title" if i not in tail or i in head else "signature"
        if name is None and i in duty:
            name, how = duty_unit(line), "duty"
        if name:
            out.append(Mention(name, i + 1, line.strip(), how))
    return out


def document_mentions(metadata: dict | None, file_name: str | None) -> list[Mention]:
    """Mentions outside the text: the reader's page metadata and the file name."""
    out = []
    fields = [(_META_KEYS.get(str(k).lower(), str(k)), normalize_label(str(v)))
              for k, v in (metadata or {}).items() if v]
    for name in metadata_units(fields):
        label = next(k for k, v in fields if v == name)
        out.append(Mention(name, None, f"{label}: {name}", "metadata"))
    title = next((v for k, v in (metadata or {}).items() if str(k).lower() in ("title", "标题") and v), None)
    if title and title_unit(str(title)):
        out.insert(0, Mention(title_unit(str(title)), None, str(title).strip(), "title"))
    name = file_unit(file_name)
    if name:
        out.append(Mention(name, None, file_name, "file_name"))
    return out
