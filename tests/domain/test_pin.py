"""The social security PIN rules (sscard.domain.pin): 6 digits, not one digit repeated, not a run (wrap-around
included), not 6 consecutive digits of the holder's ID number. Expected answers are written by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscard.domain import pin
from sscard.domain.pin import PinRuleError, check_new_pin, pin_problem

ID = "42010619900307123X"  # digits 42010619900307123: windows 420106, 201061, ..., 307123

# pin -> the code of the first rule broken (None: acceptable)
TABLE = [
    ("", "pin_format"),
    ("12345", "pin_format"),
    ("1234567", "pin_format"),
    ("12a456", "pin_format"),
    (" 12345", "pin_format"),
    ("１３５７９２", "pin_format"),  # full-width digits
    ("٣٥٧٩٢٤", "pin_format"),  # Arabic-Indic digits
    ("000000", "pin_one_digit"),
    ("777777", "pin_one_digit"),
    ("012345", "pin_run"),
    ("123456", "pin_run"),
    ("456789", "pin_run"),
    ("567890", "pin_run"),  # wrap-around counts
    ("890123", "pin_run"),
    ("901234", "pin_run"),
    ("987654", "pin_run"),
    ("543210", "pin_run"),
    ("432109", "pin_run"),
    ("109876", "pin_run"),
    ("098765", "pin_run"),
    ("420106", "pin_from_id_number"),
    ("619900", "pin_from_id_number"),
    ("307123", "pin_from_id_number"),
    ("990030", "pin_from_id_number"),
    ("07123X", "pin_format"),
    ("071230", None),  # would need the X to be a 0
    ("123457", None),
    ("135792", None),
    ("112233", None),
    ("121212", None),
    ("024680", None),
    ("654320", None),
    ("201062", None),
]


@pytest.mark.parametrize(("value", "code"), TABLE)
def test_each_rule_has_its_own_code(value, code):
    problem = pin_problem(value, id_number=ID)
    assert (problem.code if problem else None) == code


def test_every_rule_has_its_own_message():
    messages = {e.code: e.message for e in (pin.FORMAT, pin.ONE_DIGIT, pin.RUN, pin.FROM_ID, pin.MISMATCH)}
    assert messages == {
        "pin_format": "The PIN must be exactly 6 digits.",
        "pin_one_digit": "The PIN must not be one digit repeated, such as 111111.",
        "pin_run": "The PIN must not be a run of consecutive digits, such as 123456 or 654321.",
        "pin_from_id_number": "The PIN must not be 6 consecutive digits of your ID number.",
        "pin_mismatch": "The two PINs you entered are not the same.",
    }


def test_there_are_exactly_twenty_runs_and_ten_repeated_digits():
    every = [f"{n:06d}" for n in range(1_000_000)]
    runs = sorted(p for p in every if pin.is_run(p))
    assert runs == sorted(["012345", "123456", "234567", "345678", "456789", "567890", "678901", "789012",
                           "890123", "901234", "098765", "109876", "210987", "321098", "432109", "543210",
                           "654321", "765432", "876543", "987654"])
    assert [p for p in every if pin.is_one_digit(p)] == [str(d) * 6 for d in range(10)]


def test_without_an_id_number_only_the_other_rules_apply():
    assert pin_problem("420106") is None
    assert pin_problem("420106", id_number="") is None


def test_the_repetition_must_be_the_same():
    check_new_pin("135792", "135792", id_number=ID)
    with pytest.raises(PinRuleError) as error:
        check_new_pin("135792", "135793", id_number=ID)
    assert error.value.code == "pin_mismatch"
    with pytest.raises(PinRuleError) as error:  # a rule comes before the repetition
        check_new_pin("123456", "654321", id_number=ID)
    assert error.value.code == "pin_run"


@given(st.text(min_size=0, max_size=10))
def test_anything_not_six_ascii_digits_is_refused_as_a_format_error(text):
    problem = pin_problem(text)
    if len(text) == 6 and all(c in "0123456789" for c in text):
        assert problem is None or problem.code != "pin_format"
    else:
        assert problem is not None and problem.code == "pin_format"


@given(st.from_regex(r"\A[0-9]{18}\Z"), st.integers(min_value=0, max_value=12))
def test_every_window_of_an_id_number_is_refused_unless_another_rule_comes_first(id_number, start):
    window = id_number[start:start + 6]
    problem = pin_problem(window, id_number=id_number)
    assert problem is not None
    assert problem.code in {"pin_from_id_number", "pin_one_digit", "pin_run"}


@given(st.from_regex(r"\A[0-9]{6}\Z"))
def test_a_pin_is_a_run_exactly_when_each_step_is_plus_one_or_each_minus_one_mod_ten(value):
    digits = [int(c) for c in value]
    up = all((b - a) % 10 == 1 for a, b in zip(digits, digits[1:], strict=False))
    down = all((a - b) % 10 == 1 for a, b in zip(digits, digits[1:], strict=False))
    assert pin.is_run(value) == (up or down)
