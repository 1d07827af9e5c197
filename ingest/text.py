"""Reading report files and normalizing the text converted from PDFs.

Quirks handled here, once, for every parser:

* Files come as UTF-8 (with or without BOM) or GB18030 (GBK/GB2312 are
  subsets); anything else is an error with a reason, never a guess. A
  character cut off by the end of a truncated file is dropped (``decode_cut``).
* Converted text mixes full-width digits, letters and punctuation
  (``１２３``, ``％``, ``（）``, ``，``) with ASCII; ``fold_width`` folds them
  so that comparisons and number parsing see one form.
* Cells broken over lines or padded by the converter carry stray spaces;
  ``squash`` removes all whitespace (how names and headers are compared).
* Table cells are separated by tabs, by runs of two or more spaces, or by
  `` | ``; ``split_cells`` accepts all three.
* ``normalize`` is applied ONCE, by the text reader, to the whole file: full-
  width ASCII forms → ASCII, NBSP / U+3000 and other spaces → a space,
  zero-width characters removed, Kangxi radicals (U+2F00–2FD5) and CJK
  Radicals Supplement characters (U+2E80–2EF3) → the ideographs a PDF's font
  map meant. What was replaced is counted for ``Document.flags``.
* Radicals: a PDF font whose glyph is shared by an ideograph and its radical
  (一/⼀, 人/⼈, 民/⺠ …) is often exported with the radical in its ToUnicode
  map, so every library copies the radical into the text. NFKC maps the
  Kangxi block but only 2 of the Supplement's code points, so both blocks are
  mapped by Unicode's EquivalentUnifiedIdeograph pairs, shipped once in
  ``ingest/vocabularies/cjk_radicals.csv``; ``unradical`` is the one function
  every reader uses (the text reader through ``normalize``).
"""
from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ingest.plausible import garbage_reason
from ingest.vocabularies import cjk_radicals


class UnreadableFile(Exception):
    """The file is empty or in an encoding we don't read."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode(data: bytes) -> DecodedText:
    """Decode report bytes as UTF-8, else GB18030; raise UnreadableFile."""
    decoded = _decode(data)
    why = garbage_reason(decoded.text, decoded.encoding)  # a wrong decoding is not a guess we keep
    if why:
        raise UnreadableFile(why)
    return decoded


def _decode(data: bytes) -> DecodedText:
    if not data.strip():
        raise UnreadableFile("file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        try:
            return DecodedText(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"UTF-16 (by its byte-order mark) but not valid UTF-16 "
                                 f"at offset {exc.start}") from None
    if b"\x00" in data[:4096]:
        for utf16 in ("utf-16-le", "utf-16-be"):
            try:
                as16 = data.decode(utf16)
                if (sum("\u4e00" <= ch <= "\u9fff" for ch in as16) >= 10
                        and garbage_reason(as16, "gb18030") is None):
                    raise UnreadableFile(f"looks like {utf16.upper()} without a byte-order "
                                         "mark; save it as UTF-8 (yibao does not guess)")
            except UnicodeDecodeError:
                continue
        raise UnreadableFile("file is binary (NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return DecodedText(decode_cut(data, "utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return DecodedText(decode_cut(data, "gb18030"), "gb18030")
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"neither UTF-8 nor GB18030 (first bad byte at offset {utf8_error.start})"
            ) from None


def decode_cut(data: bytes, codec: str) -> str:
    """Strict decoding, except that a character cut off by the end of the file
    (a truncated download) is dropped instead of failing the whole file."""
    return codecs.getincrementaldecoder(codec)("strict").decode(data, final=False)


def lines_of(text: str) -> list[str]:
    """Split text into lines; ``lines[i]`` is source line ``i + 1``."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_WIDTH = {0x3000: " ", 0xFF05: "%", 0xFF08: "(", 0xFF09: ")", 0xFF0C: ","}
# One translate table: full-width ASCII forms (U+FF01..FF5E) → ASCII, plus _WIDTH.
_FOLD = {o: chr(o - 0xFEE0) for o in range(0xFF01, 0xFF5F)} | {o: c for o, c in _WIDTH.items()}


_WIDE = re.compile("[\u3000\uff01-\uff5e]")


