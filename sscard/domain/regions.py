"""GB/T 2260 administrative division codes: the first six digits of a resident ID number.

The table (`data/regions.tsv`) holds every province-, prefecture- and county-level code that the Ministry of
Civil Affairs lists (1980 onwards) and the published GB/T 2260 editions ever printed, with the first and
last year each was published; `data/README.md` says where it comes from and how to rebuild it. Withdrawn
codes matter because an ID number keeps the code of the place where the person was first registered,
however old. English names (`data/names_en.tsv`) are kept by hand for the provinces and Hubei.

A code is *known* (an ID number may start with it) when:

- it is one of the codes printed on Hong Kong, Macao and Taiwan residents' residence permits
  (810000, 820000, 830000), whose numbers follow GB 11643 too; otherwise
- the full six-digit code is in the table,
- and it is neither a province code itself nor the heading xx9000 of a province-administered group.

Pure Python, no Django: the table is read once, on first use.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = DATA_DIR / "regions.tsv"
NAMES_EN_FILE = DATA_DIR / "names_en.tsv"

HUBEI = "42"

# Region codes of residence permits for residents of Hong Kong, Macao and Taiwan (2018 onwards).
RESIDENCE_PERMIT_REGIONS: dict[str, str] = {
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
    "830000": "台湾地区",
}

# Municipalities: their prefecture level (xx01 districts, xx02 counties) repeats the city's name.
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})

_CODE_RE = re.compile(r"[0-9]{6}")
_YEAR_RE = re.compile(r"(19|20)[0-9]{2}")

Level = Literal["province", "prefecture", "county"]


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    name_en: str = ""
    first_year: int | None = None
    last_year: int | None = None  # None while the code is in the newest list

    @property
    def historical(self) -> bool:
        """Withdrawn: no longer in the newest code list (but still valid in the ID numbers issued with it)."""
        return self.last_year is not None

    @property
    def level(self) -> Level:
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "prefecture"
        return "county"

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def prefecture_code(self) -> str:
        return self.code[:4] + "00"


def _rows(path: Path, columns: int):
    with path.open(encoding="utf-8") as lines:
        for line_number, line in enumerate(lines, start=1):
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != columns or not _CODE_RE.fullmatch(fields[0]) or not fields[1]:
                raise ValueError(f"{path.name}:{line_number}: expected {columns} tab-separated fields, code first")
            yield line_number, fields


def _year(path: Path, line_number: int, text: str) -> int:
    if not _YEAR_RE.fullmatch(text):
        raise ValueError(f"{path.name}:{line_number}: bad year {text!r}")
    return int(text)


@functools.cache
def _table() -> dict[str, Region]:
    names_en = {}
    for line_number, (code, name_en) in _rows(NAMES_EN_FILE, 2):
        if code in names_en:
            raise ValueError(f"{NAMES_EN_FILE.name}:{line_number}: duplicate code {code}")
        names_en[code] = name_en
    table: dict[str, Region] = {}
    for line_number, (code, name, first, last) in _rows(DATA_FILE, 4):
        if code in table:
            raise ValueError(f"{DATA_FILE.name}:{line_number}: duplicate code {code}")
        first_year = _year(DATA_FILE, line_number, first)
        last_year = _year(DATA_FILE, line_number, last) if last else None
        if last_year is not None and last_year < first_year:
            raise ValueError(f"{DATA_FILE.name}:{line_number}: last year before first year")
        table[code] = Region(code, name, names_en.pop(code, ""), first_year, last_year)
    if names_en:
        raise ValueError(f"{NAMES_EN_FILE.name}: codes not in {DATA_FILE.name}: {sorted(names_en)}")
    return table


def _valid(code6: object) -> bool:
    return isinstance(code6, str) and _CODE_RE.fullmatch(code6) is not None


def all_regions() -> list[Region]:
    """Every row of the table, in code order."""
    return sorted(_table().values(), key=lambda region: region.code)


def get_region(code6: str) -> Region | None:
    """The table row for exactly this code, if any."""
    return _table().get(code6) if _valid(code6) else None


def is_known_region(code6: str) -> bool:
    """Whether an ID number may start with this code (see the module docstring for the rule)."""
    if not _valid(code6):
        return False
    if code6 in RESIDENCE_PERMIT_REGIONS:
        return True
    if code6.endswith("0000") or code6[2:] == "9000":
        return False  # a province, or the heading of its province-administered group, is no place of its own
    return code6 in _table()


def region_name(code6: str) -> str | None:
    """The most specific known name: the county's, else the prefecture's, else the province's."""
    if not _valid(code6):
        return None
    if code6 in RESIDENCE_PERMIT_REGIONS:
        return RESIDENCE_PERMIT_REGIONS[code6]
    table = _table()
    for candidate in (code6, code6[:4] + "00", code6[:2] + "0000"):
        if candidate in table:
            return table[candidate].name
    return None


