"""Unified social credit codes (GB 32100-2015) through python-stdnum, with one stable error code per rule."""

import pytest

from sscard.domain.uscc import MESSAGES, CreditCodeError, is_valid_credit_code, validate_credit_code

# Written down once. The valid codes: a published example (91110000600037341L, its check character worked out
# by hand in the last test) and codes made for these tests, whose check characters were computed when the table
# was written (weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 over the alphabet 0-9 A-H J-N P-R T U W-Y,
# check = (31 - sum mod 31) mod 31); each invalid code breaks one rule.
VALID = [
    ("91110000600037341L", "91110000600037341L"),
    ("91420106MA4K12345A", "91420106MA4K12345A"),
    ("91420102MA4K56789K", "91420102MA4K56789K"),
    ("92420111MA4KXY07PB", "92420111MA4KXY07PB"),
    ("124201004413853725", "124201004413853725"),
    ("91420106ma4k12345a", "91420106MA4K12345A"),  # lower case is upper-cased
    (" 9142 0106-MA4K 12345A ", "91420106MA4K12345A"),  # spaces and dashes are dropped
]
INVALID = [
    ("", "empty"),
    (None, "empty"),
    ("9142010", "length"),
    ("91420106MA4K12345AA", "length"),
    ("91420106MA4K1234", "length"),
    ("9142010AMA4K12345A", "characters"),  # a letter among the first eight
    ("91420106MA4K1234IA", "characters"),  # I is not in the alphabet (nor O, S, V, Z)
    ("91420106MA4K1234OA", "characters"),
    ("91420106MA4K12345B", "check"),
    ("91110000600037341K", "check"),
    ("91420102MA4K56789A", "check"),
    ("91420106MA4K12354A", "check"),  # two characters swapped
]


@pytest.mark.parametrize(("value", "stored"), VALID)
def test_valid_codes_are_accepted_in_their_stored_form(value, stored):
    assert validate_credit_code(value) == stored
    assert is_valid_credit_code(value)


@pytest.mark.parametrize(("value", "code"), INVALID)
def test_each_broken_rule_has_its_error_code_and_message(value, code):
    with pytest.raises(CreditCodeError) as refused:
        validate_credit_code(value)
    assert refused.value.code == code
    assert refused.value.message == MESSAGES[code]
    assert not is_valid_credit_code(value)


def test_the_check_character_of_the_published_example_by_hand():
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    # 9*1 + 1*3 + 1*9 + 1*27 + 6*20 + 3*8 + 7*24 + 3*10 + 4*30 + 1*28 = 538; 538 mod 31 = 11; 31 - 11 = 20 -> L
    digits = [9, 1, 1, 1, 0, 0, 0, 0, 6, 0, 0, 0, 3, 7, 3, 4, 1]
    total = sum(d * w for d, w in zip(digits, weights, strict=True))
    assert total == 538
    assert alphabet[(31 - total % 31) % 31] == "L"
