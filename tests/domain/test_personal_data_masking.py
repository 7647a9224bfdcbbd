"""Masking of ID numbers, phone numbers and names wherever they are shown or logged."""

import pytest

from sscard.domain.masking import mask_id_number, mask_name, mask_phone


def test_id_number_keeps_region_and_last_four():
    assert mask_id_number("420106199001011234") == "420106********1234"
    assert mask_id_number("34052419800101001X") == "340524********001X"


def test_id_number_short_values():
    assert mask_id_number("420106900101123") == "420106*****1123"  # old 15-character numbers
    assert mask_id_number("E12345678") == "*****5678"  # e.g. a passport number
    assert mask_id_number("1234") == "****"
    assert mask_id_number("12") == "**"


def test_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("027-87654321") == "********4321"  # other lengths keep only the last four
    assert mask_phone("1234") == "1234"


@pytest.mark.parametrize("name, masked", [
    ("张三丰", "张**"), ("李四", "李*"), ("王", "王"), ("欧阳娜娜", "欧***"), ("Alice", "A****"),
])
def test_name_keeps_the_first_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("mask", [mask_id_number, mask_phone, mask_name])
def test_empty_values_stay_empty(mask):
    assert mask("") == ""
    assert mask(None) == ""


def test_masks_never_reveal_the_middle():
    number = "420106199001011234"
    assert "19900101" not in mask_id_number(number)
    assert "1234" not in mask_phone("13812341234")[:7]
