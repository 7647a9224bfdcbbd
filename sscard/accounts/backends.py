from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import selectors


class CitizenBackend(ModelBackend):
    """Authenticate a citizen by ID number or mobile phone plus password."""

    def authenticate(self, request, identifier=None, password=None, **kwargs):
        if not identifier or not password:
            return None
        user = selectors.citizen_by_identifier(identifier)
        if user is None:
            get_user_model()().set_password(password)  # equal time whether the account exists or not
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
