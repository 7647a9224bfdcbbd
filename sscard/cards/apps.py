from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    name = "sscard.cards"
    label = "cards"
    verbose_name = _("Issued cards")

    def ready(self):
        # cards sits above casework: casework's production makes cards, and its case page offers the
        # delivery actions, through these two hooks rather than by importing cards.
        from sscard.casework.production.services import set_card_issuer

        from . import checks, counter_views, services, staff_views  # noqa: F401 - checks: deploy check; counter_views: its actions
        from .bank_events import file_exchange, http  # noqa: F401 - register the card-event bank adapters

        set_card_issuer(services)
        staff_views.register_case_actions()
