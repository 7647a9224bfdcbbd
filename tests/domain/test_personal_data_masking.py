"""Masking of ID numbers, phone numbers and names wherever they are shown or logged."""

import pytest

from sscard.domain.masking import mask_id_number, mask_name, mask_personal_data, mask_phone


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


# --- One rule for personal data inside text (audit event data and log lines alike) -------------------------
# (text, masked text), written by hand. The 15-digit and +86 rows are where the audit log's and the JSON
# log's own rules disagreed before they became this one function.
IN_TEXT = [
    # 18-character resident ID numbers
    ("360426199101010071", "360426********0071"),
    ("34052419800101001X", "340524********001X"),
    ("34052419800101001x", "340524********001X"),  # x ending upper-cased
    ("申请人120103198806018241已提交", "申请人120103********8241已提交"),
    ("id=360426199101010071,", "id=360426********0071,"),
    # first-generation 15-digit ID numbers (region, YYMMDD, sequence)
    ("420106900101123", "420106*****1123"),
    ("旧证号 420106900101123。", "旧证号 420106*****1123。"),
    ("old id 110105491231002 ok", "old id 110105*****1002 ok"),
    # mainland mobile numbers, alone, with the country code, in groups
    ("13812341234", "138****1234"),
    ("+8613812341234", "138****1234"),
    ("+86 13812341234", "138****1234"),
    ("+86-13812341234", "138****1234"),
    ("8613812341234", "138****1234"),
    ("008613812341234", "138****1234"),
    ("138 1234 1234", "138****1234"),
    ("138-1234-1234", "138****1234"),
    ("+86 138 1234 1234", "138****1234"),
    ("电话：13812341234。", "电话：138****1234。"),
    ("tel13812341234", "tel138****1234"),
    ("called from +86 15012345678 today", "called from 150****5678 today"),
    # both in one text
    ("420106900101123 / 13700001111", "420106*****1123 / 137****1111"),
    # already masked values stay as they are
    ("360426********0071 138****1234", "360426********0071 138****1234"),
    # not personal data: dates, office codes, amounts, other numbers
    ("2026-01-01", "2026-01-01"),
    ("20260101", "20260101"),
    ("2026-12-01T13:45:00+08:00", "2026-12-01T13:45:00+08:00"),
    ("K7QM-X3P9-C4B", "K7QM-X3P9-C4B"),
    ("K7QMX3P9C4B", "K7QMX3P9C4B"),
    ("¥240,000.00", "¥240,000.00"),
    ("3500.00", "3500.00"),
    ("12345678.90", "12345678.90"),
    ("123456789012345", "123456789012345"),  # 15 digits whose middle is no date (month 90)
    ("6222021234567890123", "6222021234567890123"),  # a 19-digit bank account
    ("10086", "10086"),
    ("12345", "12345"),
    ("a" * 18, "a" * 18),
    ("12313812341234", "12313812341234"),  # 14 digits: no phone inside a longer number
    ("", ""),
]


@pytest.mark.parametrize(("text", "masked"), IN_TEXT)
def test_personal_data_inside_text_is_masked_by_one_rule(text, masked):
    assert mask_personal_data(text) == masked


def test_the_audit_log_and_the_json_log_use_the_same_rule():
    from sscard.audit import services as audit_services
    from sscard.ops import logs

    for text, masked in IN_TEXT:
        assert logs.mask_personal_data(text) == masked
        assert audit_services.mask_personal_data(text) == masked


@pytest.mark.parametrize("text, masked", [
    ("GET /records/mine/ 200", "GET /records/mine/ 200"),  # digits, nothing personal
    ("records:mine", "records:mine"),  # no digit at all: returned as it is
    ("x² + y³ ≤ ½", "x² + y³ ≤ ½"),  # digit-like signs that are no decimal digits
    ("证件号 420106199001011234。", "证件号 420106********1234。"),
    ("手机 13812341234", "手机 138****1234"),
])
def test_the_check_for_digits_before_the_patterns_changes_no_answer(text, masked):
    assert mask_personal_data(text) == masked
