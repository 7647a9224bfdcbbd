"""Card applications: service configuration (data, edited in the admin), applications, drafts, history."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sscard.core.models import StatusHistoryRow
from sscard.domain import casestates
from sscard.domain.casestates import Plain, State
from sscard.domain.masking import mask_id_number, mask_name
from sscard.domain.officecode import format_code

from .choices import Delivery, Nationality, Occupation, Relationship

STATE_LABELS = {
    State.SUBMITTED: gettext_lazy("Submitted"),
    State.UNDER_REVIEW: gettext_lazy("Under review"),
    State.RETURNED: gettext_lazy("Returned for correction"),
    State.RESUBMITTED: gettext_lazy("Resubmitted"),
    State.BANK_PREOPENING: gettext_lazy("Bank account pre-opening"),
    State.BANK_FAILED: gettext_lazy("Bank check failed"),
    State.IN_PRODUCTION: gettext_lazy("In production"),
    State.READY_FOR_PICKUP: gettext_lazy("Ready for pick-up"),
    State.POSTED: gettext_lazy("Posted"),
    State.COLLECTED: gettext_lazy("Collected"),
    State.REJECTED: gettext_lazy("Rejected"),
    State.WITHDRAWN: gettext_lazy("Withdrawn"),
}
STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]

PLAIN_LABELS = {
    Plain.SUBMITTED: gettext_lazy("Submitted"),
    Plain.IN_REVIEW: gettext_lazy("Being reviewed"),
    Plain.ACTION_NEEDED: gettext_lazy("Your action is needed"),
    Plain.IN_PRODUCTION: gettext_lazy("Card being made"),
    Plain.READY: gettext_lazy("Card on its way / ready"),
    Plain.COMPLETED: gettext_lazy("Completed"),
    Plain.CLOSED: gettext_lazy("Closed"),
}
PLAIN_CHOICES = [(p.value, PLAIN_LABELS[p]) for p in Plain]

ROLE_CHOICES = [(r.value, r.value) for r in casestates.Role]


class ServiceSettings(models.Model):
    """The service's configurable values: one row, edited by administrators in the admin."""

    processing_days = models.PositiveSmallIntegerField(
        gettext_lazy("processing limit (working days)"), default=30)
    first_card_fee_fen = models.PositiveIntegerField(gettext_lazy("first card fee (fen)"), default=0)
    replacement_fee_fen = models.PositiveIntegerField(gettext_lazy("replacement fee (fen)"), default=2000)
    guardian_age = models.PositiveSmallIntegerField(
        gettext_lazy("a guardian applies below this age"), default=16)
    photo_required_age = models.PositiveSmallIntegerField(
        gettext_lazy("photo required from this age"), default=7)
    photo_min_kb = models.PositiveSmallIntegerField(gettext_lazy("photo file size minimum (KB)"), default=14)
    photo_max_kb = models.PositiveSmallIntegerField(gettext_lazy("photo file size maximum (KB)"), default=40)
    upload_max_mb = models.PositiveSmallIntegerField(gettext_lazy("largest photo upload (MB)"), default=10)
    transit_cities = models.TextField(
        gettext_lazy("cities where the card works as a bus card (one per line)"), blank=True, default="")
    progress_lookups_per_minute = models.PositiveSmallIntegerField(
        gettext_lazy("progress look-ups per client per minute"), default=30)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("service settings")
        verbose_name_plural = gettext_lazy("service settings")

    def __str__(self) -> str:
        return str(_("Social security card service settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ServiceSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def photo_required_for(self, age: int) -> bool:
        """Whether a person of `age` (in whole years) must have a photo on the card."""
        return age >= self.photo_required_age

    @property
    def transit_city_list(self) -> list[str]:
        return [line.strip() for line in self.transit_cities.splitlines() if line.strip()]

    @property
    def replacement_fee_yuan(self) -> str:
        return f"{self.replacement_fee_fen // 100}.{self.replacement_fee_fen % 100:02d}"

    @property
    def first_card_fee_yuan(self) -> str:
        return f"{self.first_card_fee_fen // 100}.{self.first_card_fee_fen % 100:02d}"


class LocalizedNameMixin:
    @property
    def label(self) -> str:
        if (get_language() or "").startswith("zh") or not self.name_en:
            return self.name
        return f"{self.name_en} ({self.name})"


class PartnerBank(LocalizedNameMixin, models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(gettext_lazy("name"), max_length=64)
    name_en = models.CharField(gettext_lazy("English name"), max_length=96, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = gettext_lazy("partner bank")
        verbose_name_plural = gettext_lazy("partner banks")

    def __str__(self) -> str:
        return self.label


class Outlet(LocalizedNameMixin, models.Model):
    name = models.CharField(gettext_lazy("name"), max_length=96)
    name_en = models.CharField(gettext_lazy("English name"), max_length=128, blank=True)
    city = models.CharField(gettext_lazy("city"), max_length=32)
    district_code = models.CharField(gettext_lazy("district code"), max_length=6, blank=True)
    address = models.CharField(gettext_lazy("address"), max_length=200)
    hours = models.CharField(gettext_lazy("opening hours"), max_length=120)
    phone = models.CharField(gettext_lazy("phone"), max_length=32, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = gettext_lazy("service outlet")
        verbose_name_plural = gettext_lazy("service outlets")

    def __str__(self) -> str:
        return self.label


class Holiday(models.Model):
    """A public holiday, or (is_workday) a make-up working day on a weekend."""

    date = models.DateField(gettext_lazy("date"), unique=True)
    is_workday = models.BooleanField(gettext_lazy("make-up working day"), default=False)
    name = models.CharField(gettext_lazy("name"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = gettext_lazy("holiday or make-up working day")
        verbose_name_plural = gettext_lazy("holiday calendar")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Stage(models.Model):
    """Configuration of one case state: order, plain stage shown to the citizen, lead time, notification."""

    code = models.CharField(max_length=24, unique=True, choices=STATE_CHOICES)
    order = models.PositiveSmallIntegerField()
    label = models.CharField(gettext_lazy("staff label"), max_length=64)
    plain_stage = models.CharField(gettext_lazy("stage the citizen sees"), max_length=24, choices=PLAIN_CHOICES)
    lead_days = models.PositiveSmallIntegerField(gettext_lazy("usual duration (working days)"), default=0)
    notify_citizen = models.BooleanField(gettext_lazy("notify the citizen"), default=False)

    class Meta:
        ordering = ["order"]
        verbose_name = gettext_lazy("stage")
        verbose_name_plural = gettext_lazy("stages")

    def __str__(self) -> str:
        return str(STATE_LABELS.get(self.code, self.code))


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

    bank = models.ForeignKey(PartnerBank, on_delete=models.PROTECT)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, null=True, blank=True)
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

    class Meta(StatusHistoryRow.Meta):
        verbose_name = gettext_lazy("status change")
        verbose_name_plural = gettext_lazy("status changes")

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
