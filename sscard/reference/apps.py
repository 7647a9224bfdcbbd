from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """Reference data: admin-edited rows every feature app reads (holidays, outlets, banks, manufacturers,
    service settings, stages). Below the feature apps: it imports none of them."""

    name = "sscard.reference"
    label = "reference"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .selectors import CACHED_MODELS, forget_configuration

        # A saved or deleted settings, stage or holiday row drops the cached configuration (selectors.py).
        for model in CACHED_MODELS:
            for signal in (post_save, post_delete):
                signal.connect(forget_configuration, sender=model,
                               dispatch_uid=f"sscard.reference.forget_configuration.{model.__name__}")
