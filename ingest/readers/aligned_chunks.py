"""The chunks of a space-aligned line: runs of text between two or more spaces
(single words where a cramped row puts figures one space apart), with their
positions in characters and in the table's unit (characters or display
columns, a CJK character counting two). See ``ingest.readers.aligned``."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CHUNK = re.compile(r"\S+(?: \S+)*")       # text between runs of two or more spaces
_WORD = re.compile(r"\S+")
_NUMBER = re.compile(r"^[-−(（]?\d[\d,]*(?:\.\d+)?[)）%]?$|^-$")


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass
class Chunk:
    text: str
    start: int          # in the table's unit (characters or display columns)
    end: int
    char_start: int     # always characters, for the cell's location
    char_end: int

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2


def chunks(line: str, display: bool, words: bool = False) -> list[Chunk]:
    """The chunks (or single words) of a line with their positions."""
    out = []
    pattern = _WORD if words else _CHUNK
    for m in pattern.finditer(line):
        if not words and " " in m.group() and sum(map(is_number, m.group().split())) >= 2:
            # figures a single space apart (a cramped row): each is a cell
            out.extend(chunks_of_words(line, m.start(), m.end(), display))
            continue
        if display:
            start = display_width(line[:m.start()])
            end = start + display_width(m.group())
        else:
            start, end = m.start(), m.end()
        out.append(Chunk(m.group(), start, end, m.start(), m.end()))
    return out


def chunks_of_words(line: str, start: int, end: int, display: bool) -> list[Chunk]:
    return [c for c in chunks(line, display, words=True) if start <= c.char_start and c.char_end <= end]


def is_aligned_line(line: str) -> bool:
    """Two or more chunks separated by runs of spaces."""
    return len(_CHUNK.findall(line)) >= 2


def _split_words(chunk: Chunk, line: str, display: bool) -> list[Chunk]:
    words = chunks(line[chunk.char_start:chunk.char_end], display, words=True)
    base_unit = chunk.start
    return [Chunk(w.text, base_unit + w.start, base_unit + w.end,
                  chunk.char_start + w.char_start, chunk.char_start + w.char_end) for w in words]
