"""Consultation: a question asked in the personal or employer space, the staff's answer, the asker's rating.

The categories and the FAQ are translatable reference data (`reference.ConsultationCategory`, `FaqEntry`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Question(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")

    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("records.Employer", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="questions")  # asked for an employer (the employer space)
    # Whose area answers: the employer asked for, or else the asker's employer when they asked (their open
    # enrolment); none (every records officer) for a person with no employer on record.
    routed_to = models.ForeignKey("records.Employer", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    category = models.ForeignKey("reference.ConsultationCategory", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=120)
    text = models.TextField(_("question"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    deadline = models.DateField(_("answer due"))
    created_at = models.DateTimeField()
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consultation question")
        verbose_name_plural = _("consultation questions")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["state", "deadline"], name="records_question_queue")]
        permissions = [("answer_question", "Can answer consultation questions")]
        constraints = [models.CheckConstraint(
            condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
            name="records_question_rating_1_to_5")]

    def __str__(self) -> str:
        return f"question {self.pk}"

    @property
    def response_seconds(self) -> int | None:
        if self.answered_at is None:
            return None
        return int((self.answered_at - self.created_at).total_seconds())
