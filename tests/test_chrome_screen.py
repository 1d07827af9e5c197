"""The page-chrome screen never changes which lines are chrome.

``identity_mentions.chrome_lines`` asks ``page_chrome.is_chrome`` only of the
lines ``page_chrome.chrome_candidates`` passes (pieces found in the lines as
read, labels found in their clean forms by ``prefilter.pieces_touched``). Here
it is compared with its definition — every non-empty line asked — on
generated documents built from the chrome's own words, spaced, folded and
full-width forms included, and ``pieces_touched`` with a search per piece.
"""
from __future__ import annotations

import random
import re

from ingest.parsers.rules import identity_mentions as M
from ingest.parsers.rules import page_chrome
from ingest.prefilter import pieces_touched

PIECES = [
    "当前位置", "您现在的位置", "位 置", "位置", "：", ":", "首页", " > ", "/", "»", "＞", "首 页",
    "【", "】", "打印", "关闭", "【打印】", "[", "]", "［", "］", "分享到", "扫一扫", "打印本页", "关闭窗口",
    "字体", "大", "中", "小", "返回", "|", " | ", "\t", " ", "  ", "\u3000", "•", "·", "● ",
    "发布机构", "发 布机构", "来源", "来\u3000源", "索引号", "发布日期", "日期", "时 间", "时间", "文号",
    "责任部门", "所属机构", "服务对象", "2024-05-10", "某某县医疗保障局", "医保局", "部门决算", "，", "。",
    "主办单位", "网站标识码", "编辑", "作者", "关键词", "有效性", "浏览次数", "ｘ", "Ａ",
]


def _line(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 7)))


def _slow_chrome_lines(lines):
    return {i for i, line in enumerate(lines) if line.strip() and page_chrome.is_chrome(line)}


def test_chrome_lines_as_every_line_asked():
    rng = random.Random(21)
    chrome_seen = 0
    for _ in range(3000):
        lines = [_line(rng) for _ in range(rng.randrange(1, 12))]
        slow = _slow_chrome_lines(lines)
        assert M.chrome_lines(lines) == slow, lines
        chrome_seen += len(slow)
    assert chrome_seen > 300    # the generated lines do exercise every kind of chrome


def test_pieces_touched_hold_every_piece_matched():
    rng = random.Random(4)
    pattern = re.compile("ab|ba|abc|c")
    exact = 0
    for _ in range(5000):
        pieces = ["".join(rng.choice("abcx") for _ in range(rng.randrange(4))) for _ in range(rng.randrange(8))]
        touched = pieces_touched(pieces, "".join(pieces), pattern)
        matched = {k for k, p in enumerate(pieces) if pattern.search(p)}
        assert matched <= touched, pieces
        assert all(0 <= k < len(pieces) for k in touched)
        exact += matched == touched
    assert exact > 2500   # a superset, but not every piece