# Spanish names, derived from the hand-kept English ones (names_en.tsv): the place name stays in pinyin, the
# kind of division is translated. Names that are not "<place> <kind>" are listed whole.
_SPANISH_KINDS = (
    (re.compile(r"^(.+) Tujia and Miao Autonomous Prefecture$"), "Prefectura autónoma tujia y miao de {}"),
    (re.compile(r"^(.+) Tujia Autonomous County$"), "Condado autónomo tujia de {}"),
    (re.compile(r"^(.+) Forestry District$"), "Distrito forestal de {}"),
    (re.compile(r"^(.+) District$"), "Distrito de {}"),
    (re.compile(r"^(.+) County$"), "Condado de {}"),
)
_SPANISH_WHOLE = {
    "County-level divisions administered by the province": "Divisiones de nivel de condado administradas por la provincia",
    "Chongqing (districts)": "Chongqing (distritos)",
    "Chongqing (counties)": "Chongqing (condados)",
    "Inner Mongolia": "Mongolia Interior",
    "Tibet (Xizang)": "Tíbet (Xizang)",
    "Taiwan": "Taiwán",
}


def localized_name(code6: str, language: str) -> str | None:
    """The region's own name in `language` ("en", "es"; any "zh" gives the Chinese name), or None where the
    table has no name in that language (the Chinese name is then the only one)."""
    region = get_region(code6)
    if region is None:
        return None
    if language.startswith("zh"):
        return region.name
    english = region.name_en or None
    if english is None or not language.startswith("es"):
        return english if language.startswith("en") else None
    if english in _SPANISH_WHOLE:
        return _SPANISH_WHOLE[english]
    for pattern, template in _SPANISH_KINDS:
        if match := pattern.match(english):
            return template.format(match.group(1))
    return english  # a place name alone (Wuhan, Hubei) reads the same in Spanish


def city_code(name: str) -> str | None:
    """The code of the city named `name` in Chinese ("武汉市" → "420100"): a province-level division in the newest
    list (北京市, a municipality), else a prefecture-level one; None if no name, or more than one, matches."""
    for level in ("province", "prefecture"):
        found = [r.code for r in _by_level()[level] if r.name == name and not r.historical]
        if found:
            return found[0] if len(found) == 1 else None
    return None


def region_full_name(code6: str) -> str | None:
    """Province, prefecture and county names joined, e.g. 湖北省武汉市武昌区; None for an unknown province."""
    if not _valid(code6):
        return None
    if code6 in RESIDENCE_PERMIT_REGIONS:
        return RESIDENCE_PERMIT_REGIONS[code6]
    table = _table()
    province = table.get(code6[:2] + "0000")
    if province is None:
        return None
    parts = [province.name]
    prefecture = table.get(code6[:4] + "00")
    show_prefecture = code6[:2] not in MUNICIPALITIES and code6[2:4] != "90"
    if prefecture is not None and prefecture.level == "prefecture" and show_prefecture:
        parts.append(prefecture.name)
    county = table.get(code6)
    if county is not None and county.level == "county":
        parts.append(county.name)
    return "".join(part for i, part in enumerate(parts) if i == 0 or part != parts[i - 1])


def _listing(regions: list[Region], include_historical: bool) -> list[tuple[str, str]]:
    return [
        (r.code, r.name)
        for r in sorted(regions, key=lambda r: r.code)
        if include_historical or not r.historical
    ]


# The table never changes while the process runs, so the listings are computed once. Forms build their
# choices from them on every validation (the application form: ~34 provinces' prefectures per address), and
# scanning the whole table each time cost tens of milliseconds per request. Callers get a fresh list.

@functools.cache
def _by_level() -> dict[str, tuple[Region, ...]]:
    levels: dict[str, list[Region]] = {"province": [], "prefecture": [], "county": []}
    for region in _table().values():
        levels[region.level].append(region)
    return {level: tuple(sorted(rows, key=lambda r: r.code)) for level, rows in levels.items()}


@functools.cache
def _cached_listing(level: str, prefix: str, include_historical: bool) -> tuple[tuple[str, str], ...]:
    rows = [r for r in _by_level()[level] if r.code.startswith(prefix)]
    return tuple(_listing(rows, include_historical))


def provinces() -> list[tuple[str, str]]:
    """(code, name) of every province-level division, e.g. ("420000", "湖北省")."""
    return list(_cached_listing("province", "", False))


def _province_prefix(province_code: str) -> str:
    if isinstance(province_code, str) and re.fullmatch(r"[0-9]{2}(0000)?", province_code):
        return province_code[:2]
    raise ValueError(f"not a province code: {province_code!r}")


def prefectures(province_code2: str, *, include_historical: bool = False) -> list[tuple[str, str]]:
    """(code, name) of the prefecture-level divisions of a province ("42" or "420000")."""
    prefix = _province_prefix(province_code2)
    return list(_cached_listing("prefecture", prefix, bool(include_historical)))


def counties(prefecture_code: str, *, include_historical: bool = False) -> list[tuple[str, str]]:
    """(code, name) of the county-level divisions of a prefecture (all codes xxxx01-xxxx99 of the table)."""
    if not (
        _valid(prefecture_code) and prefecture_code.endswith("00") and not prefecture_code.endswith("0000")
    ):
        raise ValueError(f"not a prefecture code: {prefecture_code!r}")
    return list(_cached_listing("county", prefecture_code[:4], bool(include_historical)))


def hubei_counties(*, include_historical: bool = False) -> list[tuple[str, str]]:
    """(code, name) of every county-level division of Hubei (districts, counties, county-level cities)."""
    return list(_cached_listing("county", HUBEI, bool(include_historical)))
