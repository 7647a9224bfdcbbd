"""GB/T 2260 region table: shape of the data, the "known region" rule, names and picker listings."""

import ast
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import numdb
from stdnum.cn import ric

from sscard.domain import regions
from sscard.domain.idnumber import is_valid_id_number, make_id_number, parse_id_number
from sscard.domain.regions import Region

ALL = regions.all_regions()
BY_CODE = {r.code: r for r in ALL}


# County-level codes whose prefecture-level code no list ever printed (besides the province-administered
# groups xx90xx, whose heading xx9000 the MCA lists do not print either). Checked by hand in the lists.
COUNTIES_WITHOUT_PREFECTURE = {
    "340901",  # 黄山市 1983-1986, administered by Anhui directly
    "422921",  # 神农架林区 1983-1993, the 林区 had no prefecture-level code of its own
    "632421",  # 河南蒙古族自治县 1981-1983, under Qinghai's province-administered units
}


def test_table_loads_once_and_is_well_formed():
    assert regions._table() is regions._table()  # cached, not re-read per call
    assert [r.code for r in ALL] == sorted(BY_CODE)
    for region in ALL:
        assert len(region.code) == 6 and region.code.isascii() and region.code.isdigit()
        assert region.name.strip() == region.name and region.name
        assert region.province_code in BY_CODE, region
        assert 1980 <= region.first_year <= (region.last_year or 2024) <= 2024, region
        if region.level == "county" and region.code[2:4] != "90" and region.code not in COUNTIES_WITHOUT_PREFECTURE:
            assert region.prefecture_code in BY_CODE, region


def test_the_table_covers_every_list_from_1980_to_2024_and_says_where_it_comes_from():
    assert len(ALL) > 7000  # about 3,200 current codes and 3,800 withdrawn ones
    assert min(r.first_year for r in ALL) == 1980
    assert max(r.last_year or 0 for r in ALL) < 2024  # the 2024 list is the newest: its codes are current
    assert (BY_CODE["330113"].name, BY_CODE["330113"].first_year) == ("临平区", 2021)  # a recent one
    assert sum(not r.historical for r in ALL) > 3200
    header = "".join(line for line in regions.DATA_FILE.read_text(encoding="utf-8").splitlines(True)
                     if line.startswith("#"))
    for fact in ("Ministry of Civil Affairs", "yescallop/areacodes", "cn/GB2260", "scripts/build_regions.py",
                 "Built 20"):
        assert fact in header
    readme = (regions.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "eed219a0678d36bacaa717f62443b10e869f0291" in readme and "1173e8b57b1ac265f3c79099bfab8f1aea4811a1" in readme
    assert regions.DATA_FILE.stat().st_size < 400_000


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
    ("422427", "沔阳县"), ("422129", "广济县"), ("422601", "丹江口市"), ("429001", "随州市"),
])
def test_withdrawn_hubei_codes_are_still_known(code, name):
    assert regions.is_known_region(code)
    assert regions.region_name(code) == name
    assert BY_CODE[code].historical


# Codes the MCA lists published and the old table refused (issue 9), checked by hand in the lists:
# code, name, full name, first and last year in the lists.
WITHDRAWN_ELSEWHERE = [
    ("500381", "江津市", "重庆市江津市", 1997, 2005),  # county-level city of Chongqing until 2006 (500116)
    ("500300", "重庆市县级市", "重庆市", 2002, 2005),  # its heading in GB/T 2260
    ("421302", "曾都区", "湖北省随州市曾都区", 2000, 2008),  # recoded 421303 in 2009
    ("441002", "新华区", "广东省海口市新华区", 1980, 1982),  # 海口, Guangdong, before Hainan (1988)
    ("441000", "海口市", "广东省海口市", 1980, 1987),
    ("232432", "饶河县", "黑龙江省合江地区饶河县", 1980, 1986),  # 合江地区, abolished 1984/85
    ("232400", "合江地区", "黑龙江省合江地区", 1980, 1983),
    ("132101", "邯郸市", "河北省邯郸地区邯郸市", 1980, 1982),
    ("429001", "随州市", "湖北省随州市", 1984, 1999),  # province-administered county-level city
]


