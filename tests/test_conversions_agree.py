"""A report read from its PDF and from a text conversion of it gives the same
facts: every fact table's rows, compared without where they stand (line
numbers and page locators differ between two renderings of one page).

The PDF side is yibao's rendering of each sample PDF (``tests/sampletext.py``,
read once per run), parsed as a text file; the other is the tab-separated
``.txt`` conversion published beside the sample in the shared folder (skipped
without it). A difference is a layout detail of one rendering (a blank line, a
wrapped heading, a split cell) that a parser or check depends on."""
from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.pipeline import parse_file
from tests.sampletext import CORPUS, rendering

SHARED = Path(os.environ.get("YIBAO_SHARED", CORPUS.parent.parent / "shared"))
PAIRS = [(pdf, SHARED / "samples" / f"{pdf.stem}.txt")
         for pdf in sorted((CORPUS / "samples").glob("*.pdf"))]
PAIRS = [(pdf, txt) for pdf, txt in PAIRS if txt.exists()]

_LINE_REF = re.compile(r"第\d+行")


def _where(column: str) -> bool:
    return column.startswith("source_") or column.endswith("_line")


def _facts(name: str, data: bytes) -> dict[str, Counter]:
    item = parse_file((name, data, "0" * 64))
    assert not item["errors"], item["errors"]
    return {table: Counter(tuple((k, _LINE_REF.sub("第…行", v) if isinstance(v, str) else v)
                                 for k, v in row.items() if not _where(k)) for row in rows)
            for table, rows in item["rows"].items()}


@pytest.mark.skipif(not PAIRS, reason="needs the shared folder's sample .txt conversions")
@pytest.mark.parametrize("pdf, txt", PAIRS, ids=[pdf.stem[:2] for pdf, _ in PAIRS])
def test_a_pdf_and_its_text_conversion_give_the_same_facts(pdf, txt):
    ours = _facts(txt.name, "\n".join(rendering(pdf)).encode("utf-8"))
    theirs = _facts(txt.name, txt.read_bytes())
    assert ours.keys() == theirs.keys()
    for table in ours:
        assert ours[table] == theirs[table], (table, list((ours[table] - theirs[table]).items())[:3],
                                              list((theirs[table] - ours[table]).items())[:3])
