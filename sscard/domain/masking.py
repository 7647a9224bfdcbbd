"""Masking of personal data wherever it is shown or logged."""

import re


def mask_id_number(value: str) -> str:
    """`420106199001011234` -> `420106********1234`; short values keep only their last character."""
    if not value:
        return ""
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return "*" * len(value)


def mask_phone(value: str) -> str:
    """`13812341234` -> `138****1234`."""
    if not value:
        return ""
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    return "*" * max(0, len(value) - 4) + value[-4:]


def mask_name(value: str) -> str:
    """`张三丰` -> `张**`: the family name stays, the rest is hidden."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


# --- Personal data inside free text (audit data, log lines, error messages) --------------------------------
# The look-arounds (not \b) also work next to CJK text, where \b finds no word boundary.
#
# Resident ID numbers: 18 characters (17 digits and a check digit or X/x), and the first-generation 15-digit
# ones (6-digit region, birth date YYMMDD, 3-digit sequence). A 15-digit number is taken for an ID number only
# when its middle is a possible date (month 01-12, day 01-31), so other 15-digit numbers (amounts in fen,
# references) stay readable; every 18-character one is masked.
_ID_NUMBER_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])"
)
# Mainland mobile numbers (1[3-9] and 9 more digits), also after the country code (+86, 0086 or 86, with or
# without a space or hyphen) and written in groups 3-4-4 with spaces or hyphens. Only digits count as a
# boundary, so a number glued to letters ("tel13812341234") is masked too.
_PHONE_RE = re.compile(
    r"(?<!\d)(?:(?:\+|00)?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)"
)
# Whether a text can hold either: a log line's every field is checked (a request's access line, 7 fields), and a
# generator over the characters cost more than the two substitutions together.
_ANY_DIGIT = re.compile(r"\d")


def mask_personal_data(text: str) -> str:
    """`text` with every ID-number-like and mobile-number-like part masked as `mask_id_number` and `mask_phone`
    show them (`420106********123X`, `138****1234`; an x ending upper-cased, a country code dropped).

    The one rule for audit event data and log lines alike."""
    if not text or _ANY_DIGIT.search(text) is None:  # both patterns need a digit (\d); a search runs in C
        return text
    text = _ID_NUMBER_RE.sub(lambda match: mask_id_number(match.group(0).upper()), text)
    return _PHONE_RE.sub(lambda match: mask_phone("".join(match.groups())), text)
