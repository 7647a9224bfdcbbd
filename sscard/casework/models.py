"""Back office data kept beside the applications app's own tables, keyed to the application.

Everything here is bookkeeping of the agency's work on a case: who works in which area, who holds a case,
its time limit, review decisions waiting for confirmation, bank file exchanges, production batches and
delivery. The case's state itself lives on `applications.Application` and changes only through
`sscard.applications.services.change_state` (wrapped by `sscard.casework.services`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sscard.core.models import HistoryRow

from .reasons import REJECTION_CHOICES
from .roles import PERMISSIONS


class StaffArea(models.Model):
    """One area a member of staff works in: a city (region code like 420100), a district (420106) or an
    outlet. A member sees the cases of all their areas."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        OUTLET = "outlet", _("Service outlet")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_areas")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    region_code = models.CharField(_("region code"), max_length=6, blank=True)
    outlet = models.ForeignKey("reference.Outlet", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")

    class Meta:
        verbose_name = _("staff area")
        verbose_name_plural = _("staff areas")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="outlet", outlet__isnull=False)
                           | (~models.Q(kind="outlet") & models.Q(outlet__isnull=True) & ~models.Q(region_code=""))),
                name="staff_area_kind_matches_value"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.OUTLET:
            return f"{self.get_kind_display()}: {self.outlet}"
        from sscard.domain import regions

        return f"{self.get_kind_display()}: {regions.region_full_name(self.region_code) or self.region_code}"

    @property
    def key(self) -> str:
        return f"outlet:{self.outlet_id}" if self.kind == self.Kind.OUTLET else f"{self.kind}:{self.region_code}"


class CaseFile(models.Model):
    """The back office's folder on one application: assignment, time limit, suspension, delivery."""

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       related_name="casefile", primary_key=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="assigned_cases")
    assigned_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateField(_("time limit"), null=True, blank=True)  # None: the application's own
    suspended_since = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=300, blank=True)
    tracking_number = models.CharField(_("post tracking number"), max_length=40, blank=True)
    received_at_outlet = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        default_permissions = ()
        permissions = list(PERMISSIONS.items())

    def __str__(self) -> str:
        return str(self.application)


class CaseAction(HistoryRow):
    """Something staff did on a case that is not a change of its state (claim, assignment, suspension,
    extension, revealing a field, proposing a rejection...): the rest of the case history."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="case_actions")
    kind = models.CharField(max_length=32)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta(HistoryRow.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"


class RejectionProposal(models.Model):
    """A reviewer's rejection, waiting for a supervisor (another person) to confirm or decline it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="rejection_proposals")
    reason_code = models.CharField(max_length=32, choices=REJECTION_CHOICES)
    note = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=models.Q(outcome="pending"),
                                    name="one_pending_rejection_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.reason_code} {self.outcome}"


# --- Bank account pre-opening ------------------------------------------------------------------------------

class BankExchange(models.Model):
    """One request file sent to a partner bank, and the bank's response once imported."""

    class Status(models.TextChoices):
        SENT = "sent", _("Request exported, waiting for the bank")
        ANSWERED = "answered", _("Response imported")

    number = models.CharField(max_length=24, unique=True)
    bank = models.ForeignKey("reference.PartnerBank", on_delete=models.PROTECT, related_name="+")
    adapter = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    request_sha256 = models.CharField(max_length=64)
    response_sha256 = models.CharField(max_length=64, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class BankExchangeItem(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting")
        OPENED = "opened", _("Account pre-opened")
        FAILED = "failed", _("Bank check failed")

    exchange = models.ForeignKey(BankExchange, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    related_name="bank_items")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    account_number = models.CharField(max_length=32, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["exchange", "application"], name="one_item_per_case")]

    def __str__(self) -> str:
        return f"{self.exchange} {self.application}"


# --- Card production ---------------------------------------------------------------------------------------

class ProductionBatch(models.Model):
    class Status(models.TextChoices):
        EXPORTED = "exported", _("Sent to the manufacturer")
        PARTIAL = "partial", _("Partly produced")
        PRODUCED = "produced", _("Produced")

    number = models.CharField(max_length=24, unique=True)
    manufacturer = models.ForeignKey("reference.Manufacturer", on_delete=models.PROTECT, related_name="batches")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.EXPORTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    archive_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("production batch")
        verbose_name_plural = _("production batches")

    def __str__(self) -> str:
        return self.number


class BatchItem(models.Model):
    batch = models.ForeignKey(ProductionBatch, on_delete=models.PROTECT, related_name="items")
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       related_name="batch_item")
    line = models.PositiveIntegerField()
    card = models.OneToOneField("cards.Card", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["batch", "line"]
        constraints = [models.UniqueConstraint(fields=["batch", "line"], name="one_item_per_batch_line")]

    def __str__(self) -> str:
        return f"{self.batch} #{self.line}"


class ImportRun(models.Model):
    """Every file imported (bank responses, manufacturer results, tracking numbers): what it did."""

    kind = models.CharField(max_length=16)
    target = models.CharField(max_length=24)  # batch or exchange number, or "" for tracking files
    sha256 = models.CharField(max_length=64)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    applied = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} {self.at:%Y-%m-%d %H:%M}"


# --- Squatted ID numbers (issue 9) --------------------------------------------------------------------------

class IdentityCorrection(models.Model):
    """An ID number registered by the wrong person, resolved at a counter: a clerk saw the holder's document
    and verified their phone, proposes to disable the wrong account and open the holder's own; a supervisor
    (another person) confirms or declines it (`sscard.casework.identity`)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    id_number = models.CharField(_("ID number"), max_length=32)
    wrong_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    real_name = models.CharField(_("real name"), max_length=64)
    document_type = models.CharField(_("document type"), max_length=32)
    document_seen = models.CharField(_("document seen"), max_length=200)
    phone = models.CharField(_("mobile phone"), max_length=11)
    outlet = models.ForeignKey("reference.Outlet", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    right_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("ID number correction")
        verbose_name_plural = _("ID number corrections")
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=models.Q(outcome="pending"),
                                    name="one_pending_correction_per_id_number"),
        ]

    def __str__(self) -> str:
        return f"{self.masked_id_number} {self.outcome}"

    @property
    def masked_id_number(self) -> str:
        from sscard.domain.masking import mask_id_number

        return mask_id_number(self.id_number)

    @property
    def masked_name(self) -> str:
        from sscard.domain.masking import mask_name

        return mask_name(self.real_name)

    @property
    def masked_phone(self) -> str:
        from sscard.domain.masking import mask_phone

        return mask_phone(self.phone)
