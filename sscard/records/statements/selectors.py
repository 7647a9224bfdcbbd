"""Reads of statements: a person's own statements, the years they may ask one for, the batches' progress, the
totals a verified code shows (every value ready to print)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from sscard.domain.contributions import yuan
from sscard.domain.statement import Summary

from ..ledger_models import LedgerEntry
from . import services
from .models import Statement, StatementBatch

TOTAL_LABELS = (
    ("employee_fen", _("Employee contributions of the year (yuan)"), True),
    ("employer_fen", _("Employer contributions of the year (yuan)"), True),
    ("arrears_fen", _("Arrears of the year (yuan)"), True),
    ("pension_months", _("Pension contribution months to the end of the year"), False),
    ("pension_balance_fen", _("Pension account balance on 31 December (yuan)"), True),
    ("medical_balance_fen", _("Medical account balance on 31 December (yuan)"), True),
    ("benefits_fen", _("Benefits of the year (yuan)"), True),
)


def statements_of(id_number: str) -> list[Statement]:
    if not id_number:
        return []
    return list(Statement.objects.filter(id_number=id_number).defer("contents", "code", "signature")
                .order_by("-year", "kind"))


def statement_of(id_number: str, serial: str) -> Statement | None:
    if not id_number:
        return None
    return Statement.objects.filter(id_number=id_number, serial=serial).first()


def requestable_years(id_number: str, *, today: date) -> list[int]:
    """Years that have ended with a ledger record of the person, newest first."""
    if not id_number:
        return []
    months = LedgerEntry.objects.filter(id_number=id_number, month__lt=date(today.year, 1, 1)).dates("month", "year")
    return sorted({d.year for d in months}, reverse=True)


def shown_totals(summary: Summary) -> list[tuple[object, str]]:
    return [(label, yuan(summary.totals[key]) if money else str(summary.totals[key]))
            for key, label, money in TOTAL_LABELS]


def batch_progress() -> list[services.Progress]:
    return [services.progress(batch) for batch in StatementBatch.objects.order_by("-year")[:10]]
