"""Reads of a person's retirement: one query, one probe of the index `records_retirement_person` (ID number, id
descending), whatever the size of the table. The medical settlement reads it on every settlement."""

from __future__ import annotations

from datetime import date

from sscard.domain.retirement import RetirementStatus

from .models import Retirement


def current_retirement_from(id_number: str) -> date | None:
    """The date of the person's latest registration (a correction is a later row), or None."""
    if not id_number:
        return None
    return (Retirement.objects.filter(id_number=id_number).order_by("-id")
            .values_list("retired_from", flat=True).first())


def retirement_status(id_number: str, day: date) -> RetirementStatus:
    return RetirementStatus(day=day, since=current_retirement_from(id_number))
