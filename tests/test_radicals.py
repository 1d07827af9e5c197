"""The one radical → ideograph table (ingest/vocabularies/cjk_radicals.csv)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ingest.readers.clean import join_wrapped, normalize_chars
from ingest.text import normalize, unradical
from ingest.vocabularies import cjk_radicals

_UCD = Path("/usr/share/unicode/EquivalentUnifiedIdeograph.txt")  # Debian's unicode-data


def _ucd_pairs(path: Path) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        span, target = (field.strip() for field in line.split(";"))
        first, _, last = span.partition("..")
        for o in range(int(first, 16), int(last or first, 16) + 1):
            if 0x2E80 <= o <= 0x2EF3 or 0x2F00 <= o <= 0x2FD5:
                pairs[chr(o)] = chr(int(target, 16))
    return pairs


def test_kangxi_rows_are_nfkc():
    kangxi = {r: i for r, i in cjk_radicals().items() if r >= "\u2f00"}
    assert len(kangxi) == 0x2FD6 - 0x2F00
    assert all(unicodedata.normalize("NFKC", r) == i for r, i in kangxi.items())


def test_every_radical_maps_to_a_unified_ideograph():
    for radical, ideograph in cjk_radicals().items():
        assert unicodedata.name(radical).startswith(("CJK RADICAL", "KANGXI RADICAL"))
        # (U+2B739 is unnamed in Unicode before 15.0, which older Pythons ship)
        assert unicodedata.name(ideograph, "CJK UNIFIED IDEOGRAPH-").startswith("CJK UNIFIED IDEOGRAPH-")


@pytest.mark.skipif(not _UCD.exists(), reason="Debian's unicode-data is not installed")
def test_table_is_unicodes_equivalent_unified_ideographs():
    assert cjk_radicals() == _ucd_pairs(_UCD)


def test_text_reader_and_binary_readers_map_alike():
    printed = "⼈⺠政府 ⻓期 ⺟婴 ⻔诊 ⺀"  # Kangxi 人, Supplement 民 长 母 门; U+2E80 has no ideograph
    expected = "人民政府 长期 母婴 门诊 ⺀"
    assert unradical(printed) == expected
    assert normalize_chars(printed) == expected
    assert join_wrapped(printed) == expected
    text, counts = normalize(printed)
    assert text == expected
    assert counts["kangxi_radicals"] == 1 and counts["cjk_radicals_supplement"] == 5
