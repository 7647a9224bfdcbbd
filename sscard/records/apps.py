from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "sscard.records"
    label = "records"
    verbose_name = _("Social insurance records")

    def ready(self) -> None:
        from .declarations import csv_file, xlsx_file  # noqa: F401  (each format module registers itself)
