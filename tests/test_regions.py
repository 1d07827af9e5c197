"""Area resolution against the pinned region package and the override seed."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest import regions

ROOT = Path(__file__).resolve().parent.parent


def test_package_data_loads_offline():
    divs = regions.divisions()
    assert len(divs) > 3000
    assert all(d.code is None or (len(d.code) == 6 and d.code.isdigit()) for d in divs)
    assert not any(d.code and d.code.startswith("99") for d in divs)


@pytest.mark.parametrize("name, province, city, county, level, code", [
    ("柞水县医疗保障局", "陕西省", "商洛市", "柞水县", "county", "611026"),
    ("南昌市西湖区医疗保障局", "江西省", "南昌市", "西湖区", "county", "360103"),
    ("湛江市医疗保障事业管理中心", "广东省", "湛江市", None, "city", "440800"),
    ("上海市普陀区财政局", "上海市", None, "普陀区", "county", "310107"),
    ("大理州医疗保障局", "云南省", "大理白族自治州", None, "city", "532900"),
    ("长阳县医疗保障局", "湖北省", "宜昌市", "长阳土家族自治县", "county", "420528"),
    ("仙桃市医疗保障局", "湖北省", None, "仙桃市", "county", "429004"),
    ("浦东新区医疗保障局", "上海市", None, "浦东新区", "county", "310115"),
    ("广西壮族自治区医疗保障局", "广西壮族自治区", None, None, "province", "450000"),
])
def test_resolve_unique_names(name, province, city, county, level, code):
    d = regions.resolve(name).division
    assert d is not None
    assert (d.province, d.city, d.county, d.level, d.code) == (province, city, county, level, code)


def test_management_zone_from_override_seed():
    for name in ("屈原管理区医疗保障局", "岳阳市屈原管理区医疗保障局"):
        d = regions.resolve(name).division
        assert (d.province, d.city, d.county, d.level, d.code) == (
            "湖南省", "岳阳市", "屈原管理区", "county", "430671")
        assert d.source == "override"


def test_override_seed_rows_have_sources():
    with open(ROOT / "seeds" / "division_overrides.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        assert list(row) == ["name", "province", "city", "county", "admin_level", "division_code", "source"]
        assert row["source"].strip()
        assert row["admin_level"] in {"province", "city", "county"}
        assert row["division_code"] == "" or (len(row["division_code"]) == 6 and row["division_code"].isdigit())


def test_ambiguous_name_without_clues_is_not_guessed():
    r = regions.resolve("西湖区医疗保障局")
    assert r.division is None and r.reason == "ambiguous"
    assert {c.code for c in r.candidates} == {"330106", "360103"}


def test_ambiguous_name_settled_by_named_city():
    r = regions.resolve("西湖区医疗保障局", "根据杭州市财政局的通知，杭州市各区开展自评")
    assert r.division.code == "330106"


def test_ambiguous_name_settled_by_province_abbreviation_in_document_number():
    r = regions.resolve("西湖区医疗保障局", "根据赣办字〔2014〕46号文件")
    assert r.division.code == "360103"
    r = regions.resolve("鼓楼区医疗保障局", "（闽财社〔2023〕17号）")
    assert (r.division.city, r.division.code) == ("福州市", "350102")


def test_parent_in_name_must_contain_the_place():
    r = regions.resolve("杭州市屈原管理区医疗保障局")
    assert r.division is None and r.reason == "inconsistent"


def test_no_place_in_name():
    assert regions.resolve("县医疗保障局").reason == "no_place"


def test_place_chain_stops_at_the_department_words():
    chain = regions.place_chain("上海市普陀区人民政府办公室")
    assert [form for form, _ in chain] == ["上海市", "普陀区"]


def test_aliases_are_derived_from_package_names():
    dali = next(d for d in regions.divisions() if d.name == "大理白族自治州")
    assert {"大理州", "大理"} <= regions.aliases(dali)
    nmg = next(d for d in regions.divisions() if d.name == "内蒙古自治区")
    assert "内蒙古" in regions.aliases(nmg)


def test_document_number_issuers():
    text = "（柞财办发〔2023〕81号）及冀财社[2022]172 号"
    assert regions.document_number_issuers(text) == ["柞财办发", "冀财社"]


def test_parent_city_name():
    assert regions.parent_city_name(regions.resolve("上海市普陀区财政局").division) == "上海市"
    assert regions.parent_city_name(regions.resolve("屈原管理区医保局".replace("医保", "医疗保障")).division) == "岳阳市"
    assert regions.parent_city_name(regions.resolve("湛江市医疗保障局").division) is None
