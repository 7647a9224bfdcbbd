from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A password may not contain this many consecutive characters of the person's ID number or phone number
# (a birth date, the last digits of the phone): the same idea as the PIN rule "not a run from the ID number".
RUN = 6


def _runs(value: str, size: int = RUN) -> set[str]:
    value = value.lower()
    return {value[i:i + size] for i in range(len(value) - size + 1)}


def _message() -> str:
    return _("Your password must not contain your ID number or mobile phone number, nor 6 or more "
             "consecutive characters of them.")


class NotIdentityValidator:
    """Refuse a password that contains the person's ID number or mobile phone number, or 6 or more consecutive
    characters of either.

    Its answer depends on the account's data: run it only once the person has proven who they are (the SMS
    code on registration and reset, the current password on a change), never before, or the answer becomes an
    oracle for the ID number (sscard.accounts.services).
    """

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.lower()
        for value in (getattr(user, "id_number", None), getattr(user, "phone", None)):
            if not value:
                continue
            if value.lower() in lowered or any(run in lowered for run in _runs(value)):
                raise ValidationError(_message(), code="password_is_identity")

    def get_help_text(self):
        return _message()

