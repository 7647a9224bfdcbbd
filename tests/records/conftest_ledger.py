"""A confirmed declaration and its bill, built through the real services: each person on the lines is enrolled
with the employer (`services.enrol`, from January 2024 or the declared month if earlier, when not enrolled with it
yet), the lines are declared as the page would (`declarations.services.declare_lines`) and confirmed
(`declarations.services.confirm`).

The figures of the tests are written by hand in each test module (Wuhan 2026 as seeded: average wage 7,300.00,
minimum 2,340.00, floor 4,380.00, ceiling 21,900.00; industry class 3: work injury 0.7 %).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from sscard.domain.enrolment import INSURANCE_TYPES
from sscard.records import services
from sscard.records.declarations import services as declarations
from sscard.records.models import Bill, Enrolment

ALL_TYPES = INSURANCE_TYPES
ENROLLED_FROM = date(2024, 1, 1)


def _enrolled(employer, user, id_number: str, name: str, types, month: date) -> None:
    covering = (Enrolment.objects.filter(employer=employer, id_number=id_number, start_month__lte=month)
                .filter(Q(end_month__isnull=True) | Q(end_month__gte=month)))
    if not covering.exists():
        services.enrol(user=user, employer=employer, id_number=id_number, name=name,
                       start_month=min(month, ENROLLED_FROM), types=list(types))


def confirmed_bill(employer, lines, *, month=date(2026, 3, 1), user=None, number=None) -> Bill:
    """`lines`: (id_number, name, wage_fen[, types]) tuples. Returns the open bill of the confirmed declaration.

    `number` renames the bill (the only field the test changes by hand), for the documented test vector of the
    bank payment file, whose bill numbers are fixed text (docs/vectors/bank_payments.csv)."""
    user = user or employer.registered_by
    for line in lines:
        _enrolled(employer, user, line[0], line[1], line[3] if len(line) > 3 else ALL_TYPES, month)
    declaration = declarations.declare_lines(
        user=user, employer=employer, month=month,
        lines=[(line[0], line[1], f"{line[2] / 100:.2f}") for line in lines])
    bill = declarations.confirm(user=user, declaration=declaration)
    if number is not None:
        Bill.objects.filter(pk=bill.pk).update(number=number)
        bill.refresh_from_db()
    return bill
