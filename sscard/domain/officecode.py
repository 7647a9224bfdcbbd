"""Office codes (办件码): the short, hard-to-guess code a citizen uses to follow an application.

No national format exists, so this one is ours:

- 10 random symbols from a 31-symbol alphabet without look-alikes (no 0/O, 1/I/L), drawn with `secrets`:
  31**10 ≈ 8.2e14 codes, about 49.5 bits of randomness, nothing sequential.
- 1 check symbol. Each symbol has a value 0..30 and position i (1-based, check symbol included) a weight
  i; the check symbol makes sum(i * value_i) ≡ 0 (mod 31). Because 31 is prime and the weights 1..11
  are non-zero and pairwise different mod 31:
    * a single wrong symbol at position i changes the sum by i * d with d ≢ 0, so it is always caught;
    * swapping neighbours at i, i+1 changes it by (i - (i+1)) * (a - b) = -(a - b) ≢ 0 when a ≠ b.
  (The same argument as ISO 7064 pure systems over a prime modulus.)
- Displayed in groups of 4-4-3, e.g. `K7QM-X3P9-C4B`; parsing accepts lower case, spaces and dashes.

Uniqueness is the database's job (a unique index plus retry); this module only makes and checks codes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass


def gettext_noop(s: str) -> str:
    return s


ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MODULUS = len(ALPHABET)  # 31, a prime
RANDOM_LENGTH = 10
LENGTH = RANDOM_LENGTH + 1
GROUPS = (4, 4, 3)
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}

assert MODULUS == 31 and len(set(ALPHABET)) == MODULUS

# How an API client may spell a code: its 11 symbols in either case, optionally grouped by single dashes or
# spaces (`K7QM-X3P9-C4B`, `k7qmx3p9c4b`). Declared in the OpenAPI document; every string it matches
# normalizes to 11 symbols of the alphabet, so `parse` can only answer `check` (a probable typo) for it.
_INPUT_SYMBOL = "[" + ALPHABET + "".join(c.lower() for c in ALPHABET if c.isalpha()) + "]"
INPUT_PATTERN = f"^{_INPUT_SYMBOL}(?:[- ]?{_INPUT_SYMBOL}){{{LENGTH - 1}}}$"
INPUT_MAX_LENGTH = 2 * LENGTH - 1


class OfficeCodeError(ValueError):
    """A string that is not a well-formed office code. `code` says why; `message` is plain English."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


MSG_LENGTH = gettext_noop("An office code has 11 characters (letters and digits), for example K7QM-X3P9-C4B.")
MSG_SYMBOL = gettext_noop(
    "The office code contains a character that office codes never use (0, 1, I, L, O or a symbol)."
)
MSG_CHECK = gettext_noop("The office code is probably mistyped: its last character does not match. "
                         "Please check every character.")


def _weighted_sum(values: list[int]) -> int:
    return sum((i + 1) * v for i, v in enumerate(values)) % MODULUS


def check_symbol(body: str) -> str:
    """The check symbol for the 10 random symbols `body` (upper case, from ALPHABET)."""
    values = [_VALUES[c] for c in body]
    partial = _weighted_sum(values)
    weight = len(values) + 1
    # weight * c ≡ -partial (mod 31); the inverse exists because 31 is prime.
    c = (-partial * pow(weight, -1, MODULUS)) % MODULUS
    return ALPHABET[c]


def is_valid(code: str) -> bool:
    """True for a compact, upper-case code whose check symbol matches."""
    if len(code) != LENGTH or any(c not in _VALUES for c in code):
        return False
    return _weighted_sum([_VALUES[c] for c in code]) == 0


def generate(randbelow=secrets.randbelow) -> str:
    """A new random compact code (11 symbols, check symbol last)."""
    body = "".join(ALPHABET[randbelow(MODULUS)] for _ in range(RANDOM_LENGTH))
    return body + check_symbol(body)


def normalize(value: str) -> str:
    """Upper-case and drop spaces, dashes and similar separators; does not validate."""
    return "".join(ch for ch in (value or "").upper() if ch not in " -_.\u00a0\u3000\u2010\u2011\u2012\u2013\u2014\uff0d")


@dataclass(frozen=True)
class ParsedCode:
    compact: str

    @property
    def display(self) -> str:
        return format_code(self.compact)


def parse(value: str) -> ParsedCode:
    """Parse what a person typed. Raises OfficeCodeError with code `length`, `symbol` or `check`."""
    compact = normalize(value)
    if len(compact) != LENGTH:
        raise OfficeCodeError("length", MSG_LENGTH)
    if any(c not in _VALUES for c in compact):
        raise OfficeCodeError("symbol", MSG_SYMBOL)
    if not is_valid(compact):
        raise OfficeCodeError("check", MSG_CHECK)
    return ParsedCode(compact)


def format_code(compact: str) -> str:
    """`K7QMX3P9C4B` -> `K7QM-X3P9-C4B`."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(compact[start:start + size])
        start += size
    return "-".join(p for p in parts if p)
