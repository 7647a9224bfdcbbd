from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "sscard.records"
    label = "records"
    verbose_name = _("Social insurance records")

    def ready(self) -> None:
        # Each plugin module registers itself: the bank payment file, the declaration file formats.
        from .declarations import csv_file, xlsx_file  # noqa: F401
        from .payment_files import csv_bank  # noqa: F401
