"""GB/T 2260 region table: shape of the data, the "known region" rule, names and picker listings."""

import ast
from pathlib import Path

import pytest

from sscard.domain import regions
from sscard.domain.regions import Region

ALL = regions.all_regions()
BY_CODE = {r.code: r for r in ALL}


def test_table_loads_once_and_is_well_formed():
    assert regions._table() is regions._table()  # cached, not re-read per call
    assert [r.code for r in ALL] == sorted(BY_CODE)
    for region in ALL:
        assert len(region.code) == 6 and region.code.isascii() and region.code.isdigit()
        assert region.name.strip() == region.name and region.name
        assert region.province_code in BY_CODE, region
        if region.level == "county" and region.code[:2] == "42":
            assert region.prefecture_code in BY_CODE, region


def test_every_province_is_present():
    expected = {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
        "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    }
    codes = [code for code, _ in regions.provinces()]
    assert {code[:2] for code in codes} == expected and len(codes) == 34
    assert dict(regions.provinces())["420000"] == "湖北省"
    assert dict(regions.provinces())["710000"] == "台湾省"
    assert dict(regions.provinces())["820000"] == "澳门特别行政区"


def test_current_prefecture_level_divisions_number_333():
    """293 prefecture-level cities, 7 prefectures, 30 autonomous prefectures and 3 leagues (2021)."""
    current = [
        r for r in ALL
        if r.level == "prefecture" and not r.historical
        and r.code[:2] not in regions.MUNICIPALITIES and r.code[2:4] != "90"
    ]
    assert len(current) == 333


def test_hubei_has_103_current_county_level_divisions_with_english_names():
    current = regions.hubei_counties()
    assert len(current) == 103
    assert all(code.startswith("42") and not code.endswith("00") for code, _ in current)
    assert all(BY_CODE[code].name_en for code, _ in current)
    with_history = dict(regions.hubei_counties(include_historical=True))
    assert len(with_history) > len(current)
    assert set(dict(current)) < set(with_history)


@pytest.mark.parametrize("code, name", [
    ("420102", "江岸区"), ("420106", "武昌区"), ("420111", "洪山区"), ("420117", "新洲区"),
    ("420281", "大冶市"), ("420304", "郧阳区"), ("420506", "夷陵区"), ("420607", "襄州区"),
    ("420704", "鄂城区"), ("420882", "京山市"), ("420984", "汉川市"), ("421088", "监利市"),
    ("421182", "武穴市"), ("421281", "赤壁市"), ("421321", "随县"), ("422801", "恩施市"),
    ("422828", "鹤峰县"), ("429004", "仙桃市"), ("429005", "潜江市"), ("429006", "天门市"),
    ("429021", "神农架林区"),
])
def test_current_hubei_counties(code, name):
    assert regions.is_known_region(code)
    assert regions.region_name(code) == name
    assert not BY_CODE[code].historical


@pytest.mark.parametrize("code, name", [
    ("420121", "汉阳县"), ("420122", "武昌县"), ("420123", "黄陂县"), ("420124", "新洲县"),
    ("420221", "大冶县"), ("420321", "郧县"), ("420400", "沙市市"), ("420521", "宜昌县"),
    ("422427", "沔阳县"), ("422129", "广济县"), ("422601", "丹江口市（郧阳地区）"), ("429001", "随州市（省直辖）"),
])
def test_withdrawn_hubei_codes_are_still_known(code, name):
    assert regions.is_known_region(code)
    assert regions.region_name(code) == name
    assert BY_CODE[code].historical


@pytest.mark.parametrize("code", ["420108", "420199", "421399", "422999", "429099", "420000", "429000"])
def test_hubei_needs_the_full_code(code):
    assert not regions.is_known_region(code)


@pytest.mark.parametrize("code", [
    "360426",  # Jiangxi, 德安县: prefecture 360400 known
    "120103",  # Tianjin 河西区: municipality prefix 1201
    "340524",  # Anhui, 马鞍山 prefecture
    "110105", "310115", "500103", "500229",  # municipalities
    "132101",  # withdrawn 邯郸地区
    "460001",  # Hainan county-level code of 1988-2002 (no prefecture of its own)
    "419001", "469002", "659001",  # province-administered groups
    "810000", "820000", "830000",  # residence permits of Hong Kong, Macao, Taiwan residents
])
def test_other_provinces_need_province_and_prefecture(code):
    assert regions.is_known_region(code)


@pytest.mark.parametrize("code", [
    "000000", "990101", "100000",  # no such province
    "110000", "360000", "710000",  # a province is no place of its own
    "110301", "369901", "131201",  # no such prefecture
    "1101", "11010x", "１１０１０５", "", None, 110105,  # not six ASCII digits
])
def test_unknown_regions(code):
    assert not regions.is_known_region(code)


def test_region_name_is_the_most_specific_known():
    assert regions.region_name("420106") == "武昌区"  # county
    assert regions.region_name("360426") == "九江市"  # prefecture (no county data outside Hubei)
    assert regions.region_name("120103") == "天津市"
    assert regions.region_name("369999") == "江西省"  # province only
    assert regions.region_name("810000") == "香港特别行政区"
    assert regions.region_name("990000") is None
    assert regions.region_name("abc") is None


def test_region_full_name():
    assert regions.region_full_name("420106") == "湖北省武汉市武昌区"
    assert regions.region_full_name("429004") == "湖北省仙桃市"
    assert regions.region_full_name("422123") == "湖北省黄冈地区红安县"
    assert regions.region_full_name("360426") == "江西省九江市"
    assert regions.region_full_name("110105") == "北京市"
    assert regions.region_full_name("990000") is None


def test_prefecture_and_county_listings():
    hubei = dict(regions.prefectures("42"))
    assert hubei == dict(regions.prefectures("420000"))
    assert len(hubei) == 14  # 12 cities, Enshi, and the province-administered group
    assert hubei["420100"] == "武汉市" and hubei["422800"] == "恩施土家族苗族自治州"
    assert "422100" not in hubei and "422100" in dict(regions.prefectures("42", include_historical=True))
    assert [code for code, _ in regions.prefectures("11")] == ["110100"]
    assert [code for code, _ in regions.prefectures("50")] == ["500100", "500200"]
    wuhan = regions.counties("420100")
    assert len(wuhan) == 13 and wuhan[0] == ("420102", "江岸区") and wuhan[-1] == ("420117", "新洲区")
    with pytest.raises(ValueError):
        regions.prefectures("4")
    with pytest.raises(ValueError):
        regions.counties("420000")


def test_get_region_and_levels():
    assert regions.get_region("420106") == Region("420106", "武昌区", "Wuchang District", historical=False)
    assert regions.get_region("420000").level == "province"
    assert regions.get_region("420100").level == "prefecture"
    assert regions.get_region("420106").level == "county"
    assert regions.get_region("429999") is None


def test_domain_package_imports_no_django():
    for path in Path(regions.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name == "django" or name.startswith("django.") for name in names), path
