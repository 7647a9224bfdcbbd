from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotIdentityValidator:
    """Refuse a password that contains the person's ID number or mobile phone number."""

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.lower()
        for value in (getattr(user, "id_number", None), getattr(user, "phone", None)):
            if value and (value.lower() in lowered or lowered in value.lower() and len(password) >= 6):
                raise ValidationError(
                    _("Your password must not contain your ID number or mobile phone number."),
                    code="password_is_identity",
                )

    def get_help_text(self):
        return _("Your password must not contain your ID number or mobile phone number.")
