"""Is decoded text Chinese, or bytes of another encoding that happened to decode?

GB18030 accepts almost any byte pair, so Big5, Shift-JIS, EUC-KR or random
high bytes often decode "successfully" into garbage. A real report is made,
overwhelmingly, of characters from the common GB2312 set (6 763 hanzi,
full-width punctuation) and holds no control characters; a wrong decoding is
not. ``garbage_reason`` names the symptom, so the file is recorded as
undecodable instead of loaded as a document of nonsense.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

MAX_OUTSIDE_GB2312 = 0.10   # share of non-ASCII characters outside GB2312
MAX_CONTROL = 0.005         # share of control / private-use / unassigned characters
MIN_SAMPLE = 20             # fewer non-ASCII characters than this: too little to judge


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


# a character outside printable ASCII, CJK punctuation, the unified ideographs and the
# full-width forms: none of those is a control or unassigned character, so a text of
# them only (most reports) needs no count (one C-level scan)
COMMON_RANGES = "\t\n\r\f\v\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e"
_UNCOMMON = re.compile(f"[^{COMMON_RANGES}]")
_CONTROL = ("Cc", "Co", "Cn", "Cs")


@lru_cache(maxsize=1)
def _candidates() -> re.Pattern:
    """The characters that may be control or unassigned: those outside the common
    ranges, and any inside them this Python's Unicode data leaves unassigned
    (none in Unicode 14), so only they are judged one by one."""
    spans = [(ord(a), ord(b)) for a, b in re.findall(r"(.)-(.)", COMMON_RANGES)]
    odd = "".join(chr(o) for a, b in spans for o in range(a, b + 1)
                  if unicodedata.category(chr(o)) in _CONTROL)
    return re.compile(f"[^{COMMON_RANGES}]" + (f"|[{re.escape(odd)}]" if odd else ""))


def garbage_reason(text: str, encoding: str) -> str | None:
    """Why ``text`` (decoded as ``encoding``) is not a Chinese report, or None."""
    sample = text[:200_000]
    # each distinct character judged once (a report uses a few thousand), in C; only
    # the (rare) control characters are counted
    controls = 0 if not _UNCOMMON.search(sample) else sum(map(sample.count, [
        ch for ch in set(_candidates().findall(sample))
        if ch not in "\t\n\r\f\v" and unicodedata.category(ch) in _CONTROL]))
    if sample and controls / len(sample) > MAX_CONTROL:
        return (f"decodes as {encoding} but {controls} of its {len(sample)} characters are "
                "control or unassigned characters: not text in an encoding yibao reads "
                "(UTF-8 or GB18030); convert it to UTF-8")
    if encoding != "gb18030":
        return None
    counts = Counter(sample)
    wide = {ch: n for ch, n in counts.items() if ord(ch) > 0x7F and not ch.isspace()}
    n_wide = sum(wide.values())
    if n_wide < MIN_SAMPLE:
        return None
    outside = sum(n for ch, n in wide.items() if not _in_gb2312(ch))
    if outside / n_wide > MAX_OUTSIDE_GB2312:
        return (f"decodes as GB18030 but {outside / n_wide:.0%} of its characters are outside "
                "the common GB2312 set — likely Big5, Shift-JIS or another encoding; "
                "convert it to UTF-8")
    return None
