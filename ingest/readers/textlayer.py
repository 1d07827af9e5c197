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


def _gbk(ch: str) -> bool:
    try:
        ch.encode("gbk")
        return True
    except UnicodeEncodeError:
        return False


def judge_text_layer(text: str, unmapped: int = 0, has_images: bool = False) -> str | None:
    """None if the layer is usable, else the reason the page needs OCR."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return "scanned page (an image, no text layer)" if has_images else None
    if "(cid:" in text:
        return "garbage text layer (font without a Unicode map: (cid:N) codes)"
    if len(chars) < MIN_CHARS and not unmapped:
        return None
    bad = sum(1 for c in chars if not plausible(c))
    if unmapped > GARBAGE_SHARE * len(chars) or bad > GARBAGE_SHARE * len(chars):
        return (f"garbage text layer ({max(bad, unmapped)} of {len(chars)} characters "
                f"are not text a Chinese report prints: the font has no usable Unicode map)")
    return None