@lru_cache(maxsize=1 << 16)
def fold_width(s: str) -> str:
    """Fold full-width ASCII forms (Ｕ+FF01..FF5E) and the ideographic space.

    One C-level scan for a wide character first (≈240 MB/s), and a translate
    only when there is one: text already folded by the reader costs a scan.
    Memoised: the checks and parsers fold the same lines and cells again and
    again (a cache hit costs less than the scan).
    """
    return s.translate(_FOLD) if _WIDE.search(s) else s


def fold_width_text(s: str) -> str:
    """``fold_width`` of a text too long to be worth memoising (a whole document):
    the same one scan, then a translate only where there is a wide character
    (folding is character by character, so the fold of lines joined is the
    lines' folds joined)."""
    return s.translate(_FOLD) if _WIDE.search(s) else s


_SPACES = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@lru_cache(maxsize=1)
def _translation() -> tuple[dict[int, str | None], dict[str, re.Pattern]]:
    table: dict[int, str | None] = {o: chr(o - 0xFEE0) for o in range(0xFF01, 0xFF5F)}
    table.update({ord(c): " " for c in _SPACES})
    table.update({ord(c): None for c in _ZERO_WIDTH})
    table.update({ord(radical): ideograph for radical, ideograph in cjk_radicals().items()})
    classes = {
        "fullwidth_forms": re.compile("[\uff01-\uff5e]"),
        "spaces": re.compile(f"[{_SPACES}]"),
        "zero_width": re.compile(f"[{_ZERO_WIDTH}]"),
        "kangxi_radicals": re.compile("[\u2f00-\u2fd5]"),
        "cjk_radicals_supplement": re.compile("[\u2e80-\u2ef3]"),
    }
    return table, classes


@lru_cache(maxsize=1)
def _replacements() -> tuple[re.Pattern, dict[str, str]]:
    """The translation table as one character class and a character → replacement
    map: ``re.sub`` over it gives ``str.translate(table)``'s result, but scans in C
    and calls Python only at the (few) characters replaced, where ``translate``
    with a dict looks up every character of the text (≈1 MB/s on CJK text)."""
    table = _translation()[0]
    chars = {chr(o): ("" if r is None else r) for o, r in table.items()}
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]"), chars


_RADICAL = re.compile("[\u2e80-\u2ef3\u2f00-\u2fd5]")


def unradical(text: str) -> str:
    """``text`` with every radical that has an equivalent ideograph replaced by it."""
    if not _RADICAL.search(text):
        return text
    radicals = cjk_radicals()
    return _RADICAL.sub(lambda m: radicals.get(m.group(0), m.group(0)), text)


def normalize(text: str) -> tuple[str, Counter]:
    """The text with every character folded as the module docstring says, and
    the count of each kind of character replaced."""
    classes = _translation()[1]
    chars = _replacements()[1]
    # one scan for every class at once: each character found, counted
    found = Counter(_any_class().findall(text))
    counts: Counter = Counter()
    if not found:
        return text, counts
    for name, klass in classes.items():
        n = sum(k for ch, k in found.items() if klass.match(ch))
        if n:
            counts[name] = n
    # a few distinct characters, each replaced in one C-level pass (no replacement
    # is itself a character replaced: ASCII, a space, nothing or an ideograph)
    for ch in found:
        if ch in chars:
            text = text.replace(ch, chars[ch])
    return text, counts


@lru_cache(maxsize=1)
def _any_class() -> re.Pattern:
    """One character class: the union of the character classes ``normalize`` counts."""
    return re.compile("|".join(p.pattern for p in _translation()[1].values()))



def squash(s: str | None) -> str:
    """Remove all whitespace (the gold's and the warehouse's text form).

    ``str.split()`` splits on exactly the characters ``\\s`` matches
    (``str.isspace``) and is several times faster than ``re.sub`` on short text."""
    return "".join(s.split()) if s else ""


@lru_cache(maxsize=1 << 16)
def normalize_label(s: str | None) -> str:
    """A printed label in comparable form: folded width, no whitespace.

    Memoised (the cache itself is the function: no Python frame on a hit): labels
    and lines repeat across the parsers and checks of a document and across
    documents.
    """
    return "".join(fold_width(s).split()) if s else ""


_CELL_SPLIT = re.compile(r"\t| {2,}| ?\| ?")


def split_cells(line: str) -> list[str]:
    """Split a table line into cells on tabs, runs of spaces or `` | ``."""
    line = line.rstrip("\n")
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return [c.strip() for c in _CELL_SPLIT.split(line)]
