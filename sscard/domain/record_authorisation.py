"""A person's authorisation for a third party to read their social insurance record (art. 74 and the 2011
Measures: a third party needs the person's authorisation): the code's format, its scope and its duration.

- The code: 16 characters of Crockford's base 32 (no I, L, O, U): 80 random bits, read as four groups of four
  (`K7Q2-9XHM-...`). Typed input is normalised (spaces and dashes dropped, upper case, O->0, I/L->1), so a code
  read over the phone still matches. Only a keyed hash of the normalised code is stored.
- The scope: which parts of the record (contributions, accounts, benefits; at least one) and which years (a
  range of at most `MAX_YEARS` years, not in the future).
- The duration: 1 to 30 days.

Pure Python: no Django.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
CODE_LENGTH = 16  # 16 x 5 bits = 80 bits
GROUP = 4
PARTS = ("contributions", "accounts", "benefits")
MIN_DAYS, MAX_DAYS = 1, 30
MAX_YEARS = 30
FIRST_YEAR = 1990

_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class AuthorisationRuleError(ValueError):
    """A broken rule: `code` is stable, `field` names the input it is about."""

    def __init__(self, code: str, field: str):
        super().__init__(code)
        self.code, self.field = code, field


def new_code() -> str:
    """A fresh code, grouped for reading (`ABCD-EFGH-JKMN-PQRS`)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise_code(text: str) -> str:
    """The code as typed, normalised; "" when it cannot be a code (wrong length or characters)."""
    cleaned = "".join((text or "").split()).replace("-", "").upper().translate(_READ_AS)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return cleaned


def code_hash(key: bytes, code: str) -> str:
    """The keyed hash stored for a normalised code (HMAC-SHA-256): the database never holds a usable code."""
    return hmac.new(key, f"records-authorisation|{code}".encode(), hashlib.sha256).hexdigest()


def code_hint(code: str) -> str:
    """What the person's list shows of a code: its last group."""
    return normalise_code(code)[-GROUP:]


@dataclass(frozen=True)
class Scope:
    parts: tuple[str, ...]
    year_from: int
    year_to: int

    def covers(self, part: str, year: int | None = None) -> bool:
        return part in self.parts and (year is None or self.year_from <= year <= self.year_to)


def check_scope(*, parts, year_from: int, year_to: int, this_year: int) -> Scope:
    """The scope chosen, or `AuthorisationRuleError`: at least one known part; years from `FIRST_YEAR` to this
    year, in order, at most `MAX_YEARS` of them."""
    chosen = tuple(part for part in PARTS if part in set(parts or ()))
    if not chosen or set(parts) - set(PARTS):
        raise AuthorisationRuleError("parts", "parts")
    if not (FIRST_YEAR <= year_from <= this_year and FIRST_YEAR <= year_to <= this_year):
        raise AuthorisationRuleError("year_range", "year_from")
    if year_from > year_to:
        raise AuthorisationRuleError("year_order", "year_to")
    if year_to - year_from + 1 > MAX_YEARS:
        raise AuthorisationRuleError("year_span", "year_from")
    return Scope(chosen, year_from, year_to)


def check_days(days: int) -> int:
    if not (MIN_DAYS <= days <= MAX_DAYS):
        raise AuthorisationRuleError("days", "days")
    return days
