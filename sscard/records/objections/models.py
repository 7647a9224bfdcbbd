"""An objection (异议) to months of a contribution record: the lines it names, its evidence and its history.

Kept with the personal records (retention class `personal_100y`): never deleted, every foreign key PROTECT. The
state moves only through `objections.services` (the domain's state machine, `sscard.domain.objections`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sscard.core.models import StatusHistoryRow
from sscard.domain import objections as rules
from sscard.domain.enrolment import INSURANCE_TYPES, format_month
from sscard.domain.masking import mask_id_number

STATE_LABELS = {
    rules.SUBMITTED: _("Submitted, waiting for a records officer"),
    rules.CLAIMED: _("Being checked by a records officer"),
    rules.CORRECTED: _("Corrected"),
    rules.REJECTED: _("Not corrected"),
}


class Objection(models.Model):
    class RaisedAs(models.TextChoices):
        PERSON = "person", _("The insured person")
        EMPLOYER = "employer", _("The employer")

    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_as = models.CharField(max_length=8, choices=RaisedAs.choices)
    # The person whose record it is, and the employer of the months (one employer per objection).
    id_number = models.CharField(max_length=18, db_index=True)
    employer = models.ForeignKey("records.Employer", on_delete=models.PROTECT, related_name="objections")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=12, choices=[(s, STATE_LABELS[s]) for s in rules.STATES],
                             default=rules.SUBMITTED)
    deadline = models.DateField(_("deadline"))
    created_at = models.DateTimeField()
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["state", "deadline"], name="records_objection_queue")]
        permissions = [("handle_objection", "Can claim and decide objections to records of their areas")]

    def __str__(self) -> str:
        return f"objection {self.pk}"

    @property
    def number(self) -> str:
        return f"YY{self.created_at:%Y}{self.pk:06d}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_open(self) -> bool:
        return self.state in rules.OPEN_STATES

    @property
    def state_label(self):
        return STATE_LABELS.get(self.state, self.state)


class ObjectionLine(models.Model):
    """One month and insurance type objected to: the ledger row that was current then, and the corrected row."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="lines")
    month = models.DateField()
    insurance_type = models.CharField(max_length=12, choices=[(t, t) for t in INSURANCE_TYPES])
    entry_id = models.BigIntegerField()  # the ledger row objected to (the ledger has no foreign keys)
    entry_version = models.PositiveSmallIntegerField()
    corrected_entry_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["month", "insurance_type"]
        constraints = [models.UniqueConstraint(fields=["objection", "month", "insurance_type"],
                                               name="records_objection_line_once")]

    def __str__(self) -> str:
        return f"{self.objection_id}:{format_month(self.month)}:{self.insurance_type}"

    @property
    def month_label(self) -> str:
        return format_month(self.month)


class ObjectionEvidence(models.Model):
    """A piece of evidence (PDF or picture), checked by content; a picture is kept re-encoded from its pixels."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="evidence")
    filename = models.CharField(max_length=255)
    media_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.objection_id}:{self.filename}"


class ObjectionStatus(StatusHistoryRow):
    """A step of an objection (time, actor, note), shown to the person, the employer and the officer."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="history")

    class Meta(StatusHistoryRow.Meta):
        verbose_name = _("objection status change")
        verbose_name_plural = _("objection status changes")

    @property
    def to_label(self):
        return STATE_LABELS.get(self.to_state, self.to_state)