@pytest.mark.parametrize("code, name, full_name, first, last", WITHDRAWN_ELSEWHERE)
def test_withdrawn_codes_of_every_province_are_known_with_their_names(code, name, full_name, first, last):
    assert regions.is_known_region(code)
    assert regions.region_name(code) == name
    assert regions.region_full_name(code) == full_name
    assert (BY_CODE[code].first_year, BY_CODE[code].last_year) == (first, last)


@pytest.mark.parametrize("code", ["420108", "420199", "421399", "422999", "429099", "420000", "429000"])
def test_hubei_needs_the_full_code(code):
    assert not regions.is_known_region(code)


@pytest.mark.parametrize("code", [
    "360426",  # Jiangxi, 德安县
    "120103",  # Tianjin 河西区
    "110105", "310115", "500103", "500229",  # municipalities
    "460001",  # Hainan county-level code of 1988-2002 (no prefecture of its own)
    "419001", "469002", "659001",  # province-administered groups
    "420100", "360400",  # prefecture-level codes
    "810000", "820000", "830000",  # residence permits of Hong Kong, Macao, Taiwan residents
])
def test_known_regions_of_other_provinces(code):
    assert regions.is_known_region(code)


@pytest.mark.parametrize("code", [
    "000000", "990101", "100000",  # no such province
    "110000", "360000", "710000",  # a province is no place of its own
    "110301", "369901", "131201", "429900", "119900",  # no such prefecture, ever
    "340524", "360499", "500399", "441099", "232499",  # never published, though the prefecture was
    "1101", "11010x", "１１０１０５", "", None, 110105,  # not six ASCII digits
])
def test_unknown_regions(code):
    assert not regions.is_known_region(code)


def test_region_name_is_the_most_specific_known():
    assert regions.region_name("420106") == "武昌区"  # county
    assert regions.region_name("360426") == "德安县"
    assert regions.region_name("360499") == "九江市"  # unknown county: its prefecture
    assert regions.region_name("120103") == "河西区"
    assert regions.region_name("369999") == "江西省"  # province only
    assert regions.region_name("810000") == "香港特别行政区"
    assert regions.region_name("990000") is None
    assert regions.region_name("abc") is None


def test_region_full_name():
    assert regions.region_full_name("420106") == "湖北省武汉市武昌区"
    assert regions.region_full_name("429004") == "湖北省仙桃市"
    assert regions.region_full_name("422123") == "湖北省黄冈地区红安县"
    assert regions.region_full_name("360426") == "江西省九江市德安县"
    assert regions.region_full_name("110105") == "北京市朝阳区"
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
    assert regions.get_region("420106") == Region("420106", "武昌区", "Wuchang District", 1980, None)
    assert regions.get_region("420106").historical is False
    assert regions.get_region("420121") == Region("420121", "汉阳县", "", 1980, 1991)
    assert regions.get_region("420121").historical is True
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


# --- cross-check with python-stdnum -----------------------------------------------------------------
# stdnum.cn.ric validates the region of an ID number with its own table (stdnum/cn/loc.dat, compiled from
# Wikipedia). Where it disagrees with the MCA lists, the lists decide. Every disagreement is listed here with
# its reason; a new one (after a rebuild of regions.tsv or an update of stdnum) fails the test until it is
# reviewed and added. Province codes and the xx9000 headings are left out: refusing them is our rule.

