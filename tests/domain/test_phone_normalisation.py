"""Mainland China mobile numbers: separators and +86/0086 stripped, then ^1[3-9]\\d{9}$."""

import pytest

from sscard.domain import phone
from sscard.domain.phone import PhoneError, is_valid_phone, normalize_phone


@pytest.mark.parametrize("typed", [
    "13812341234", "138 1234 1234", "138-1234-1234", " 138 - 1234 - 1234 ", "+8613812341234",
    "+86 138 1234 1234", "+86-138-1234-1234", "008613812341234", "0086 138 1234 1234",
    "１３８１２３４１２３４", "＋８６ １３８–１２３４–１２３４", "138\u30001234\u30001234",
])
def test_accepted_forms(typed):
    assert normalize_phone(typed) == "13812341234"
    assert is_valid_phone(typed)


@pytest.mark.parametrize("first_two", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mobile_prefix(first_two):
    assert normalize_phone(first_two + "912345678") == first_two + "912345678"


@pytest.mark.parametrize("typed, code", [
    ("", "empty"), (None, "empty"), ("   ", "empty"), (" - ", "empty"),
    ("138.1234.1234", "characters"), ("(138)12341234", "characters"), ("1381234123a", "characters"),
    ("86+13812341234", "characters"), ("+85212345678", "characters"),
    ("1381234123", "length"), ("138123412345", "length"), ("+86", "length"), ("8613812341234", "length"),
    ("02787654321", "prefix"), ("12812341234", "prefix"), ("10086100861", "prefix"), ("23812341234", "prefix"),
])
def test_rejected_forms(typed, code):
    with pytest.raises(PhoneError) as raised:
        normalize_phone(typed)
    assert raised.value.code == code
    assert raised.value.message == phone.MESSAGES[code] == str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert not is_valid_phone(typed)


def test_messages_are_distinct_sentences():
    assert len(set(phone.MESSAGES.values())) == len(phone.MESSAGES)
    assert all(m.endswith(".") and m[0].isupper() for m in phone.MESSAGES.values())
