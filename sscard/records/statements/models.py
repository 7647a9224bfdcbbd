"""Yearly statements (个人权益记录单): the statement rows and the batch that makes them for all insured persons of
a year, in chunks with a state each (resumable: a rerun picks the chunks not done)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sscard.domain.masking import mask_id_number


class StatementBatch(models.Model):
    """The yearly run for all persons insured in `year`. `running` -> `done`; a crashed run stays `running`
    with chunks not done, and `resume` (or starting the year again) queues them once more."""

    class State(models.TextChoices):
        PLANNING = "planning", _("Planning")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNING)
    chunk_size = models.PositiveIntegerField(default=500)
    persons = models.PositiveIntegerField(default=0)
    chunks = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("statement batch")
        verbose_name_plural = _("statement batches")
        ordering = ["-started_at"]
        permissions = [("run_statements", "Can start and resume the yearly statement batch")]
        constraints = [models.UniqueConstraint(fields=["year"], name="records_one_statement_batch_per_year")]

    def __str__(self) -> str:
        return f"statements:{self.year}"


class StatementChunk(models.Model):
    """A slice of the batch's persons: the ID numbers from `first_id` to `last_id` (inclusive, in sort order)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")

    batch = models.ForeignKey(StatementBatch, on_delete=models.PROTECT, related_name="chunk_rows")
    number = models.PositiveIntegerField()
    first_id = models.CharField(max_length=18)
    last_id = models.CharField(max_length=18)
    persons = models.PositiveIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    made = models.PositiveIntegerField(default=0)  # statements this chunk wrote (0 for those made before)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("statement chunk")
        verbose_name_plural = _("statement chunks")
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="records_statement_chunk_once")]
        indexes = [models.Index(fields=["batch", "state"], name="records_stmt_chunk_state")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number}:{self.state}"


class Statement(models.Model):
    """One statement: its contents as the canonical bytes that were signed, the signature and key id, the
    verification code. The PDF is not stored: it is rendered again from these on download (docs/records.md)."""

    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Yearly statement")
        ON_DEMAND = "on_demand", _("Statement on request")

    id = models.BigAutoField(primary_key=True)
    id_number = models.CharField(max_length=18)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    serial = models.CharField(_("statement number"), max_length=20, unique=True)
    contents = models.BinaryField()  # canonical JSON (sscard.domain.statement.canonical_bytes)
    kid = models.CharField(max_length=40)
    signature = models.BinaryField()
    code = models.TextField()
    batch = models.ForeignKey(StatementBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [models.UniqueConstraint(fields=["id_number", "year", "kind"], name="records_one_statement")]

    def __str__(self) -> str:
        return f"{mask_id_number(self.id_number)}:{self.year}:{self.kind}"
