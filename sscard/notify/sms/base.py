from abc import ABC, abstractmethod


class SmsDeliveryError(Exception):
    """The gateway did not accept the message. The message never contains the SMS text or the full phone."""


class SmsGateway(ABC):
    """One way of delivering SMS. Subclasses register themselves with `registry.register("<id>")`, which sets `identifier`."""

    identifier: str = ""
    verbose_name: str = ""

    @abstractmethod
    def send(self, phone: str, text: str, *, purpose: str = "") -> str:
        """Deliver `text` to `phone` and return the gateway's message ID; raise `SmsDeliveryError`."""

    def check_config(self) -> list[str]:
        """Problems with the settings this gateway needs (shown by `manage.py check`)."""
        return []

    def checks(self) -> list:
        """The system-check messages for `check_config`'s problems (run by `sscard.core.checks`)."""
        from django.core.checks import Error

        return [Error(problem, hint=f"Needed by the SMS gateway {self.identifier!r}.", id="notify.E002")
                for problem in self.check_config()]
