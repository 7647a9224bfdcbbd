"""Art. 74 records, first part: employers, the people who act for them, and enrolment (参保登记).

Kept permanently: no row here is ever deleted (every foreign key to these rows is PROTECT, the admin offers no
delete). An enrolment is history: stopping sets its end month, enrolling again is a new row. Declarations, the
contribution ledger and personal accounts come next (docs/records.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sscard.domain import regions
from sscard.domain.enrolment import INDUSTRY_CLASSES, format_month, work_injury_rate_bp
from sscard.domain.masking import mask_id_number, mask_name

# The insurance types' labels (maternity is merged into medical in Hubei).
TYPE_LABELS = {
    "pension": _("Pension"),
    "medical": _("Medical (incl. maternity)"),
    "unemployment": _("Unemployment"),
    "work_injury": _("Work injury"),
}

PERMISSIONS = (
    ("review_employer", "Can approve or reject an employer registration"),
    ("view_records", "Can read the employer registry and enrolments of their areas"),
)


class Employer(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    name = models.CharField(_("employer name"), max_length=128)
    address = models.CharField(_("address"), max_length=255)
    representative_name = models.CharField(_("legal representative"), max_length=64)
    representative_id_number = models.CharField(_("legal representative's ID number"), max_length=18)
    industry_class = models.PositiveSmallIntegerField(
        _("industry class"), choices=[(n, str(n)) for n in INDUSTRY_CLASSES])
    district_code = models.CharField(_("district"), max_length=6, db_index=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        permissions = PERMISSIONS
        ordering = ["-created_at"]
        constraints = [
            # One living file per credit code; a rejected registration stays as history beside a new one.
            models.UniqueConstraint(fields=["credit_code"], condition=~Q(state="rejected"),
                                    name="records_one_employer_per_credit_code"),
            models.CheckConstraint(condition=Q(industry_class__gte=1, industry_class__lte=8),
                                   name="records_industry_class_1_to_8"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})"

    @property
    def masked_representative_id(self) -> str:
        return mask_id_number(self.representative_id_number)

    @property
    def masked_representative_name(self) -> str:
        return mask_name(self.representative_name)

    @property
    def district_name(self) -> str:
        return regions.region_full_name(self.district_code) or self.district_code

    @property
    def work_injury_rate_percent(self) -> str:
        return f"{work_injury_rate_bp(self.industry_class) / 100:.1f}"


class EmployerMembership(models.Model):
    """A real-name citizen acting for an employer, as its legal representative or an authorised agent."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Legal representative")
        AGENT = "agent", _("Authorised agent")

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employer_memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    granted_at = models.DateTimeField(_("granted at"))
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("employer user")
        verbose_name_plural = _("employer users")
        ordering = ["granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "user"], condition=Q(revoked_at__isnull=True),
                                    name="records_one_open_membership_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id}:{self.user_id}:{self.role}"


class Enrolment(models.Model):
    """One person enrolled in employee insurance with one employer from a start month to an end month (both
    included; open while `end_month` is empty). The person is the ID number (the social security number)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="enrolments")
    id_number = models.CharField(_("ID number"), max_length=18, db_index=True)
    name = models.CharField(_("name"), max_length=64)
    start_month = models.DateField(_("start month"))
    end_month = models.DateField(_("end month"), null=True, blank=True)
    pension = models.BooleanField(_("pension"), default=False)
    medical = models.BooleanField(_("medical"), default=False)
    unemployment = models.BooleanField(_("unemployment"), default=False)
    work_injury = models.BooleanField(_("work injury"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    stopped_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-start_month", "-pk"]
        constraints = [
            # One employer at a time: at most one open enrolment per person (two employers enrolling the
            # same person at the same moment: the database keeps one).
            models.UniqueConstraint(fields=["id_number"], condition=Q(end_month__isnull=True),
                                    name="records_one_open_enrolment_per_person"),
            models.CheckConstraint(condition=Q(end_month__isnull=True) | Q(end_month__gte=models.F("start_month")),
                                   name="records_enrolment_ends_after_start"),
            models.CheckConstraint(condition=Q(pension=True) | Q(medical=True) | Q(unemployment=True)
                                   | Q(work_injury=True), name="records_enrolment_has_a_type"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id}:{mask_id_number(self.id_number)}:{format_month(self.start_month)}"

    @property
    def types(self) -> list[str]:
        return [t for t in ("pension", "medical", "unemployment", "work_injury") if getattr(self, t)]

    @property
    def type_labels(self) -> list:
        return [TYPE_LABELS[t] for t in self.types]

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def is_open(self) -> bool:
        return self.end_month is None


# The second part (declarations, bills, the ledger, personal accounts, benefits) lives in its own module.
from .consultation.models import Question  # noqa: E402,F401
from .ledger_models import (  # noqa: E402,F401
    AccountBalance,
    AccountMovement,
    BenefitRecord,
    Bill,
    Declaration,
    LedgerEntry,
    Payment,
    Voucher,
)
from .objections.models import (  # noqa: E402,F401
    Objection,
    ObjectionEvidence,
    ObjectionLine,
    ObjectionStatus,
)

# Query and verification: third-party authorisations and their uses, bulk export requests.
from .query_models import AuthorisationUse, ExportRequest, RecordAuthorisation  # noqa: E402,F401
from .retirement.models import Retirement  # noqa: E402,F401
from .statements.models import Statement, StatementBatch, StatementChunk  # noqa: E402,F401
