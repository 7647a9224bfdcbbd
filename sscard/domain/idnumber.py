"""Resident ID numbers (GB 11643-1999), checked with ISO 7064 MOD 11-2.

18 characters: a 6-digit region code (GB/T 2260), the birth date YYYYMMDD, a 3-digit sequence (odd for men,
even for women) and a check character. The check character indexes ``10X98765432`` with the weighted sum
(weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) of the first 17 digits, modulo 11.

Error messages are English sentences marked for translation without importing Django: ``gettext_noop`` below
is a no-op that makemessages recognises; the Django layer translates ``err.message`` when it shows it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from operator import mul
from typing import Literal

from sscard.domain import regions


def gettext_noop(s: str) -> str:
    """Marks a string for translation extraction; translation happens at display time."""
    return s


LENGTH = 18
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"

ErrorCode = Literal["empty", "length", "format", "checksum", "birth_date", "birth_year", "future", "region"]

# Birth years before 1900 are refused: far more likely a typing mistake in the century than a real person.
MIN_BIRTH_YEAR = 1900

MESSAGES: dict[str, str] = {
    "empty": gettext_noop("Please enter the ID number."),
    "length": gettext_noop("The ID number must be 18 characters long."),
    "format": gettext_noop("The ID number must be 17 digits followed by a digit or the letter X."),
    "checksum": gettext_noop(
        "The last character of the ID number does not match the others: please check for a typing mistake."
    ),
    "birth_date": gettext_noop("The birth date in the ID number (characters 7 to 14) is not a real date."),
    "birth_year": gettext_noop("The birth year in the ID number cannot be before 1900."),
    "future": gettext_noop("The birth date in the ID number is in the future."),
    "region": gettext_noop("The first six digits of the ID number are not a known region code."),
}

_FORMAT_RE = re.compile(r"[0-9]{17}[0-9X]")
_DIGITS_RE = re.compile(r"[0-9]+")


class IdNumberError(ValueError):
    """A rule the ID number breaks: `code` for programs, `message` (untranslated English) for people."""

    def __init__(self, code: ErrorCode):
        self.code: ErrorCode = code
        self.message: str = MESSAGES[code]
        super().__init__(self.message)


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    region_code: str
    region_name: str
    birth_date: date
    sex: str  # "M" or "F"

    def age_on(self, day: date) -> int:
        """Completed years on `day`. Someone born on 29 February turns a year older on 1 March in common years."""
        if day < self.birth_date:
            raise ValueError("the day is before the birth date")
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)


def normalize_id_number(value: str | None) -> str:
    """Full-width characters folded (NFKC), all whitespace removed, lower-case x upper-cased. No checks."""
    if not value:
        return ""
    folded = unicodedata.normalize("NFKC", value)
    return "".join(folded.split()).upper()


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 digits."""
    if len(first17) != 17 or not _DIGITS_RE.fullmatch(first17):
        raise ValueError("check_character needs exactly 17 digits")
    total = sum(map(mul, map(int, first17), WEIGHTS))  # (map: a declaration checks 100,000 of them)
    return CHECK_CHARACTERS[total % 11]


def parse_id_number(value: str | None, *, today: date | None = None) -> IdNumberInfo:
    """Validate an ID number and return what it says. Raises IdNumberError for the first rule it breaks.

    Checks, in order: empty, length, format, birth date real, birth year not before 1900, birth date not in
    the future, region known, check character.
    """
    number = normalize_id_number(value)
    if not number:
        raise IdNumberError("empty")
    if len(number) != LENGTH:
        raise IdNumberError("length")
    if not _FORMAT_RE.fullmatch(number):
        raise IdNumberError("format")
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("birth_date") from None
    if birth_date.year < MIN_BIRTH_YEAR:
        raise IdNumberError("birth_year")
    if birth_date > (today or date.today()):
        raise IdNumberError("future")
    region_code = number[:6]
    if not regions.is_known_region(region_code):
        raise IdNumberError("region")
    if number[17] != check_character(number[:17]):
        raise IdNumberError("checksum")
    return IdNumberInfo(
        number=number,
        region_code=region_code,
        region_name=regions.region_name(region_code) or "",
        birth_date=birth_date,
        sex="M" if int(number[16]) % 2 else "F",
    )


def is_valid_id_number(value: str | None, *, today: date | None = None) -> bool:
    try:
        parse_id_number(value, today=today)
    except IdNumberError:
        return False
    return True


def make_id_number(region_code: str, birth_date: date, sequence: int) -> str:
    """A number with a correct check character (for tests, demo and synthetic data). Odd sequence = male.

    The region code is only checked for shape, so that tests can also build numbers with unknown regions.
    """
    if not (isinstance(region_code, str) and len(region_code) == 6 and _DIGITS_RE.fullmatch(region_code)):
        raise ValueError(f"region code must be 6 digits: {region_code!r}")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence <= 999:
        raise ValueError(f"sequence must be an integer from 0 to 999: {sequence!r}")
    if birth_date.year < 1000:
        raise ValueError("birth year must have four digits")
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
