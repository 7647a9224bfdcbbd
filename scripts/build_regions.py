#!/usr/bin/env python3
"""Rebuild sscard/domain/data/regions.tsv from the published GB/T 2260 code lists.

Every code that any of these lists ever published is kept, with the first and last year it was published,
because a resident ID number keeps the code of the place where the person was first registered:

1. The Ministry of Civil Affairs (MCA) yearly lists "中华人民共和国县以上行政区划代码", 1980-2019, as
   published, transcribed in github.com/cn/GB2260 (mca/YYYYMM.tsv);
2. the same MCA lists 1981-2024 as compiled and corrected against the GB/T 2260 editions by
   github.com/yescallop/areacodes (data/YYYY.txt, CC0; corrections listed in its errata.md);
3. GB/T 2260 as published by the National Bureau of Statistics (NBS), 2002-2016, and the 2002 and 2007
   editions, from github.com/cn/GB2260 (stats/*.tsv, 200212.tsv, 200712.tsv). The NBS list of 2018-10 is
   left out: it is the statistical code list (统计用区划代码), whose xx7x development zones are no
   administrative divisions.

The union is taken: a code that one list corrected away was still published, and ID numbers were issued
with it. A code's name is its name in the newest list that has it (the corrected list first, then the
MCA list as published, then the NBS one). Headings that only GB/T 2260 prints (市辖区, a municipality's
县/市, a province's 直辖县级行政区划) are named after their parent, so that they read on their own.

A code is current (last year left empty) when the newest MCA list has it, or when it is a prefecture-level
heading (xx0100, xx0200, xx0300, xx9000) with a current code below it.

Usage, from the project root (the two repositories cloned or mirrored anywhere; only `git show` is used):

    git clone https://github.com/yescallop/areacodes /tmp/areacodes
    git clone https://github.com/cn/GB2260 /tmp/GB2260
    python scripts/build_regions.py --areacodes /tmp/areacodes --gb2260 /tmp/GB2260

Pass --areacodes-commit / --gb2260-commit to build from another revision (and say so in the README).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

AREACODES_COMMIT = "eed219a0678d36bacaa717f62443b10e869f0291"  # 2025-11-04, lists up to 2024
GB2260_COMMIT = "1173e8b57b1ac265f3c79099bfab8f1aea4811a1"  # 2022-09-20, lists up to 2019-04
NBS_STATISTICAL_REVISIONS = {"201810"}  # 统计用区划代码, not GB/T 2260

OUTPUT = Path(__file__).resolve().parent.parent / "sscard" / "domain" / "data" / "regions.tsv"
MUNICIPALITIES = {"11", "12", "31", "50"}

# Rank of a source when two lists of the same year name a code differently: lower wins.
CORRECTED_MCA, PUBLISHED_MCA, GB = 0, 1, 2

_CODE_RE = re.compile(r"[1-9][0-9]{5}")


@dataclass
class Code:
    code: str
    years: set[int] = field(default_factory=set)
    names: dict[tuple[int, int], str] = field(default_factory=dict)  # (year, -rank) -> name
    in_mca: bool = False

    @property
    def name(self) -> str:
        return self.names[max(self.names)]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def _files(repo: Path, commit: str, folder: str) -> list[str]:
    return sorted(_git(repo, "ls-tree", "--name-only", commit, f"{folder}/").split())


def _add(table: dict[str, Code], code: str, name: str, year: int, rank: int) -> None:
    name = name.strip()
    if not _CODE_RE.fullmatch(code) or not name:
        raise ValueError(f"bad row {code!r} {name!r} ({year})")
    entry = table.setdefault(code, Code(code))
    entry.years.add(year)
    entry.in_mca |= rank != GB
    entry.names.setdefault((year, -rank), name)


def read_sources(areacodes: Path, areacodes_commit: str, gb2260: Path, gb2260_commit: str):
    table: dict[str, Code] = {}
    newest: set[str] = set()
    newest_year = 0
    for path in _files(areacodes, areacodes_commit, "data"):
        year = int(Path(path).stem)
        rows = [line.split(maxsplit=1) for line in _git(areacodes, "show", f"{areacodes_commit}:{path}").splitlines()
                if line.strip()]
        for code, name in rows:
            _add(table, code, name, year, CORRECTED_MCA)
        if year > newest_year:
            newest_year, newest = year, {code for code, _ in rows}
    gb_files = [*_files(gb2260, gb2260_commit, "mca"), *_files(gb2260, gb2260_commit, "stats"),
                "200212.tsv", "200712.tsv"]
    for path in gb_files:
        if path.startswith("stats/") and Path(path).stem in NBS_STATISTICAL_REVISIONS:
            continue
        text = _git(gb2260, "show", f"{gb2260_commit}:{path}")
        for line in text.splitlines()[1:]:
            source, revision, code, name = line.split("\t")
            _add(table, code, name, int(revision[:4]), PUBLISHED_MCA if source == "mca" else GB)
    return table, newest, newest_year


def _display_name(entry: Code, table: dict[str, Code]) -> str:
    """Headings printed only in GB/T 2260 are named after their parent."""
    code, name = entry.code, entry.name
    province = table[code[:2] + "0000"].name
    if entry.in_mca:
        return name
    if code[2:] == "9000":
        return f"{province}直辖县级行政区划"
    if code[:2] in MUNICIPALITIES and code[4:] == "00":
        return {"0100": province, "0200": f"{province}郊县", "0300": f"{province}县级市"}.get(code[2:], name)
    if name == "市辖区" and code[4:] == "01" and code[:4] + "00" in table:
        return table[code[:4] + "00"].name + name
    return name


def build(table: dict[str, Code], newest: set[str]) -> list[tuple[str, str, int, int | None]]:
    current = set(newest)
    for code in table:
        heading = code.endswith("00") and not code.endswith("0000") and not table[code].in_mca
        if heading and any(other[:4] == code[:4] and other != code for other in newest):
            current.add(code)
    rows = []
    for code in sorted(table):
        entry = table[code]
        rows.append((code, _display_name(entry, table), min(entry.years),
                     None if code in current else max(entry.years)))
    return rows


def render(rows, *, areacodes_commit: str, gb2260_commit: str, newest_year: int, built: date) -> str:
    first = min(row[2] for row in rows)
    header = f"""\
