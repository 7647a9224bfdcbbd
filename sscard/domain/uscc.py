"""Unified social credit codes of employers (GB 32100-2015), checked by python-stdnum's `stdnum.cn.uscc`.

18 characters: the registration authority (1), the organisation type (1), the region code (6 digits,
GB/T 2260), the organisation's own code (9) and a check character (modulo 31 over the alphabet
``0123456789ABCDEFGHJKLMNPQRTUWXY``: no I, O, S, V, Z). The check itself is stdnum's (a well-kept library, not
written again here); this module only turns its exceptions into stable error codes with a message people read.
"""

from __future__ import annotations

from typing import Literal

from stdnum.cn import uscc as _uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from sscard.domain.idnumber import gettext_noop

ErrorCode = Literal["empty", "length", "characters", "check"]

MESSAGES: dict[str, str] = {
    "empty": gettext_noop("Please enter the unified social credit code."),
    "length": gettext_noop("The unified social credit code must be 18 characters long."),
    "characters": gettext_noop(
        "The unified social credit code has characters it cannot have: the first eight are digits, the others "
        "digits or capital letters other than I, O, S, V and Z."),
    "check": gettext_noop(
        "The last character of the unified social credit code does not match the others: please check for a "
        "typing mistake."),
}


class CreditCodeError(ValueError):
    """A rule the credit code breaks: `code` for programs, `message` (untranslated English) for people."""

    def __init__(self, code: ErrorCode):
        self.code: ErrorCode = code
        self.message: str = MESSAGES[code]
        super().__init__(self.message)


def normalize_credit_code(value: str | None) -> str:
    """Spaces and dashes removed, letters in capitals (as stdnum compacts it)."""
    return _uscc.compact(value or "")


def validate_credit_code(value: str | None) -> str:
    """The code in its stored form, or `CreditCodeError` with the first rule it breaks."""
    number = normalize_credit_code(value)
    if not number:
        raise CreditCodeError("empty")
    try:
        return _uscc.validate(number)
    except InvalidLength:
        raise CreditCodeError("length") from None
    except InvalidChecksum:
        raise CreditCodeError("check") from None
    except ValidationError:  # InvalidFormat: a letter among the first eight, or a letter outside the alphabet
        raise CreditCodeError("characters") from None


def is_valid_credit_code(value: str | None) -> bool:
    try:
        validate_credit_code(value)
    except CreditCodeError:
        return False
    return True
