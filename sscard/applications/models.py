"""Card applications: applications, drafts, history and office codes. The configuration they follow
(settings, banks, outlets, holidays, stages) is reference data: `sscard.reference.models`."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from sscard.core.models import StatusHistoryRow
from sscard.domain import casestates
from sscard.domain.casestates import State
from sscard.domain.masking import mask_id_number, mask_name
from sscard.domain.officecode import format_code
from sscard.notify.texts import render_stored

# The state labels live with the stage table (reference data); re-exported here, where they were first.
# LocalizedNameMixin: migration 0001 names it as a base of the models that moved to `reference`.
from sscard.reference.models import (  # noqa: F401
    PLAIN_CHOICES,
    PLAIN_LABELS,
    ROLE_CHOICES,
    STATE_CHOICES,
    STATE_LABELS,
    LocalizedNameMixin,
)

from .choices import Delivery, Kind, Nationality, Occupation, Relationship, ReplacementReason


class IssuedOfficeCode(models.Model):
    """Every office code ever issued. Rows are never deleted, so a code is never reused."""

    code = models.CharField(max_length=11, primary_key=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("issued office code")
        verbose_name_plural = gettext_lazy("issued office codes")

    def __str__(self) -> str:
        return format_code(self.code)


class Application(models.Model):
    """One application for a card, for the applicant (a citizen) or a child in their care."""

    office_code = models.CharField(gettext_lazy("office code"), max_length=11, unique=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="card_applications")
    idempotency_key = models.UUIDField(unique=True)
    kind = models.CharField(gettext_lazy("kind"), max_length=12, choices=Kind.choices, default=Kind.FIRST)
    replacement_reason = models.CharField(gettext_lazy("reason for the replacement"), max_length=8,
                                          choices=ReplacementReason.choices, blank=True)

    for_child = models.BooleanField(default=False)
    relationship = models.CharField(max_length=16, choices=Relationship.choices, blank=True)
    subject_name = models.CharField(max_length=64)
    subject_id_number = models.CharField(max_length=18, db_index=True)
    subject_sex = models.CharField(max_length=1)
    subject_birth_date = models.DateField()

    ethnicity = models.CharField(max_length=2)
    nationality = models.CharField(max_length=3, choices=Nationality.choices)
    document_valid_until = models.DateField(null=True, blank=True)
    document_long_term = models.BooleanField(default=False)
    occupation = models.CharField(max_length=2, choices=Occupation.choices)
    employer = models.CharField(max_length=100, blank=True)
    res_province = models.CharField(max_length=6)
    res_city = models.CharField(max_length=6)
    res_district = models.CharField(max_length=6)
    res_detail = models.CharField(max_length=120)

    bank = models.ForeignKey("reference.PartnerBank", on_delete=models.PROTECT)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    outlet = models.ForeignKey("reference.Outlet", on_delete=models.PROTECT, null=True, blank=True)
    recipient_name = models.CharField(max_length=64, blank=True)
    recipient_phone = models.CharField(max_length=11, blank=True)
    post_province = models.CharField(max_length=6, blank=True)
    post_city = models.CharField(max_length=6, blank=True)
    post_district = models.CharField(max_length=6, blank=True)
    post_detail = models.CharField(max_length=120, blank=True)

    photo = models.CharField(max_length=200, blank=True)  # private storage name of the 358×441 JPEG
    photo_original = models.CharField(max_length=200, blank=True)  # private storage name of the upload

    declared_at = models.DateTimeField()
    state = models.CharField(max_length=24, choices=STATE_CHOICES, default=State.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField()
    expected_completion = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = gettext_lazy("card application")
        verbose_name_plural = gettext_lazy("card applications")
        constraints = [
            # One person, one application in progress (also what makes concurrent submissions collapse).
            models.UniqueConstraint(fields=["subject_id_number"],
                                    condition=Q(state__in=sorted(casestates.ACTIVE)),
                                    name="one_active_application_per_person"),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return format_code(self.office_code)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.subject_id_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.subject_name)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))

    @property
    def is_active(self) -> bool:
        return self.state in casestates.ACTIVE

    @property
    def can_withdraw(self) -> bool:
        return casestates.citizen_can_withdraw(self.state)

    @property
    def needs_correction(self) -> bool:
        return casestates.citizen_can_resubmit(self.state)


class StatusChange(StatusHistoryRow):
    """One change of an application's state: the history the timelines are drawn from. `note` is shown to
    the citizen in "My applications", never on public pages."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="changes")
    to_state = models.CharField(max_length=24, choices=STATE_CHOICES)
    role = models.CharField(max_length=16, choices=ROLE_CHOICES)
    # The note's message key and parameters (sscard.notify.texts), rendered in the reader's language; `note`
    # keeps the text as written (staff's own words, or older rows), shown when no key is stored.
    note_text = models.JSONField(null=True, blank=True, editable=False)

    class Meta(StatusHistoryRow.Meta):
        verbose_name = gettext_lazy("status change")
        verbose_name_plural = gettext_lazy("status changes")

    @property
    def shown_note(self) -> str:
        """The note in the reader's (active) language."""
        return render_stored(self.note_text, self.note)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(self.to_state, self.to_state))


class CorrectionItem(models.Model):
    """One problem staff found when returning an application for correction (all listed at once)."""

    class Section(models.TextChoices):
        PERSONAL = "personal", gettext_lazy("Personal details")
        ADDRESS = "address", gettext_lazy("Residential address")
        BANK = "bank", gettext_lazy("Partner bank")
        DELIVERY = "delivery", gettext_lazy("Delivery")
        PHOTO = "photo", gettext_lazy("Photo")
        OTHER = "other", gettext_lazy("Other")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="corrections")
    change = models.ForeignKey(StatusChange, on_delete=models.PROTECT, related_name="corrections")
    section = models.CharField(max_length=16, choices=Section.choices)
    message = models.CharField(max_length=300)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.section}: {self.message}"


class ApplicationDraft(models.Model):
    """The application being filled in, step by step, so that a person can leave and come back."""

    applicant = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="card_application_draft")
    step = models.CharField(max_length=16, default="applicant")
    data = models.JSONField(default=dict)
    photo = models.CharField(max_length=200, blank=True)
    photo_original = models.CharField(max_length=200, blank=True)
    token = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"draft {self.pk} at {self.step}"


class Payment(models.Model):
    """The fee of an application (replacement, renewal), paid through a payment gateway
    (`sscard.applications.payments`). Written only by `payments.services`, each change audited.

    `order_id` is ours (sent to the gateway, which answers to it); `gateway_reference` the gateway's own
    transaction number once it has one. An application waits in review until its payment is `paid`."""

    class State(models.TextChoices):
        PENDING = "pending", gettext_lazy("Awaiting payment")
        PAID = "paid", gettext_lazy("Paid")
        REFUNDED = "refunded", gettext_lazy("Refunded")
        FAILED = "failed", gettext_lazy("Not paid (closed)")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="payment")
    amount_fen = models.PositiveIntegerField(gettext_lazy("amount (fen)"))
    gateway = models.CharField(gettext_lazy("payment gateway"), max_length=32)
    order_id = models.CharField(gettext_lazy("order number"), max_length=40, unique=True)
    gateway_reference = models.CharField(max_length=64, blank=True)
    pay_url = models.URLField(max_length=500, blank=True)
    state = models.CharField(gettext_lazy("state"), max_length=12, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("payment")
        verbose_name_plural = gettext_lazy("payments")

    def __str__(self) -> str:
        return self.order_id

    @property
    def amount_yuan(self) -> str:
        return f"{self.amount_fen // 100}.{self.amount_fen % 100:02d}"
