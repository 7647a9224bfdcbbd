"""Resident ID numbers (GB 11643-1999): public vectors, each rule's own error, and property tests."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sscard.domain import idnumber, regions
from sscard.domain.idnumber import (
    IdNumberError,
    IdNumberInfo,
    check_character,
    is_valid_id_number,
    make_id_number,
    parse_id_number,
)

TODAY = date(2025, 6, 30)


@pytest.mark.parametrize("number, region_code, birth, sex", [
    ("360426199101010071", "360426", date(1991, 1, 1), "M"),
    ("120103198806018241", "120103", date(1988, 6, 1), "F"),
    ("34052119800101007X", "340521", date(1980, 1, 1), "M"),
])
def test_public_valid_vectors(number, region_code, birth, sex):
    info = parse_id_number(number, today=TODAY)
    assert info == IdNumberInfo(number, region_code, regions.region_name(region_code), birth, sex)
    assert is_valid_id_number(number, today=TODAY)
    assert check_character(number[:17]) == number[17]


def test_public_bad_check_vector():
    with pytest.raises(IdNumberError) as raised:
        parse_id_number("360426199101010072", today=TODAY)
    assert raised.value.code == "checksum"
    assert not is_valid_id_number("360426199101010072", today=TODAY)


def test_region_names_come_from_the_table():
    assert parse_id_number("360426199101010071", today=TODAY).region_name == "德安县"
    assert parse_id_number(make_id_number("420106", date(1990, 1, 1), 123), today=TODAY).region_name == "武昌区"


@pytest.mark.parametrize("number, region_name, birth", [
    ("500381200006010015", "江津市", date(2000, 6, 1)),  # Chongqing's county-level city 1997-2006
    ("421302200506010017", "曾都区", date(2005, 6, 1)),  # 随州市曾都区 2000-2008
    ("441002197006010013", "新华区", date(1970, 6, 1)),  # 海口, Guangdong, 1980-1982
    ("232432196006010010", "饶河县", date(1960, 6, 1)),  # 合江地区, Heilongjiang, 1980s
])
def test_numbers_with_withdrawn_region_codes_are_valid(number, region_name, birth):
    """Issue 9: the MCA lists published these codes, and an ID number keeps the code of first registration."""
    info = parse_id_number(number, today=TODAY)
    assert (info.region_code, info.region_name, info.birth_date) == (number[:6], region_name, birth)


@pytest.mark.parametrize("number", [
    "34052419800101001X",  # 340524: no list ever published it (马鞍山 has 340521-340523)
    make_id_number("429900", date(1990, 1, 1), 1),  # prefecture 4299 never existed
    make_id_number("360499", date(1990, 1, 1), 1),  # 九江市 exists, 360499 never did
])
def test_numbers_with_never_published_region_codes_are_refused(number):
    assert _error(number) == "region"


def test_birth_years_from_1900_only():
    assert parse_id_number(make_id_number("420106", date(1900, 1, 1), 1), today=TODAY).birth_date == date(1900, 1, 1)
    assert _error(make_id_number("420106", date(1899, 12, 31), 1)) == "birth_year"
    assert _error(make_id_number("420106", date(1000, 1, 1), 1)) == "birth_year"
    # A year before 1900 is reported before the region and the check character.
    assert _error(make_id_number("990106", date(1899, 1, 1), 1)) == "birth_year"
    assert _error(make_id_number("420106", date(1899, 1, 1), 1)[:17] + "0") == "birth_year"  # bad check too


def test_lower_case_x_whitespace_and_full_width_input_are_accepted():
    assert parse_id_number("34052119800101007x", today=TODAY).number == "34052119800101007X"
    assert parse_id_number("  340521 19800101 007x\t", today=TODAY).number == "34052119800101007X"
    assert parse_id_number("３４０５２１１９８００１０１００７ｘ", today=TODAY).number == "34052119800101007X"


@pytest.mark.parametrize("value, code", [
    ("", "empty"), ("   ", "empty"), (None, "empty"),
    ("36042619910101007", "length"), ("3604261991010100711", "length"), ("360426910101007", "length"),
    ("36042619910101007A", "format"), ("X60426199101010071", "format"), ("3604261991010100X1", "format"),
    ("36042619910101-071", "format"),
    ("360426199102300079", "birth_date"), ("360426199113010071", "birth_date"), ("360426000001010071", "birth_date"),
    ("360426189912310079", "birth_year"), ("360426202607010071", "future"),
    ("990426199101010071", "region"), ("420199199101010071", "region"), ("360000199101010071", "region"),
    ("360426199101010072", "checksum"),
])
def test_each_rule_has_its_own_error(value, code):
    with pytest.raises(IdNumberError) as raised:
        parse_id_number(value, today=TODAY)
    assert raised.value.code == code
    assert raised.value.message == idnumber.MESSAGES[code]
    assert str(raised.value) == raised.value.message
    assert isinstance(raised.value, ValueError)


def test_rules_are_checked_in_order():
    # Bad date and bad check character: the date is reported first.
    assert _error("360426199102300071") == "birth_date"
    # Future and unknown region: the future is reported first.
    assert _error(make_id_number("990000", date(2030, 1, 1), 1)) == "future"
    # Unknown region and wrong check character: the region is reported first.
    number = make_id_number("990426", date(1991, 1, 1), 7)
    assert _error(number[:17] + ("0" if number[17] != "0" else "1")) == "region"


def _error(value):
    with pytest.raises(IdNumberError) as raised:
        parse_id_number(value, today=TODAY)
    return raised.value.code


def test_born_today_is_not_in_the_future_and_today_defaults_to_the_real_date():
    assert parse_id_number(make_id_number("420106", TODAY, 2), today=TODAY).birth_date == TODAY
    assert is_valid_id_number(make_id_number("420106", date.today(), 2))


def test_leap_days():
    assert is_valid_id_number(make_id_number("420106", date(2000, 2, 29), 1), today=TODAY)
    assert _error("420106190002290000"[:17] + "0") == "birth_date"  # 1900 was not a leap year


def test_messages_are_specific_english_sentences():
    assert idnumber.MESSAGES["length"] == "The ID number must be 18 characters long."
    assert idnumber.MESSAGES["checksum"].startswith("The last character of the ID number does not match")
    assert idnumber.MESSAGES["birth_date"] == (
        "The birth date in the ID number (characters 7 to 14) is not a real date."
    )
    assert idnumber.MESSAGES["birth_year"] == "The birth year in the ID number cannot be before 1900."
    assert idnumber.MESSAGES["future"] == "The birth date in the ID number is in the future."
    assert idnumber.MESSAGES["region"] == "The first six digits of the ID number are not a known region code."
    assert set(idnumber.MESSAGES) == {
        "empty", "length", "format", "checksum", "birth_date", "birth_year", "future", "region",
    }
    assert all(m.endswith(".") and m[0].isupper() for m in idnumber.MESSAGES.values())
    assert len(set(idnumber.MESSAGES.values())) == len(idnumber.MESSAGES)
    assert idnumber.gettext_noop("x") == "x"


def test_age_on():
    info = parse_id_number(make_id_number("420106", date(1990, 6, 15), 11), today=TODAY)
    assert info.age_on(date(1990, 6, 15)) == 0
    assert info.age_on(date(2008, 6, 14)) == 17
    assert info.age_on(date(2008, 6, 15)) == 18
    assert info.age_on(date(2025, 12, 31)) == 35
    with pytest.raises(ValueError):
        info.age_on(date(1990, 6, 14))
    leap = parse_id_number(make_id_number("420106", date(2008, 2, 29), 11), today=TODAY)
    assert leap.age_on(date(2024, 2, 28)) == 15
    assert leap.age_on(date(2024, 2, 29)) == 16
    assert leap.age_on(date(2025, 2, 28)) == 16
    assert leap.age_on(date(2025, 3, 1)) == 17


def test_make_id_number_checks_its_arguments():
    assert make_id_number("420106", date(1990, 1, 1), 0).startswith("42010619900101000")
    assert make_id_number("420106", date(1990, 1, 1), 999)[14:17] == "999"
    for bad_sequence in (-1, 1000, 1.0, True, "1"):
        with pytest.raises(ValueError):
            make_id_number("420106", date(1990, 1, 1), bad_sequence)
    for bad_region in ("42010", "4201066", "42010x", "４２０１０６"):
        with pytest.raises(ValueError):
            make_id_number(bad_region, date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        make_id_number("420106", date(999, 1, 1), 1)


def test_check_character_needs_17_digits():
    for bad in ("", "1234567890123456", "123456789012345678", "1234567890123456X"):
        with pytest.raises(ValueError):
            check_character(bad)


def test_check_character_table():
    # Sum of weights times digits modulo 11 indexes "10X98765432"; all eleven outcomes are reachable.
    seen = {check_character(f"{n:017d}") for n in range(0, 2000)}
    assert seen == set("0123456789X")


# --- property tests -------------------------------------------------------------------------------

_known_table_codes = sorted(r.code for r in regions.all_regions() if regions.is_known_region(r.code))
region_codes = st.one_of(
    st.sampled_from(_known_table_codes),
    st.sampled_from(sorted(regions.RESIDENCE_PERMIT_REGIONS)),
)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)
valid_numbers = st.builds(make_id_number, region_codes, birth_dates, sequences)


@settings(max_examples=300)
@given(region_codes, birth_dates, sequences)
def test_every_generated_number_parses_back(region_code, birth_date, sequence):
    number = make_id_number(region_code, birth_date, sequence)
    info = parse_id_number(number, today=TODAY)
    assert info.number == number
    assert info.region_code == region_code
    assert info.birth_date == birth_date
    assert info.sex == ("M" if sequence % 2 else "F")
    assert info.region_name
    assert parse_id_number(number.lower(), today=TODAY) == info


@settings(max_examples=150)
@given(valid_numbers)
def test_every_single_character_change_is_rejected(number):
    for position in range(18):
        allowed = "0123456789X" if position == 17 else "0123456789"
        for replacement in allowed:
            if replacement == number[position]:
                continue
            changed = number[:position] + replacement + number[position + 1:]
            assert not is_valid_id_number(changed, today=TODAY), (number, changed)


@given(valid_numbers)
def test_sex_follows_sequence_parity(number):
    info = parse_id_number(number, today=TODAY)
    assert info.sex == ("M" if int(number[14:17]) % 2 == 1 else "F")


@pytest.mark.parametrize("language", ["zh_Hans", "es"])
def test_every_id_number_message_is_translated(language):
    import polib

    path = Path(idnumber.__file__).resolve().parents[1] / "locale" / language / "LC_MESSAGES" / "django.po"
    translated = {entry.msgid: entry.msgstr for entry in polib.pofile(str(path)) if entry.translated()}
    assert all(translated.get(message) for message in idnumber.MESSAGES.values())
    expected = {"zh_Hans": "身份证号码中的出生年份不能早于1900年。",
                "es": "El año de nacimiento del número de identidad no puede ser anterior a 1900."}
    assert translated[idnumber.MESSAGES["birth_year"]] == expected[language]
