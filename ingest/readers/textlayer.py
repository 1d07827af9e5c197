"""Is a PDF page's text layer usable?

A PDF shows glyphs; its text layer is what the font's ToUnicode map says the
glyphs mean. A font exported without that map gives every library silent
mojibake (``ങcϦਪ၇സ…``: no U+FFFD, just wrong characters) or pdfminer's
``(cid:N)`` tokens. Chinese reports print GB2312 characters, ASCII and CJK
punctuation almost exclusively, so a page whose characters are mostly outside
that set has a garbage layer and must be OCR'd. PDFium also flags characters
whose font has no Unicode mapping at all.
"""
from __future__ import annotations

GARBAGE_SHARE = 0.3   # above this share of implausible characters the layer is garbage
MIN_CHARS = 20        # fewer characters than this: too little to judge


def plausible(ch: str) -> bool:
    """A character a Chinese report's text plausibly contains."""
    o = ord(ch)
    if o < 0x80 or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F:
        return True
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return 0x4E00 <= o <= 0x9FFF and _gbk(ch)


_RETRIES = 8   # characters GB2312 can't encode looked at one by one before the rest is


def implausible(chars: str) -> int:
    """How many characters of ``chars`` are not ``plausible``: GB2312 encodes the
    whole text in C, and ``plausible``'s other tests (its ranges, GBK) run only
    on the characters it can't encode. A text with many of those (a garbage
    layer) is counted a character at a time after the first few, instead of
    being encoded again from each."""
    bad, pos = 0, 0
    for _ in range(_RETRIES):
        try:
            chars[pos:].encode("gb2312")
            return bad
        except UnicodeEncodeError as exc:
            bad += sum(1 for c in exc.object[exc.start:exc.end] if not plausible(c))
            pos += exc.end
    return bad + sum(1 for c in chars[pos:] if not plausible(c))


def _gbk(ch: str) -> bool:
    try:
        ch.encode("gbk")
        return True
    except UnicodeEncodeError:
        return False


def judge_text_layer(text: str, unmapped: int = 0, has_images: bool = False) -> str | None:
    """None if the layer is usable, else the reason the page needs OCR."""
    chars = "".join(text.split())   # (str.split splits at every character isspace() holds)
    if not chars:
        return "scanned page (an image, no text layer)" if has_images else None
    if "(cid:" in text:
        return "garbage text layer (font without a Unicode map: (cid:N) codes)"
    if len(chars) < MIN_CHARS and not unmapped:
        return None
    bad = implausible(chars)
    if unmapped > GARBAGE_SHARE * len(chars) or bad > GARBAGE_SHARE * len(chars):
        return (f"garbage text layer ({max(bad, unmapped)} of {len(chars)} characters "
                f"are not text a Chinese report prints: the font has no usable Unicode map)")
    return None
