from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "sscard.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .sms import http, outbox  # noqa: F401  (each gateway module registers itself)
