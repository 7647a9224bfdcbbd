from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """Reference data: admin-edited rows every feature app reads (holidays, outlets, banks, manufacturers,
    service settings, stages). Below the feature apps: it imports none of them."""

    name = "sscard.reference"
    label = "reference"
    verbose_name = _("Reference data")
