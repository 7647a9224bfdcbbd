from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "sscard.settlement"
    label = "settlement"
    verbose_name = _("Medical settlement")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from . import keys

        # An institution suspended or its agreement changed: this process's cached copy goes at once.
        post_save.connect(keys.forget, sender="reference.DesignatedInstitution",
                          dispatch_uid="settlement-forget-institution")
