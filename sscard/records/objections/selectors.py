"""Reads of objections: the citizen's (raised by them, about their record, or about the employer they act for)
and the records officer's queue through `selectors.employers_visible_to`, the one area gate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from sscard.domain import objections as rules
from sscard.domain.contributions import yuan
from sscard.domain.masking import mask_id_number

from .. import ledger, selectors
from ..ledger_models import LedgerEntry
from ..models import TYPE_LABELS, Employer
from .models import Objection


def _of_user(user) -> QuerySet[Objection]:
    if not getattr(user, "is_authenticated", False):
        return Objection.objects.none()
    employers = [m.employer_id for m in selectors.memberships_of(user)]
    query = Q(raised_by=user) | Q(employer_id__in=employers)
    if getattr(user, "id_number", ""):
        query |= Q(id_number=user.id_number)
    return Objection.objects.filter(query).select_related("employer")


def objections_of(user) -> list[Objection]:
    return list(_of_user(user).order_by("-created_at")[:200])


def objection_for_user(user, pk: int) -> Objection | None:
    return _of_user(user).filter(pk=pk).first()


def queue_for_staff(staff, *, state: str = "open") -> list[Objection]:
    """The objections of the employers of the officer's areas, the nearest deadline first."""
    rows = Objection.objects.filter(employer__in=selectors.employers_visible_to(staff))
    if state == "open":
        rows = rows.filter(state__in=rules.OPEN_STATES)
    elif state in rules.STATES:
        rows = rows.filter(state=state)
    return list(rows.select_related("employer", "claimed_by").order_by("deadline", "pk")[:500])


def objection_for_staff(staff, pk: int) -> Objection | None:
    return (Objection.objects.filter(employer__in=selectors.employers_visible_to(staff), pk=pk)
            .select_related("employer", "claimed_by", "decided_by", "raised_by").first())


def overdue(objection: Objection, today: date | None = None) -> bool:
    return rules.is_overdue(objection.state, objection.deadline, today or timezone.localdate())


@dataclass
class Choosable:
    """A current row of a record that may be objected to."""

    entry: LedgerEntry
    employer_name: str

    @property
    def type_label(self):
        return TYPE_LABELS.get(self.entry.insurance_type, self.entry.insurance_type)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.entry.id_number)

    @property
    def base_yuan(self) -> str:
        return yuan(self.entry.base_fen)

    @property
    def employee_yuan(self) -> str:
        return yuan(self.entry.employee_fen)

    @property
    def employer_yuan(self) -> str:
        return yuan(self.entry.employer_fen)


def choosable_rows(*, id_number: str | None = None, employer: Employer | None = None,
                   year: int) -> list[Choosable]:
    """The current, not withdrawn rows of a person's record (or an employer's) in a year, newest month first."""
    rows = LedgerEntry.objects.filter(month__gte=date(year, 1, 1), month__lte=date(year, 12, 1))
    if employer is not None:
        rows = rows.filter(employer=employer)
    else:
        rows = rows.filter(id_number=id_number or "-")
    current = [e for e in ledger.current(rows.order_by("pk")) if e.status != LedgerEntry.Status.VOID]
    names = dict(Employer.objects.filter(pk__in={e.employer_id for e in current}).values_list("pk", "name"))
    current.sort(key=lambda e: (-e.month.toordinal(), e.id_number, e.insurance_type))
    return [Choosable(entry=e, employer_name=names.get(e.employer_id, "")) for e in current[:600]]


def line_rows(objection: Objection) -> list[dict]:
    """Each line with the row objected to and the corrected row (when corrected)."""
    lines = list(objection.lines.all())
    ids = [i for line in lines for i in (line.entry_id, line.corrected_entry_id) if i]
    entries = {e.pk: e for e in LedgerEntry.objects.filter(pk__in=ids, id_number=objection.id_number)}
    return [{"line": line, "type_label": TYPE_LABELS.get(line.insurance_type, line.insurance_type),
             "before": entries.get(line.entry_id), "after": entries.get(line.corrected_entry_id)}
            for line in lines]