# Codes the lists published (we accept) and stdnum refuses.
ONLY_IN_THE_LISTS = {
    # In the MCA lists of 1980-1982 only: renumbered when GB/T 2260-1982 came out (stdnum's table, from
    # Wikipedia, follows the GB/T editions).
    "mca80": """
        132102 132103 132104 132105 132106 132203 132204 132405 132502 132503 132504 132505 132506 132507 132602
        132603 132604 132702 132703 132704 132705 132733 210706 222601 222602 232403 232404 232405 232411 232481
        232503 232504 232505 232511 232581 320603 320711 322501 322502 322527 322528 322529 332201 332202 332228
        332229 332230 412201 412202 412203 412204 412211 412401 412402 412403 412404 412411 412431 412432 412433
        412434 412435 412436 412437 441002 441003 441004 441005 442332 442333 442334 510404 512129 512130 512131
        512132 512802 542339 652403 652404
    """.split(),
    # The MCA lists of 1989-1994 printed province-administered county-level cities as xx90xx; the GB/T
    # 2260 editions of 1991 and 1995 (and stdnum) have them as xxxx8x. Both were published.
    "xx90": """
        139003 139004 139005 139006 139007 139008 139009 139010 139011 139012 139013 139014 139015 139016 139017
        139018 139019 139020 149002 149003 219008 219009 219010 219011 219012 219013 219014 219015 219016 229006
        229007 229008 229009 229010 229011 229012 239007 239008 239009 239010 239011 329012 329013 329014 329015
        329016 329017 329018 329019 329020 329021 329022 329023 329024 329025 329026 329027 329028 339011 339012
        339013 339014 339015 339016 339017 339018 339019 339020 339021 349001 349002 359003 359004 359005 359006
        359007 359008 359009 359010 359011 369002 379013 379014 379015 379016 379017 379018 379019 379020 379021
        379022 379023 379024 379025 419007 419008 419009 419010 419011 419012 419013 419014 419015 419016 419017
        419018 429007 429008 429009 429010 429011 429012 429013 429014 429015 429016 429017 439006 439007 439008
        439009 439010 439011 449004 449005 449006 449007 449008 449009 449010 449011 449012 449013 449014 449015
        449016 449017 449018 449019 449020 449021 449022 449023 449024 449025 449026 449027 449028 449029 449030
        449031 519005 519006 519007 519008 519009 519010 519011 519012 519013 619001 619002 619003
    """.split(),
    # Other codes of the MCA lists (as published in cn/GB2260 mca/, or as corrected by areacodes from the GB/T
    # editions) that Wikipedia leaves out: suburbs 郊区 renumbered in the GB/T editions (140503, 360411, 420611,
    # 450306, see areacodes errata.md), Chongqing's county-level cities as 50018x (1997-2005, GB/T: 50038x),
    # 涪陵市 as 5170xx (1995-1996), 丽水/龙泉 as 33258x (1995-1999), province-administered cities of 1980-1994
    # (139002 霸州市, 369001, 449002, 449003), 简阳市 as 510180 (2016), 安西县 (2002-2005) and codes of a
    # single list (370719, 370819, 430627 of 1986; 340511 of 1983).
    "mca_other": """
        139002 140503 210825 210826 211405 230834 231120 332581 332582 340511 360411 369001 370719 370819 420611
        430627 449002 449003 450306 500181 500182 500183 500184 510180 511103 511104 517000 517002 517003 517021
        517022 517023 517081 620925
    """.split(),
    # Printed only by GB/T 2260 as the NBS published it (2002-2016; the 2002 and 2007 editions): Hainan's
    # 469034-469039 (2002-2006), 岱岳区 370903, 三沙's islands 460321-460323 (2012-2015), 嘉峪关市市辖区 620201.
    "nbs": """
        370903 460321 460322 460323 469034 469035 469036 469037 469038 469039 620201
    """.split(),
    # Current since 2021 (临平区, 钱塘区 of Hangzhou) and missing from stdnum 2.2.
    "recent": ["330113", "330114"],
}

