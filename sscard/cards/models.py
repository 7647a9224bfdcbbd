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

    @property
    def pin_or_none(self) -> "CardPin | None":
        """The card's PIN row, or None while the card is sealed."""
        try:
            return self.pin
        except CardPin.DoesNotExist:
            return None


class CardStatusChange(StatusHistoryRow):
    """One change of a card's state (written only by `cards.services.change_card_state`): when, by whom,
    through which channel, why. `note` holds the reason as the staff or holder gave it."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="changes")
    to_state = models.CharField(max_length=24, choices=CardState.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    class Meta(StatusHistoryRow.Meta):
        verbose_name = _("card status change")
        verbose_name_plural = _("card status changes")


class CardCancellation(models.Model):
    """A request to cancel a card (注销), made by a clerk and confirmed or declined by a supervisor, another person
    (written only by `cards.cancellation`). At most one request per card waits at a time."""

    class Reason(models.TextChoices):
        DEATH = "death", _("Death of the holder")
        ABROAD = "settled_abroad", _("Settled abroad")
        DUPLICATE = "duplicate", _("Duplicate card")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a supervisor")
        CONFIRMED = "confirmed", _("Confirmed: card cancelled")
        DECLINED = "declined", _("Declined")

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="cancellations")
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("card cancellation")
        verbose_name_plural = _("card cancellations")
        constraints = [
            models.UniqueConstraint(fields=["card"], condition=models.Q(decision="pending"),
                                    name="one_pending_cancellation_per_card"),
        ]

    def __str__(self) -> str:
        return f"{self.card} {self.reason} {self.decision}"


class CardPin(models.Model):
    """The social security PIN of an enabled card (a sealed card has none): a keyed digest, never the PIN
    (`sscard.cards.pin_keys`), with the id of the key that made it. `is_initial`: the PIN is still the
    manufacturer's initial one (set at the counter); `failed_attempts` wrong tries in a row, locked at 6."""

    card = models.OneToOneField(Card, on_delete=models.PROTECT, related_name="pin")
    digest = models.CharField(max_length=64)
    key_id = models.CharField(max_length=32)
    is_initial = models.BooleanField(_("initial PIN"), default=False)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("card PIN")
        verbose_name_plural = _("card PINs")

    def __str__(self) -> str:
        return f"PIN of {self.card_id}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class CardReplacement(models.Model):
    """The card a replacement or renewal application replaces. Kept here, not on the application: the
    application layer sits below the cards (it never imports them), and a foreign key keeps the link exact
    (the old card's row is protected while a replacement names it). The new card is `application.card`."""

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       related_name="replacement_of")
    old_card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="replacements")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("card replacement")
        verbose_name_plural = _("card replacements")

    def __str__(self) -> str:
        return f"{self.old_card.card_number} → {self.application.office_code}"


class ECard(models.Model):
    """The electronic social security card of one physical card (see `cards.ecards`): issued by the holder
    online after an SMS check, shown as a QR of short-lived signed tokens carrying `ecard_id` (random, not the
    card number), revoked (`revoked_at`) by any state change of the physical card. At most one live e-card per
    card (a partial unique constraint); revoked ones stay, for the online status check."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="ecards")
    ecard_id = models.CharField(_("e-card identifier"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, db_index=True)
    revoked_reason = models.CharField(_("revocation reason"), max_length=32, blank=True, default="")

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("electronic card")
        verbose_name_plural = _("electronic cards")
        constraints = [
            models.UniqueConstraint(fields=["card"], condition=models.Q(revoked_at__isnull=True),
                                    name="ecard_one_live_per_card"),
        ]

    def __str__(self) -> str:
        return self.ecard_id

    @property
    def live(self) -> bool:
        return self.revoked_at is None


class ECardTokenUse(models.Model):
    """A token accepted once by a counter, a terminal or a settlement (2207) that uses it (`cards.ecards.use_token`):
    its token id (`cti`) is unique, so the same token shown again is refused as replayed. Append-only; old rows may
    be pruned once their tokens have expired."""

    cti = models.CharField(max_length=64, unique=True)
    ecard_id = models.CharField(max_length=32)
    used_at = models.DateTimeField()
    by = models.CharField(max_length=16)  # "counter", "terminal" or "settlement" (a 2207 that used it)

    class Meta:
        verbose_name = _("use of an e-card code")
        verbose_name_plural = _("uses of e-card codes")

    def __str__(self) -> str:
        return f"{self.ecard_id} {self.by} {self.used_at:%Y-%m-%d %H:%M:%S}"


from .bank_models import (  # noqa: E402, F401 - models of the bank card events (issue 12)
    BankCardEvent,
    BankReconciliation,
    IncomingBankEvent,
    ReconciliationDifference,
)

# Transit operators and the hot list live in their own module (it is one topic of its own).
from .transit_models import HotListChange, HotListEntry, HotListVersion, TransitOperator, TransitToken  # noqa: E402, F401
