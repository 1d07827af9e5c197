"""Text clean-up shared by the binary-format readers (PDF, Word, Excel, HTML).

* **Kangxi radicals.** A PDF font whose glyph is shared by an ideograph and its
  Kangxi radical (一/⼀, 人/⼈, 工/⼯ …) is often exported with the radical in
  its ToUnicode map, so every library copies U+2F00–U+2FD5 into the text.
  NFKC maps that whole block to the unified ideographs; the CJK Radicals
  Supplement (U+2E80–U+2EF3) is mapped by NFKC for only 2 of its 128 code
  points, so the common ones are taken from Unicode's
  ``EquivalentUnifiedIdeograph.txt`` here.
* Inside a table cell a line break is where the layout wrapped the cell
  (``本年收入合\\n计``): the pieces are joined without a space, except between
  two Latin letters/digits where a space was meant.

The docmodel engineer's character normalisation (``ingest.text``) supersedes
this once it is on main; until then this is the one place it is done.
"""
from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement → unified ideograph: the 114 pairs of U+2E81–U+2EF3 in
# Unicode's EquivalentUnifiedIdeograph.txt (U+2E80 has none), radical first.
_SUPPLEMENT_PAIRS = (
    "⺁厂 ⺂乛 ⺃乚 ⺄乙 ⺅亻 ⺆冂 ⺇𠘨 ⺈刀 ⺉刂 ⺊卜 ⺋㔾 ⺌小 ⺍小 ⺎兀 ⺏尣 ⺐尢 ⺑𡯂 ⺒巳 ⺓幺 ⺔彑 ⺕𫜹 ⺖忄 ⺗心 ⺘扌 ⺙攵 ⺛旡 ⺜日  "
    "⺝月 ⺞歺 ⺟母 ⺠民 ⺡氵 ⺢氺 ⺣灬 ⺤爫 ⺥爫 ⺦丬 ⺧牛 ⺨犭 ⺩王 ⺪𤴔 ⺫目 ⺬示 ⺭礻 ⺮𥫗 ⺯糹 ⺰纟 ⺱罓 ⺲罒 ⺳㓁 ⺴冗 ⺵𦉫 ⺶羊 ⺷𦍌  "
    "⺸𦍋 ⺹耂 ⺺肀 ⺻聿 ⺼肉 ⺽𦥑 ⺾艹 ⺿艹 ⻀艹 ⻁虎 ⻂衤 ⻃覀 ⻄西 ⻅见 ⻆角 ⻇𧢲 ⻈讠 ⻉贝 ⻊𧾷 ⻋车 ⻌辶 ⻍辶 ⻎辶 ⻏邑 ⻐钅 ⻑長 ⻒镸  "
    "⻓长 ⻔门 ⻕𨸏 ⻖阝 ⻗雨 ⻘青 ⻙韦 ⻚页 ⻛风 ⻜飞 ⻝食 ⻞𩙿 ⻟飠 ⻠饣 ⻡𩠐 ⻢马 ⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻫斉 ⻬齐 ⻭歯  "
    "⻮齿 ⻯竜 ⻰龙 ⻱龜 ⻲亀 ⻳龟"
)
_SUPPLEMENT = {pair[0]: pair[1] for pair in _SUPPLEMENT_PAIRS.split()}
_RADICALS = re.compile("[\u2e80-\u2ef3\u2f00-\u2fd5]")


def _unradical(match: re.Match) -> str:
    ch = match.group(0)
    if ord(ch) >= 0x2F00:
        return unicodedata.normalize("NFKC", ch)
    return _SUPPLEMENT.get(ch, ch)


def normalize_chars(text: str) -> str:
    """Radicals → ideographs, CR/LF → LF, NUL and soft hyphens dropped."""
    text = _RADICALS.sub(_unradical, text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\u00ad", "")


def count_radicals(text: str) -> int:
    return len(_RADICALS.findall(text))


_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")


def join_wrapped(text: str | None) -> str:
    """A cell's text with the layout's line breaks removed (see module doc)."""
    if not text:
        return ""
    parts = [p.strip() for p in normalize_chars(text).split("\n")]
    out = ""
    for part in parts:
        if not part:
            continue
        if out and _LATIN_END.search(out) and _LATIN_START.search(part) and not (
                out[-1].isdigit() and part[0].isdigit()):
            out += " "
        out += part
    return out.replace("\t", " ")
