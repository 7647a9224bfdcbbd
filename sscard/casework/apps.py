from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "sscard.casework"
    label = "casework"
    verbose_name = _("Back office")

    def ready(self):
        from .banks import file_exchange  # noqa: F401 - registers the default bank adapter