# Codes stdnum accepts that no list in the sources published (we refuse).
ONLY_IN_STDNUM = {
    # xxxx20 市区 that Wikipedia dates to before 1983: in no MCA list (from 1980 they print no 市区 code).
    "shiqu": """
        140120 150120 150220 210120 210220 210320 210420 210520 210620 210720 210820 210920 211020 220120 220220
        230720 320120 330120 330220 330320 340120 340220 340420 340620 340720 350120 350220 360120 370120 370220
        370420 410120 420120 420220 430120 430220 440120 440220 440320 450320 510120 510220 510320 510420 530120
        540120 610120 610220 610320 620120 620320 630120 640120 640220 650120
    """.split(),
    # Other codes Wikipedia dates to before 1983 (e.g. the municipalities' counties 1102xx, 1202xx, 3102xx):
    # the MCA lists from 1980 on give these counties other codes (110221...).
    "gb80": """
        110201 110202 110203 110204 110205 110206 110207 110208 110209 120201 120202 120203 120204 120205 310201
        310202 310203 310204 310205 310206 310207 310208 310209 310210 332129 332130 332530 332531 332725 332726
        332727 332821 412535 432128
    """.split(),
    # 市辖区 headings that none of the sources prints: 510201 and 511201 (1983-1997 in Wikipedia) and those of
    # cities made since 2013, after or outside the NBS lists of 2002-2016.
    "shixiaqu": """
        460301 510201 511201 540201 540301 540401 540601 630201 650401 650501
    """.split(),
    # In Wikipedia only: the NBS statistical codes of 2018 (232761-232764, in traditional characters), Haixi's
    # 行政委员会 632858 and 632859, a 2025 district (500157 两江新区, newer than the 2024 list), headings (340900,
    # 422900, 632400) and codes of 1981-2000 that no list in the sources printed (e.g. 丽水地区 as 3328xx,
    # 421021 松滋县 of 1994-1995, 440302 沙头角区办事处).
    "theirs_other": """
        150427 232434 232761 232762 232763 232764 332628 332701 332801 332802 332827 340900 352105 370621 370626
        370821 370824 421021 422900 430727 440302 500157 512402 632400 632858 632859
    """.split(),
}


def _stdnum_codes() -> set[str]:
    """Every code in stdnum's table (loc.dat: a two-digit province line, then indented four-digit codes)."""
    text = (resources.files("stdnum") / "cn" / "loc.dat").read_text(encoding="utf-8")
    codes, province = set(), ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        number = line.split()[0]
        if line[0].isspace():
            codes.add(province + number)
        else:
            province = number
    return codes


def _stdnum_knows(code: str) -> bool:
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def _compared(code: str) -> bool:
    return not code.endswith("0000") and code[2:] != "9000" and code not in regions.RESIDENCE_PERMIT_REGIONS


STDNUM_CODES = _stdnum_codes()
ALL_EXCEPTIONS = {code for group in (*ONLY_IN_THE_LISTS.values(), *ONLY_IN_STDNUM.values()) for code in group}


def test_stdnum_table_is_read_whole():
    assert len(STDNUM_CODES) > 6500
    assert {"110101", "420106", "500381"} <= STDNUM_CODES
    assert all(_stdnum_knows(code) for code in ("110101", "420106", "500381", "232432"))
    assert not _stdnum_knows("990101")


def test_exceptions_are_hand_listed_and_distinct():
    groups = [*ONLY_IN_THE_LISTS.values(), *ONLY_IN_STDNUM.values()]
    assert sum(len(group) for group in groups) == len(ALL_EXCEPTIONS)  # no code under two reasons
    assert all(len(code) == 6 and code.isdigit() for code in ALL_EXCEPTIONS)
    assert ALL_EXCEPTIONS.isdisjoint({"500381", "421302", "232432", "420106"})  # both agree on these
    assert "441002" in ONLY_IN_THE_LISTS["mca80"] and "500157" in ONLY_IN_STDNUM["theirs_other"]


def test_every_disagreement_with_stdnum_is_a_reviewed_exception():
    """Exhaustive over both tables: accepted by one and refused by the other only where listed above."""
    candidates = {code for code in (set(BY_CODE) | STDNUM_CODES) if _compared(code)}
    ours_only = {code for code in candidates if regions.is_known_region(code) and not _stdnum_knows(code)}
    stdnum_only = {code for code in candidates if _stdnum_knows(code) and not regions.is_known_region(code)}
    listed_ours = {code for group in ONLY_IN_THE_LISTS.values() for code in group}
    listed_stdnum = {code for group in ONLY_IN_STDNUM.values() for code in group}
    assert sorted(ours_only - listed_ours) == [], "accepted by us only: check them in the lists, then list them"
    assert sorted(stdnum_only - listed_stdnum) == [], "accepted by stdnum only: check them, then list them"
    assert sorted(listed_ours - ours_only) == [] and sorted(listed_stdnum - stdnum_only) == [], "stale exceptions"


_agreed_codes = sorted(code for code in BY_CODE if _compared(code) and code not in ALL_EXCEPTIONS
                       and regions.is_known_region(code))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_agreed_codes), st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
       st.integers(min_value=0, max_value=999))
