"""The pure rules of third-party authorisations (`sscard.domain.record_authorisation`), from hand-written tables."""

import pytest

from sscard.domain import record_authorisation as rules


@pytest.mark.parametrize(("typed", "normalised"), [
    ("ABCD-EFGH-JKMN-PQRS", "ABCDEFGHJKMNPQRS"),
    ("abcd efgh jkmn pqrs", "ABCDEFGHJKMNPQRS"),
    ("0O1I-L234-5678-9XYZ", "0011123456789XYZ"),  # O read as 0, I and L as 1
    ("ABCD-EFGH-JKMN-PQR", ""),                   # 15 characters
    ("ABCD-EFGH-JKMN-PQRU", ""),                  # U is not in the alphabet
    ("", ""),
])
def test_a_typed_code_is_normalised_or_refused(typed, normalised):
    assert rules.normalise_code(typed) == normalised


def test_new_codes_differ_and_normalise_to_themselves():
    codes = {rules.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(rules.normalise_code(code) == code.replace("-", "") for code in codes)


def test_the_hash_is_keyed():
    assert rules.code_hash(b"k1", "ABCDEFGHJKMNPQRS") != rules.code_hash(b"k2", "ABCDEFGHJKMNPQRS")
    assert rules.code_hint("ABCD-EFGH-JKMN-PQRS") == "PQRS"


@pytest.mark.parametrize(("parts", "year_from", "year_to", "expected"), [
    (["benefits", "contributions"], 2020, 2026, ("contributions", "benefits")),
    (["accounts"], 1990, 2019, ("accounts",)),
    ([], 2020, 2026, "parts"),
    (["salary"], 2020, 2026, "parts"),
    (["accounts"], 1989, 2020, "year_range"),
    (["accounts"], 2020, 2027, "year_range"),
    (["accounts"], 2026, 2020, "year_order"),
    (["accounts"], 1990, 2026, "year_span"),
])
def test_the_scope(parts, year_from, year_to, expected):
    if isinstance(expected, str):
        with pytest.raises(rules.AuthorisationRuleError) as error:
            rules.check_scope(parts=parts, year_from=year_from, year_to=year_to, this_year=2026)
        assert error.value.code == expected
    else:
        scope = rules.check_scope(parts=parts, year_from=year_from, year_to=year_to, this_year=2026)
        assert scope.parts == expected and scope.covers(expected[0], year_from)
        assert not scope.covers(expected[0], year_to + 1)


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (30, True), (31, False)])
def test_the_duration_is_1_to_30_days(days, ok):
    if ok:
        assert rules.check_days(days) == days
    else:
        with pytest.raises(rules.AuthorisationRuleError):
            rules.check_days(days)
