"""The signed-in user of a request (sscard.accounts.backends.CitizenBackend.get_user): the same user, field by
field, as Django's ORM reads it; no user for an unknown, malformed or inactive id."""

from datetime import UTC, datetime

import pytest

from sscard.accounts.backends import CitizenBackend
from sscard.accounts.models import User
from tests.casework.conftest import new_citizen

pytestmark = pytest.mark.django_db


def test_the_session_user_is_the_orms_user_field_by_field():
    person = new_citizen("孙八")
    User.objects.filter(pk=person.pk).update(elder_mode=True, preferred_language="es",
                                              phone_verified_at=datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))
    loaded = CitizenBackend().get_user(str(person.pk))
    expected = User.objects.get(pk=person.pk)
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded.elder_mode is True and loaded.phone_verified_at == datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert loaded.is_authenticated and loaded._state.adding is False and loaded._state.db == "default"
    assert loaded.get_session_auth_hash() == expected.get_session_auth_hash()


@pytest.mark.parametrize("user_id", ["999999999", "not-an-id", ""])
def test_no_user_for_an_unknown_or_malformed_id(user_id):
    assert CitizenBackend().get_user(user_id) is None


def test_no_user_when_the_account_is_inactive():
    person = new_citizen("周九")
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert CitizenBackend().get_user(str(person.pk)) is None
