from decimal import Decimal

import pytest

from ingest.numbers import parse_amount, to_wan_yuan
from ingest.text import UnreadableFile, decode, fold_width, lines_of, normalize_label, split_cells


@pytest.mark.parametrize("cell, expected", [
    ("2,940.05", Decimal("2940.05")),
    ("１２．５", Decimal("12.5")),
    ("-3.2", Decimal("-3.2")),
    ("－3.2", Decimal("-3.2")),
    ("(3.2)", Decimal("-3.2")),
    ("0", Decimal("0")),
    ("0.00", Decimal("0.00")),
    ("", None),
    ("  ", None),
    ("—", None),
    ("行政运行", None),
    ("2101501x", None),
])
def test_parse_amount(cell, expected):
    assert parse_amount(cell) == expected


def test_blank_is_not_zero():
    assert parse_amount("") is None and parse_amount("0") == 0


def test_yuan_to_wan_yuan_is_exact():
    assert to_wan_yuan(Decimal("82096797.42"), "元") == Decimal("8209.679742")
    assert to_wan_yuan(Decimal("45.83"), "万元") == Decimal("45.83")
    with pytest.raises(ValueError):
        to_wan_yuan(Decimal(1), "美元")


def test_decode_utf8_gb18030_and_errors():
    text = "一般公共预算财政拨款收入"
    assert decode(text.encode("utf-8")).encoding == "utf-8"
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")).text == text
    gb = decode(text.encode("gb18030"))
    assert gb.encoding == "gb18030" and gb.text == text
    for bad in (b"", b"   \n", b"\x00\x01\x02binary"):
        with pytest.raises(UnreadableFile):
            decode(bad)


def test_fold_width_and_labels():
    assert fold_width("（５０分）≥９０％") == "(50分)≥90%"
    assert normalize_label("本年支出 合计\n") == "本年支出合计"


def test_split_cells_tabs_spaces_and_pipes():
    assert split_cells("2101501\t行政运行\t45.83\t") == ["2101501", "行政运行", "45.83", ""]
    assert split_cells("2101501  行政运行   45.83") == ["2101501", "行政运行", "45.83"]
    assert split_cells("2101501 | 行政运行 | 45.83") == ["2101501", "行政运行", "45.83"]


def test_lines_of_numbers_lines_from_one():
    assert lines_of("a\r\nb\rc\n")[:3] == ["a", "b", "c"]


def test_parse_amount_fast_paths_agree_with_the_definition():
    import random

    from ingest.numbers import general_amount
    rnd = random.Random(5)
    alphabet = "0123456789０１２.,-+−()（） 　—/万元合计\t٣e"
    cells = ["0", "-0", "+5", "00.50", "1,234.5", "12.", ".5", "1e5", "NaN", "Infinity", "٣٤", "１２．５"]
    cells += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 9))) for _ in range(20000)]
    for cell in cells:
        fast, slow = parse_amount(cell), general_amount(cell)
        assert fast == slow and str(fast) == str(slow), cell