# GB/T 2260 administrative division codes: every province-, prefecture- and county-level code published
# from {first} to {newest_year}. Generated by scripts/build_regions.py: do not edit by hand (see README.md).
# Sources: the Ministry of Civil Affairs lists 中华人民共和国县以上行政区划代码 {first}-2019 as published
# (github.com/cn/GB2260 @ {gb2260_commit[:12]}, mca/), the same lists 1981-{newest_year} as corrected by
# github.com/yescallop/areacodes @ {areacodes_commit[:12]} (data/), and GB/T 2260 as published by the
# National Bureau of Statistics 2002-2016 (cn/GB2260 stats/, 200212, 200712). Built {built.isoformat()}.
# Columns (tab-separated): code, name (the newest published one), first year, last year (empty: current).
"""
    body = "".join(f"{code}\t{name}\t{start}\t{'' if end is None else end}\n" for code, name, start, end in rows)
    return header + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areacodes", type=Path, required=True, help="clone of github.com/yescallop/areacodes")
    parser.add_argument("--areacodes-commit", default=AREACODES_COMMIT)
    parser.add_argument("--gb2260", type=Path, required=True, help="clone of github.com/cn/GB2260")
    parser.add_argument("--gb2260-commit", default=GB2260_COMMIT)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--built", type=date.fromisoformat, default=date.today(), help="date in the header")
    args = parser.parse_args(argv)
    table, newest, newest_year = read_sources(args.areacodes, args.areacodes_commit, args.gb2260, args.gb2260_commit)
    rows = build(table, newest)
    args.output.write_text(
        render(rows, areacodes_commit=args.areacodes_commit, gb2260_commit=args.gb2260_commit,
               newest_year=newest_year, built=args.built),
        encoding="utf-8",
    )
    print(f"{args.output}: {len(rows)} codes, {sum(end is None for *_, end in rows)} current", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
