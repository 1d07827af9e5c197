"""Reading report files and normalizing the text converted from PDFs.

Quirks handled here, once, for every parser:

* Files come as UTF-8 (with or without BOM) or GB18030 (GBK/GB2312 are
  subsets); anything else is an error with a reason, never a guess.
* Converted text mixes full-width digits, letters and punctuation
  (``１２３``, ``％``, ``（）``, ``，``) with ASCII; ``fold_width`` folds them
  so that comparisons and number parsing see one form.
* Cells broken over lines or padded by the converter carry stray spaces;
  ``squash`` removes all whitespace (how names and headers are compared).
* Table cells are separated by tabs, by runs of two or more spaces, or by
  `` | ``; ``split_cells`` accepts all three.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


class UnreadableFile(Exception):
    """The file is empty or in an encoding we don't read."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode(data: bytes) -> DecodedText:
    """Decode report bytes as UTF-8, else GB18030; raise UnreadableFile."""
    if not data.strip():
        raise UnreadableFile("file is empty")
    if b"\x00" in data[:4096]:
        raise UnreadableFile("file is binary (NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return DecodedText(data.decode("gb18030"), "gb18030")
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"neither UTF-8 nor GB18030 (first bad byte at offset {utf8_error.start})"
            ) from None


def lines_of(text: str) -> list[str]:
    """Split text into lines; ``lines[i]`` is source line ``i + 1``."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_WIDTH = {0x3000: " ", 0xFF05: "%", 0xFF08: "(", 0xFF09: ")", 0xFF0C: ","}
# One translate table: full-width ASCII forms (U+FF01..FF5E) → ASCII, plus _WIDTH.
_FOLD = {o: chr(o - 0xFEE0) for o in range(0xFF01, 0xFF5F)} | {o: c for o, c in _WIDTH.items()}


_WIDE = re.compile("[\u3000\uff01-\uff5e]")


def fold_width(s: str) -> str:
    """Fold full-width ASCII forms (Ｕ+FF01..FF5E) and the ideographic space.

    One C-level scan for a wide character first (≈240 MB/s), and a translate
    only when there is one: text already folded by the reader costs a scan.
    """
    return s.translate(_FOLD) if _WIDE.search(s) else s


_WS = re.compile(r"\s+")


def squash(s: str | None) -> str:
    """Remove all whitespace (the gold's and the warehouse's text form)."""
    return _WS.sub("", s or "")


@lru_cache(maxsize=1 << 16)
def _normalize_label(s: str) -> str:
    return _WS.sub("", fold_width(s))


def normalize_label(s: str | None) -> str:
    """A printed label in comparable form: folded width, no whitespace.

    Memoised: labels repeat across the tables of a document and across documents.
    """
    return _normalize_label(s) if s else ""


_CELL_SPLIT = re.compile(r"\t| {2,}| ?\| ?")


def split_cells(line: str) -> list[str]:
    """Split a table line into cells on tabs, runs of spaces or `` | ``."""
    line = line.rstrip("\n")
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return [c.strip() for c in _CELL_SPLIT.split(line)]
