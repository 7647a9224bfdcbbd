"""Card events exchanged with the banks (imported by `models.py`): the outbox of events for the banks, the
events received from them (for replay refusal), and the daily freeze reconciliation with its differences."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BankCardEvent(models.Model):
    """One event for a card's bank, written in the same transaction as the state change that caused it (so a
    committed change always has its event, whether the broker and the bank are up or not). An HTTP bank gets
    it pushed by the `deliver_bank_event` task (retried with backoff, swept by beat); a file-exchange bank gets
    it in the day's outgoing file. `acknowledged` once the bank confirmed it by its `event_id`."""

    class Kind(models.TextChoices):
        LOSS = "loss", _("Loss reported")
        LOSS_WITHDRAWN = "loss_withdrawn", _("Loss report withdrawn")
        FORMAL_LOSS = "formal_loss", _("Formal loss report")
        REPLACED = "replaced", _("Card replaced")
        CANCELLED = "cancelled", _("Card cancelled")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent, not yet acknowledged")
        ACKNOWLEDGED = "acknowledged", _("acknowledged by the bank")
        FAILED = "failed", _("failed: given up")

    event_id = models.UUIDField(_("event ID"), default=uuid.uuid4, unique=True, editable=False)
    card = models.ForeignKey("cards.Card", on_delete=models.PROTECT, related_name="bank_events")
    bank = models.ForeignKey("reference.PartnerBank", on_delete=models.PROTECT, related_name="+")
    adapter = models.CharField(_("adapter"), max_length=32)
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created"), db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank card event")
        verbose_name_plural = _("bank card events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"),
                                name="cards_bankevent_pending_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class IncomingBankEvent(models.Model):
    """An event a bank sent us (callback or file), kept by its id so that a replay is refused."""

    event_id = models.UUIDField(_("event ID"))
    bank = models.ForeignKey("reference.PartnerBank", on_delete=models.PROTECT, related_name="+")
    card = models.ForeignKey("cards.Card", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=24)
    source = models.CharField(_("received through"), max_length=8)  # http / file
    occurred_at = models.DateTimeField(_("occurred"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("event received from a bank")
        verbose_name_plural = _("events received from banks")
        constraints = [models.UniqueConstraint(fields=["bank", "event_id"], name="cards_incoming_event_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class BankReconciliation(models.Model):
    """One comparison of a bank's list of frozen cards with our cards of that bank in a lost state."""

    bank = models.ForeignKey("reference.PartnerBank", on_delete=models.PROTECT, related_name="+")
    ran_at = models.DateTimeField(_("compared"), db_index=True)
    source = models.CharField(_("list received through"), max_length=8)  # http / file
    frozen_count = models.PositiveIntegerField(_("frozen at the bank"))
    unknown_count = models.PositiveIntegerField(_("numbers unknown here"), default=0)

    class Meta:
        verbose_name = _("freeze reconciliation")
        verbose_name_plural = _("freeze reconciliations")
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} ({self.source})"


class ReconciliationDifference(models.Model):
    class Kind(models.TextChoices):
        FROZEN_ONLY_AT_BANK = "frozen_at_bank", _("Frozen at the bank, not lost here")
        LOST_ONLY_HERE = "lost_here", _("Lost here, not frozen at the bank")

    reconciliation = models.ForeignKey(BankReconciliation, on_delete=models.CASCADE, related_name="differences")
    card = models.ForeignKey("cards.Card", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    state_here = models.CharField(max_length=24)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.kind
