"""The password rule about the person's own ID number and phone (run only after the person is verified)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from sscard.accounts.validators import NotIdentityValidator

PERSON = SimpleNamespace(id_number="42010619900307123X", phone="13800138000")


@pytest.mark.parametrize(("password", "refused"), [
    ("42010619900307123X", True),  # the ID number
    ("my-42010619900307123x", True),  # the ID number, lower-case x
    ("Aa19900307", True),  # the birth date: 8 consecutive characters of the ID number
    ("Born-900307!", True),  # 6 consecutive characters of the ID number
    ("07123x-Tail", True),  # the last 6, lower-case x
    ("pw13800138000", True),  # the phone
    ("Call-138000-me", True),  # 6 consecutive digits of the phone
    ("Aa19900-x9", False),  # 5 consecutive characters of the ID number only ("19900")
    ("Strong-pass-2026", False),
    ("Unrelated-pass-77", False),
])
def test_password_with_a_run_of_the_id_number_or_phone_is_refused(password, refused):
    validator = NotIdentityValidator()
    if refused:
        with pytest.raises(ValidationError) as error:
            validator.validate(password, user=PERSON)
        assert error.value.code == "password_is_identity"
    else:
        validator.validate(password, user=PERSON)


def test_without_a_person_nothing_is_checked():
    NotIdentityValidator().validate("42010619900307123X", user=None)
