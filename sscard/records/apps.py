from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "sscard.records"
    label = "records"
    verbose_name = _("Social insurance records")

    def ready(self):
        from .payment_files import csv_bank  # noqa: F401  (registers the "csv" bank payment file)
