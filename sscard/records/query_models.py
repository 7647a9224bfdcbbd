"""Query and verification (issue 14): a person's authorisations for third parties and each use of them, and the
staff's bulk exports waiting for a supervisor's approval. See docs/records.md, "Query and verification"."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecordAuthorisation(models.Model):
    """A person's time-limited, scoped authorisation for a third party to read their record. Only a keyed hash
    of the code is kept (`domain.record_authorisation.code_hash`); the person sees its last group."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    id_number = models.CharField(max_length=18)
    code_hash = models.CharField(max_length=64, unique=True)
    code_hint = models.CharField(max_length=4)
    recipient = models.CharField(_("for whom"), max_length=100, blank=True, default="")
    parts = models.JSONField(default=list)
    year_from = models.PositiveSmallIntegerField()
    year_to = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The form's one-time token: the same form sent twice (a reload, a double click) issues one code.
    form_token = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("record authorisation")
        verbose_name_plural = _("record authorisations")
        indexes = [models.Index(fields=["person", "created_at"], name="records_authorisation_person")]
        constraints = [models.UniqueConstraint(fields=["person", "form_token"], name="records_authorisation_once")]

    def __str__(self) -> str:
        return f"…{self.code_hint}"

    def state(self, now=None) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if (now or timezone.now()) >= self.expires_at else "valid"


class AuthorisationUse(models.Model):
    """One use of an authorisation: the record shown to a third party, or refused because the authorisation
    had expired or was revoked. The person sees every row. Append-only, enforced by the database (migration
    0006, the guard of `sscard.audit.guard`)."""

    class Outcome(models.TextChoices):
        SHOWN = "shown", _("Record shown")
        EXPIRED = "expired", _("Refused: expired")
        REVOKED = "revoked", _("Refused: revoked")

    authorisation = models.ForeignKey(RecordAuthorisation, on_delete=models.PROTECT, related_name="uses")
    used_at = models.DateTimeField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    ip_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("authorisation use")
        verbose_name_plural = _("authorisation uses")
        ordering = ["-used_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.authorisation_id}:{self.outcome}"


class ExportRequest(models.Model):
    """A records officer's request for a bulk export (an employer's contributions of a year, CSV). A supervisor
    other than the requester approves or declines it; the approved export is downloaded once, by the
    requester. `pending` -> `approved` -> `downloaded`, or `pending` -> `declined`."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a supervisor")
        APPROVED = "approved", _("Approved: ready to download once")
        DECLINED = "declined", _("Declined")
        DOWNLOADED = "downloaded", _("Downloaded")

    employer = models.ForeignKey("records.Employer", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.CharField(_("reason"), max_length=255)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=255, blank=True, default="")
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export request")
        verbose_name_plural = _("export requests")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_export", "Can approve a bulk export of records requested by another member of staff")]

    def __str__(self) -> str:
        return f"export {self.pk}:{self.state}"


# Tables whose rows are never updated nor deleted (database-enforced, migration 0006).
APPEND_ONLY_TABLES = ("records_authorisationuse",)
