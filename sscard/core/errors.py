"""The one domain error: a business rule refused an action."""

from decimal import Decimal

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A business rule refused the action.

    `code` is a stable machine-readable reason (the API returns it), `message` the English source text (a
    msgid marked with gettext_noop), `params` fill in its placeholders; `translated()` renders it in the
    active language. `subject` is the object the rule is about, for the caller (never shown).
    """

    def __init__(self, code: str, message: str, params: dict | None = None, subject=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params or {}
        self.subject = subject

    def translated(self) -> str:
        if not self.params:
            return _(self.message)
        # Numbers stay numbers (for %(n)d); anything else (lazy text, dates) becomes text.
        params = {key: value if isinstance(value, int | float | Decimal) else str(value)
                  for key, value in self.params.items()}
        return _(self.message) % params
