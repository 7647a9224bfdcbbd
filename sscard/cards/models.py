"""Issued social security cards. A card is created, sealed, when the manufacturer's result file is imported;
the holder enables it online later (the card lifecycle after issue belongs to a later issue)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sscard.core.models import StatusHistoryRow
from sscard.domain import cardstates
from sscard.domain.masking import mask_id_number


def mask_account(value: str) -> str:
    """`6222021234567890123` -> `6222 **** **** 0123`: the bank's prefix and the last four digits."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * (len(value) - 4) + value[-4:]
    return f"{value[:4]} **** **** {value[-4:]}"


class CardState(models.TextChoices):
    """The states of `sscard.domain.cardstates.CardState`, with their labels."""

    SEALED = cardstates.CardState.SEALED.value, _("Sealed (not yet enabled)")
    ACTIVE = cardstates.CardState.ACTIVE.value, _("Active")
    TEMPORARILY_LOST = cardstates.CardState.TEMPORARILY_LOST.value, _("Temporarily reported lost")
    FORMALLY_LOST = cardstates.CardState.FORMALLY_LOST.value, _("Formally reported lost")
    REPLACED = cardstates.CardState.REPLACED.value, _("Replaced")
    EXPIRED = cardstates.CardState.EXPIRED.value, _("Expired")
    CANCELLED = cardstates.CardState.CANCELLED.value, _("Cancelled")


class Channel(models.TextChoices):
    ONLINE = cardstates.Channel.ONLINE.value, _("Online")
    COUNTER = cardstates.Channel.COUNTER.value, _("At a service outlet")
    BANK = cardstates.Channel.BANK.value, _("Through the bank")
    SYSTEM = cardstates.Channel.SYSTEM.value, _("Automatically")


class Card(models.Model):
    """One physical social security card, linked to the application it was made for and to its holder."""

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       related_name="card")
    # The account that applied and manages the card (the holder, or the guardian of a child holder).
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cards")
    holder_id_number = models.CharField(_("holder's ID number"), max_length=18, db_index=True)
    card_number = models.CharField(_("card number"), max_length=9, unique=True)
    chip_id = models.CharField(_("card identifier (chip)"), max_length=32, unique=True)
    issue_date = models.DateField(_("issue date"))
    expiry_date = models.DateField(_("expiry date"))
    bank = models.ForeignKey("reference.PartnerBank", on_delete=models.PROTECT, related_name="+")
    bank_account = models.CharField(_("bank account"), max_length=32)
    manufacturer = models.CharField(_("manufacturer"), max_length=32)
    state = models.CharField(_("state"), max_length=24, choices=CardState.choices, default=CardState.SEALED)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(_("handed over / received"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        constraints = [
            models.CheckConstraint(condition=models.Q(expiry_date__gt=models.F("issue_date")),
                                   name="card_expiry_after_issue"),
        ]

    def __str__(self) -> str:
        return self.card_number

    @property
    def masked_bank_account(self) -> str:
        return mask_account(self.bank_account)

    @property
    def masked_holder_id_number(self) -> str:
        return mask_id_number(self.holder_id_number)


class CardStatusChange(StatusHistoryRow):
    """One change of a card's state (written only by `cards.services.change_card_state`): when, by whom,
    through which channel, why. `note` holds the reason as the staff or holder gave it."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="changes")
    to_state = models.CharField(max_length=24, choices=CardState.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    class Meta(StatusHistoryRow.Meta):
        verbose_name = _("card status change")
        verbose_name_plural = _("card status changes")


# Transit operators and the hot list live in their own module (it is one topic of its own).
from .transit_models import HotListChange, HotListEntry, HotListVersion, TransitOperator, TransitToken  # noqa: E402, F401
