"""Abstract rows every app's history shares (Open Zaak: each change is a row with time, actor and note).

Abstract: each app keeps its own table; inheriting adds no column an app did not have (the fields below are the
ones the history tables already had, with the same types)."""

from django.conf import settings
from django.db import models


class HistoryRow(models.Model):
    """Something that happened to a record: when, and who did it (none: the system or an anonymous person)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class StatusHistoryRow(HistoryRow):
    """One change of a record's state: from which state to which, when, by whom, with a note. A subclass adds
    the record it belongs to and may give `to_state` its choices."""

    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    note = models.TextField(blank=True)

    class Meta(HistoryRow.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self.from_state or '-'} → {self.to_state}"
