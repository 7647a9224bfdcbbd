"""STAND-IN for the declaration services (sscard/records/declarations/, built at the same time on another branch):
writes a confirmed declaration and its bill directly — a voucher, a `Declaration` in state confirmed, its ledger
rows (status "assessed", version 1, through `ledger.append`) and the open `Bill`. Replace `confirmed_bill` by
`declarations.services.declare(...)` + `confirm(...)` once that package is merged.

The figures of the tests are written by hand in each test module (Wuhan 2026 as seeded: average wage 7,300.00,
minimum 2,340.00, floor 4,380.00, ceiling 21,900.00; industry class 3: work injury 0.7 %).
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date

from django.db import transaction
from django.utils import timezone

from sscard.domain.contributions import assess, due_date
from sscard.domain.enrolment import INSURANCE_TYPES
from sscard.records import ledger
from sscard.records.models import Bill, Declaration, Voucher
from sscard.reference.selectors import contribution_rates

_n = itertools.count(1)
ALL_TYPES = INSURANCE_TYPES


def confirmed_bill(employer, lines, *, month=date(2026, 3, 1), user=None, number=None) -> Bill:
    """`lines`: (id_number, name, wage_fen[, types]) tuples. Returns the open bill of the confirmed declaration."""
    user = user or employer.registered_by
    rates = contribution_rates(month.year, employer.district_code)
    now = timezone.now()
    content = ("id_number,name,wage\n" + "".join(f"{line[0]},{line[1]},{line[2] / 100:.2f}\n" for line in lines)
               ).encode()
    with transaction.atomic():
        voucher = Voucher.objects.create(kind=Voucher.Kind.DECLARATION, employer=employer,
                                         sha256=hashlib.sha256(content).hexdigest(), filename="declaration.csv",
                                         media_type="text/csv", size=len(content), content=content,
                                         uploaded_by=user, created_at=now)
        version = (Declaration.objects.filter(employer=employer, month=month).count()) + 1
        declaration = Declaration.objects.create(employer=employer, month=month, version=version,
                                                 state=Declaration.State.CONFIRMED, source="csv", voucher=voucher,
                                                 line_count=len(lines), created_by=user, created_at=now,
                                                 confirmed_by=user, confirmed_at=now)
        rows, employer_fen, employee_fen = [], 0, 0
        for line_no, line in enumerate(lines, start=2):
            id_number, _name, wage = line[:3]
            types = line[3] if len(line) > 3 else ALL_TYPES
            assessment = assess(wage, types=types, industry_class=employer.industry_class, rates=rates)
            for amount in assessment.amounts:
                rows.append(ledger.Row(
                    id_number=id_number, employer_id=employer.pk, month=month, insurance_type=amount.insurance_type,
                    wage_fen=wage, base_fen=assessment.base_fen, clamp=assessment.clamp,
                    employer_fen=amount.employer_fen, employee_fen=amount.employee_fen, status="assessed",
                    version=1, created_at=now, declaration_id=declaration.pk, voucher_id=voucher.pk,
                    line_no=line_no))
            employer_fen += assessment.employer_fen
            employee_fen += assessment.employee_fen
        ledger.append(rows)
        declaration.employer_fen, declaration.employee_fen = employer_fen, employee_fen
        declaration.save(update_fields=["employer_fen", "employee_fen"])
        return Bill.objects.create(employer=employer, declaration=declaration, month=month,
                                   number=number or f"B{employer.credit_code}{month:%Y%m}v{version}-{next(_n)}",
                                   employer_fen=employer_fen, employee_fen=employee_fen,
                                   due_date=due_date(month, rates), created_at=now)
