"""Web-page chrome and metadata rows around a published report.

Reports saved from a government site (as text, or as HTML whose metadata the
HTML reader already moved into ``Document.metadata``) carry the page around
the report before its title:

* breadcrumbs — ``当前位置: 首页 / 政务公开 / 财政资金``, ``首页 > 信息公开 > …``;
* bullets and tool links — ``• 发布日期: 2024-05-10``, ``• 来源: …``,
  ``【字体: 大 中 小】``, ``【打印】``, ``【关闭】``, ``分享到:``;
* metadata rows — ``索引号 | 1234/2024-01 | 发布机构 | 某某县医疗保障局`` or
  ``所属机构：X  责任部门：X``, one label/value pair per cell pair or inline
  after a colon.

``is_chrome`` tells a parser to pass such a line over (it is neither the
title nor prose, and its dates are publication dates, never the fiscal
year). ``metadata_fields`` reads the label/value pairs of a chrome line, and
``PUBLISHER_LABELS`` names the labels whose value is the publishing unit. A
site's host (``主办单位``, ``网站标识码``) is chrome too but never a publisher.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ingest.prefilter import JoinedLines, pieces_touched
from ingest.text import fold_width, split_cells, squash

# Labels of a page's metadata block; vocabulary, defined once here.
METADATA_LABELS = (
    "索引号", "发布机构", "所属机构", "责任部门", "发文机关", "发文单位", "发布单位",
    "信息来源", "文章来源", "来源", "主题分类", "体裁分类", "组配分类", "服务对象",
    "成文日期", "发布日期", "发布时间", "公开日期", "生成日期", "更新日期", "文号",
    "发文字号", "公开方式", "公开范围", "公开形式", "有效性", "信息分类", "关键词",
    "浏览次数", "访问量", "点击数", "阅读次数", "作者", "编辑", "责任编辑", "主办单位",
    "网站标识码",
)
PUBLISHER_LABELS = ("发布机构", "所属机构", "责任部门", "发文机关", "发文单位", "发布单位",
                    "信息来源", "文章来源", "来源")
_LABELS = "|".join(sorted(METADATA_LABELS, key=len, reverse=True))
_LABEL_CELL = re.compile(rf"^(?:[•·●◆■▪]\s*)?({_LABELS})\s*[:：]?$")
_INLINE = re.compile(rf"(?:^|[\s|•·●◆■▪])({_LABELS})\s*[:：]\s*([^\s|•·●◆■▪:：]+)")
_BREADCRUMB = re.compile(r"^(?:您?当前(?:的)?位置|您现在的位置|你的位置|所在位置|位置)\s*[:：]|首页\s*[/>»›＞]")
_TOOLS = re.compile(r"【[^】]{0,20}】|\[[^\]]{0,10}\]|分享到[:：]?|扫一扫|打印本页|关闭窗口|字体[:：]?\s*大\s*中\s*小")
_TOOL_WORDS = re.compile(r"^(?:打印|关闭|收藏|返回顶部|返回|分享|字号|大|中|小|默认|【|】|\[|\]|\s|[:：|/>])*$")
_BULLET_LABEL = re.compile(rf"^[•·●◆■▪]\s*({_LABELS}|日期|时间)\s*[:：]")
# every metadata row prints one of these whole (in a cell, inline or after a bullet)
_ANY_LABEL = re.compile(f"{_LABELS}|日期|时间")


def _clean(line: str) -> str:
    return fold_width(line).strip()


def metadata_fields(line: str) -> list[tuple[str, str]]:
    """(label, value) pairs a metadata line prints, in order.

    Cells are paired (a label cell, then the next non-empty cell is its
    value); otherwise ``label：value`` pairs inside the line are read."""
    text = _clean(line)
    cells = [c for c in (squash(x) for x in split_cells(text)) if c]
    out: list[tuple[str, str]] = []
    i = 0
    while len(cells) > 1 and i < len(cells):
        m = _LABEL_CELL.match(cells[i])
        if m and i + 1 < len(cells) and not _LABEL_CELL.match(cells[i + 1]):
            out.append((m.group(1), cells[i + 1]))
            i += 2
            continue
        if m:
            i += 1
            continue
        inline = [(a, b) for a, b in _INLINE.findall(" " + cells[i])]
        out.extend(inline)
        i += 1
    if not out:
        out = [(a, b) for a, b in _INLINE.findall(" " + text)]
    return out


def is_metadata_row(line: str) -> bool:
    """A row of the page's metadata block (two labels, or a bullet label)."""
    text = _clean(line)
    if not text or not _ANY_LABEL.search(squash(text)):
        return False   # (a label within a cell is a piece of the line squashed)
    if _BULLET_LABEL.match(text):
        return True
    fields = metadata_fields(text)
    if len(fields) >= 2:
        return True
    if len(fields) == 1:
        label, value = fields[0]
        # a lone `label：value` line is metadata when it says nothing else
        rest = squash(text).replace(label, "", 1).replace(value, "", 1).strip(":：•·●")
        return not rest
    return False


@lru_cache(maxsize=1 << 15)
def is_chrome(line: str) -> bool:
    """Breadcrumbs, tool links, bullets and metadata rows of a web page.

    Memoised (a pure function of the line): the identity and sections parsers
    ask it of the same lines."""
    text = _clean(line)
    if not text:
        return False
    if _BREADCRUMB.search(text):
        return True
    if _TOOLS.search(text) and _TOOL_WORDS.match(_TOOLS.sub("", text)):
        return True
    return is_metadata_row(text)


# Which lines may be chrome (``chrome_candidates``): ``is_chrome`` holds only where
# _BREADCRUMB, _TOOLS or _ANY_LABEL finds something. Each branch of _BREADCRUMB holds
# 位置 or 首页 and each of _TOOLS one of the pieces below, whole in the folded line, so
# in the line as read (folding maps a character to one character and keeps ideographs;
# ［ is the one character that folds to [). A metadata row's label is found in the line
# folded and squashed (``normalize_label``), as whitespace may split it as read.
_READ_PIECES = ("位置", "首页", "【", "[", "［", "分享到", "扫一扫", "打印本页", "关闭窗口", "字体")


def chrome_candidates(joined: JoinedLines, clean: list[str], clean_text: str) -> set[int]:
    """Indexes of the lines ``is_chrome`` may hold for (a superset): ``joined``:
    the lines joined, ``clean``: each line's ``normalize_label``, ``clean_text``:
    those concatenated."""
    out = set(joined.holding_any(_READ_PIECES))
    out.update(pieces_touched(clean, clean_text, _ANY_LABEL))
    return out


def publishers(fields: list[tuple[str, str]]) -> list[str]:
    """The values of publisher labels, in the order printed."""
    return [v for label, v in fields if label in PUBLISHER_LABELS]