def test_id_numbers_agree_with_stdnum_on_check_character_birth_date_and_region(code, birth_date, sequence):
    number = make_id_number(code, birth_date, sequence)
    info = parse_id_number(number, today=date(2025, 1, 1))
    assert ric.calc_check_digit(number) == number[17]
    assert ric.get_birth_date(number) == info.birth_date == birth_date
    assert _stdnum_knows(info.region_code)
    assert info.region_name == BY_CODE[code].name


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(ALL_EXCEPTIONS)), st.dates(min_value=date(1950, 1, 1), max_value=date(2000, 1, 1)))
def test_exceptions_decide_the_id_number_as_the_lists_say(code, birth_date):
    number = make_id_number(code, birth_date, 1)
    assert is_valid_id_number(number, today=date(2025, 1, 1)) == (code in BY_CODE)


# --- the build script ---------------------------------------------------------------------------------

def _build_script():
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[2] / "scripts" / "build_regions.py"
    spec = importlib.util.spec_from_file_location("build_regions", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_regions", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _git_repo(root: Path, files: dict[str, str]) -> str:
    import os
    import subprocess

    root.mkdir()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": os.environ["PATH"],
           "GIT_CONFIG_NOSYSTEM": "1"}
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "lists"]):
        subprocess.run(["git", "-C", str(root), *command], check=True, env=env)
    return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True, env=env,
                          capture_output=True, text=True).stdout.strip()


def _tsv(source: str, revision: str, rows: str) -> str:
    lines = ["Source\tRevision\tCode\tName"]
    lines += [f"{source}\t{revision}\t{code}\t{name}" for code, name in (row.split() for row in rows.split(";"))]
    return "\n".join(lines) + "\n"


def test_build_script_takes_the_union_of_the_lists_with_years_names_and_headings(tmp_path):
    build = _build_script()
    areacodes = _git_repo(tmp_path / "areacodes", {
        "data/1981.txt": "420000 湖北省\n420100 武汉市\n420121 汉阳县\n421303 曾都区\n",
        "data/2024.txt": "420000 湖北省\n420100 武汉市\n420102 江岸区\n429004 仙桃市\n",
    })
    gb2260 = _git_repo(tmp_path / "gb2260", {
        "mca/198012.tsv": _tsv("mca", "198012", "420000 湖北省;420100 武汉市;420121 汉阳县;420199 错字县"),
        "mca/198112.tsv": _tsv("mca", "198112", "420000 湖北省;421302 曾都区"),
        "stats/200212.tsv": _tsv("stats", "200212", "420000 湖北省;420101 市辖区;429000 省直辖县级行政单位"),
        "stats/201810.tsv": _tsv("stats", "201810", "420000 湖北省;420171 开发区"),
        "200212.tsv": _tsv("gb", "200212", "420000 湖北省;420100 武汉市"),
        "200712.tsv": _tsv("gb", "200712", "420000 湖北省"),
    })
    output = tmp_path / "regions.tsv"
    build.main(["--areacodes", str(tmp_path / "areacodes"), "--areacodes-commit", areacodes,
                "--gb2260", str(tmp_path / "gb2260"), "--gb2260-commit", gb2260,
                "--output", str(output), "--built", "2026-12-01"])
    text = output.read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert rows == [
        ["420000", "湖北省", "1980", ""],
        ["420100", "武汉市", "1980", ""],
        ["420101", "武汉市市辖区", "2002", "2002"],  # heading named after its city, never current
        ["420102", "江岸区", "2024", ""],
        ["420121", "汉阳县", "1980", "1981"],
        ["420199", "错字县", "1980", "1980"],  # published once: kept
        ["421302", "曾都区", "1981", "1981"],  # as published ...
        ["421303", "曾都区", "1981", "1981"],  # ... and as corrected: both kept
        ["429000", "湖北省直辖县级行政区划", "2002", ""],  # heading of a current code (429004)
        ["429004", "仙桃市", "2024", ""],
    ]  # 420171, only in the statistical list of 2018-10, is left out
    assert "Built 2026-12-01" in text and areacodes[:12] in text and gb2260[:12] in text
