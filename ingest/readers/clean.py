"""Text clean-up shared by the binary-format readers (PDF, Word, Excel, HTML).

* Radicals (Kangxi and CJK Radicals Supplement) a PDF font map put in place
  of ideographs are mapped back by ``ingest.text.unradical``, the one mapping
  every reader uses (see ``ingest.text``).
* Inside a table cell a line break is where the layout wrapped the cell
  (``本年收入合\\n计``): the pieces are joined without a space, except between
  two Latin letters/digits where a space was meant.
"""
from __future__ import annotations

import re

from ingest.text import unradical


def normalize_chars(text: str) -> str:
    """Radicals → ideographs, CR/LF → LF, NUL and soft hyphens dropped."""
    text = unradical(text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\u00ad", "")


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
