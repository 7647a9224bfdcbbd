"""The rules of one line of a bank payment file (contributions), in pure Python: the amount in yuan with two
decimals, the payment day, and the amount the bill asks on that day (its total plus the late fee accrued).

The format is in docs/formats.md, "Bank payment file (contributions)". Each rule has a stable code; the message
is an English msgid (translated by the caller).
"""

from __future__ import annotations

import re
from datetime import date

from sscard.domain.contributions import late_fee, yuan
from sscard.domain.idnumber import gettext_noop

HEADER = ["bill_number", "amount", "reference", "paid_on"]

MESSAGES = {
    "required": gettext_noop("This column is empty."),
    "amount_format": gettext_noop("Write the amount in yuan with two decimals, for example 1234.50."),
    "date_format": gettext_noop("Write the date as YYYY-MM-DD, for example 2026-04-20."),
    "future": gettext_noop("The payment day %(day)s is in the future."),
    "reference_format": gettext_noop("The bank reference is 1 to 64 letters, digits, dashes or slashes."),
    "amount_mismatch": gettext_noop("The amount %(amount)s does not match the bill: %(expected)s due on %(day)s "
                                    "(%(total)s and a late fee of %(fee)s)."),
}

_AMOUNT_RE = re.compile(r"(\d{1,12})\.(\d{2})")
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_REFERENCE_RE = re.compile(r"[A-Za-z0-9/_-]{1,64}")


class LineRuleError(ValueError):
    def __init__(self, code: str, params: dict | None = None):
        self.code = code
        self.message = MESSAGES[code]
        self.params = params or {}
        super().__init__(self.message)


def parse_amount(text: str) -> int:
    """`"1234.50"` -> 123450 fen; exactly two decimals, no sign, no separators."""
    match = _AMOUNT_RE.fullmatch((text or "").strip())
    if not match:
        raise LineRuleError("amount_format")
    return int(match.group(1)) * 100 + int(match.group(2))


def parse_day(text: str, *, today: date) -> date:
    match = _DATE_RE.fullmatch((text or "").strip())
    if not match:
        raise LineRuleError("date_format")
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise LineRuleError("date_format") from None
    if day > today:
        raise LineRuleError("future", {"day": day.isoformat()})
    return day


def parse_reference(text: str) -> str:
    value = (text or "").strip()
    if not _REFERENCE_RE.fullmatch(value):
        raise LineRuleError("reference_format")
    return value


def amount_due(total_fen: int, *, due: date, paid_on: date, bp_per_day: int) -> tuple[int, int]:
    """(amount due on `paid_on`, of which late fee)."""
    fee = late_fee(total_fen, due=due, paid_on=paid_on, bp_per_day=bp_per_day)
    return total_fen + fee, fee


def check_amount(amount_fen: int, *, total_fen: int, due: date, paid_on: date, bp_per_day: int) -> int:
    """The late fee of a payment whose amount is exactly what the bill asks on `paid_on`; refuses otherwise."""
    expected, fee = amount_due(total_fen, due=due, paid_on=paid_on, bp_per_day=bp_per_day)
    if amount_fen != expected:
        raise LineRuleError("amount_mismatch", {"amount": yuan(amount_fen), "expected": yuan(expected),
                                                "day": paid_on.isoformat(), "total": yuan(total_fen),
                                                "fee": yuan(fee)})
    return fee
