"""Mainland China mobile numbers: 11 digits matching ``^1[3-9]\\d{9}$``.

Input may carry spaces, dashes and a +86 / 0086 country prefix; full-width digits (from Chinese input
methods) are folded to ASCII. Messages are marked for translation the same way as in `idnumber`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from sscard.domain.idnumber import gettext_noop

ErrorCode = Literal["empty", "characters", "length", "prefix"]

MESSAGES: dict[str, str] = {
    "empty": gettext_noop("Please enter your mobile phone number."),
    "characters": gettext_noop(
        "The mobile phone number may contain only digits, spaces and dashes, with an optional +86 in front."
    ),
    "length": gettext_noop("A mobile phone number has 11 digits."),
    "prefix": gettext_noop("A mainland China mobile phone number starts with 13 to 19."),
}

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_DIGITS_RE = re.compile(r"[0-9]*")


class PhoneError(ValueError):
    """A rule the phone number breaks: `code` for programs, `message` (untranslated English) for people."""

    def __init__(self, code: ErrorCode):
        self.code: ErrorCode = code
        self.message: str = MESSAGES[code]
        super().__init__(self.message)


def normalize_phone(value: str | None) -> str:
    """The 11 bare digits of a mobile number, e.g. ``+86 138-1234-1234`` -> ``13812341234``.

    Raises PhoneError when the value is empty or not a mainland mobile number.
    """
    if not value:
        raise PhoneError("empty")
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    if not compact:
        raise PhoneError("empty")
    if compact.startswith("+86"):
        compact = compact[3:]
    elif compact.startswith("0086"):
        compact = compact[4:]
    if not _DIGITS_RE.fullmatch(compact):
        raise PhoneError("characters")
    if len(compact) != 11:
        raise PhoneError("length")
    if not _MOBILE_RE.fullmatch(compact):
        raise PhoneError("prefix")
    return compact


def is_valid_phone(value: str | None) -> bool:
    try:
        normalize_phone(value)
    except PhoneError:
        return False
    return True
