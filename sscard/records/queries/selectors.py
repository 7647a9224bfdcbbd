"""The reads of "Query and verification": a person's record of one year (the months table of `person_selectors`
plus the year's account movements and benefits), the scoped record a third party sees, and an employer's
contributions per employee and month, bills, payments and arrears.

Every read is on an index that starts with the ID number (a person) or the employer (an employer's month)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sscard.domain.contributions import yuan
from sscard.domain.enrolment import INSURANCE_TYPES
from sscard.domain.masking import mask_id_number, mask_name

from .. import ledger, person_selectors
from ..ledger_models import AccountBalance, AccountMovement, BenefitRecord, Bill, LedgerEntry, Payment
from ..models import TYPE_LABELS, Employer, Enrolment

EMPLOYER_ROWS_LIMIT = 5000


@dataclass
class YearRecord:
    """A person's record of one year, as the page, the CSV and the PDF show it."""

    records: person_selectors.PersonRecords
    movements: list[AccountMovement] = field(default_factory=list)
    benefits: list[BenefitRecord] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.records.year


def year_record(id_number: str, *, year: int | None = None) -> YearRecord:
    """The person's record of `year` (the latest year with a record by default, as on "My social insurance"),
    with the account movements and the benefits of that year."""
    records = person_selectors.person_records(id_number, year=year)
    result = YearRecord(records)
    if not id_number or records.year is None:
        return result
    first, last = date(records.year, 1, 1), date(records.year, 12, 31)
    result.movements = list(AccountMovement.objects.filter(
        id_number=id_number, account__in=["pension", "medical"], day__gte=first, day__lte=last)
        .order_by("day", "id"))
    result.benefits = list(BenefitRecord.objects.filter(id_number=id_number, period_start__gte=first,
                                                        period_start__lte=last).order_by("period_start", "id"))
    for benefit in result.benefits:
        benefit.label = person_selectors.BENEFIT_LABELS.get(benefit.benefit_type, benefit.benefit_type)
    return result


@dataclass
class ScopedRecord:
    """What a third party sees with an authorisation: the masked identity and the parts and years it covers."""

    masked_name: str
    masked_id_number: str
    parts: tuple[str, ...]
    year_from: int
    year_to: int
    rows: list = field(default_factory=list)
    balances: dict[str, str] = field(default_factory=dict)
    movements: list = field(default_factory=list)
    benefits: list = field(default_factory=list)
    months: list = field(default_factory=list)

    @property
    def has_contributions(self) -> bool:
        return "contributions" in self.parts

    @property
    def has_accounts(self) -> bool:
        return "accounts" in self.parts

    @property
    def has_benefits(self) -> bool:
        return "benefits" in self.parts


def scoped_record(*, id_number: str, name: str, parts, year_from: int, year_to: int) -> ScopedRecord:
    """The record limited to `parts` and the years `year_from`..`year_to` (nothing outside them is read)."""
    result = ScopedRecord(mask_name(name), mask_id_number(id_number), tuple(parts), year_from, year_to)
    first, last = date(year_from, 1, 1), date(year_to, 12, 31)
    if "contributions" in parts:
        entries = ledger.current(
            LedgerEntry.objects.filter(id_number=id_number, month__gte=first, month__lte=last)
            .order_by("-month", "insurance_type", "employer_id", "version")
            .values_list("id_number", "employer_id", "month", "insurance_type", "base_fen", "employer_fen",
                         "employee_fen", "status", "version", "reason", named=True))
        shown = [e for e in entries if e.status in person_selectors.SHOWN_STATUSES]
        names = dict(Employer.objects.filter(pk__in={e.employer_id for e in shown}).values_list("pk", "name"))
        result.rows = [person_selectors.MonthRow(e, names.get(e.employer_id, "")) for e in shown]
        paid: dict[str, int] = {}
        for e in shown:
            if e.status == LedgerEntry.Status.PAID:
                paid[e.insurance_type] = paid.get(e.insurance_type, 0) + 1
        order = {t: n for n, t in enumerate(INSURANCE_TYPES)}
        result.months = [(TYPE_LABELS.get(t, t), n) for t, n in sorted(paid.items(), key=lambda i: order.get(i[0], 9))]
    if "accounts" in parts:
        result.balances = {account: yuan(fen) for account, fen in
                           AccountBalance.objects.filter(id_number=id_number).values_list("account", "balance_fen")}
        result.movements = list(AccountMovement.objects.filter(
            id_number=id_number, account__in=["pension", "medical"], day__gte=first, day__lte=last)
            .order_by("-day", "-id")[:200])
    if "benefits" in parts:
        result.benefits = list(BenefitRecord.objects.filter(
            id_number=id_number, period_start__gte=first, period_start__lte=last).order_by("-period_start", "-id"))
        for benefit in result.benefits:
            benefit.label = person_selectors.BENEFIT_LABELS.get(benefit.benefit_type, benefit.benefit_type)
    return result


# --- Employers ----------------------------------------------------------------------------------------------

class EmployeeRow:
    __slots__ = ("month_label", "masked_id_number", "name", "type_label", "base_yuan", "employer_yuan",
                 "employee_yuan", "status", "status_label", "version", "base_fen", "employer_fen", "employee_fen")

    def __init__(self, entry, name: str):
        self.month_label = f"{entry.month.year:04d}-{entry.month.month:02d}"
        self.masked_id_number, self.name = mask_id_number(entry.id_number), mask_name(name)
        self.type_label = TYPE_LABELS.get(entry.insurance_type, entry.insurance_type)
        self.base_fen, self.employer_fen, self.employee_fen = entry.base_fen, entry.employer_fen, entry.employee_fen
        self.base_yuan, self.employer_yuan, self.employee_yuan = (yuan(entry.base_fen), yuan(entry.employer_fen),
                                                                  yuan(entry.employee_fen))
        self.status = entry.status
        self.status_label = person_selectors.STATUS_LABELS.get(entry.status, entry.status)
        self.version = entry.version


@dataclass
class EmployerRecord:
    year: int
    month: date | None
    years: list[int]
    rows: list[EmployeeRow]
    truncated: bool
    bills: list[Bill]
    payments: list[Payment]

    @property
    def arrears(self) -> list[Bill]:
        return [bill for bill in self.bills if bill.state == Bill.State.ARREARS]

    @property
    def arrears_yuan(self) -> str:
        return yuan(sum(bill.total_fen for bill in self.arrears))


def employer_years(employer) -> list[int]:
    return sorted({d.year for d in Bill.objects.filter(employer=employer).dates("month", "year")}, reverse=True)


def latest_billed_month(employer, year: int) -> date | None:
    return (Bill.objects.filter(employer=employer, month__year=year).order_by("-month")
            .values_list("month", flat=True).first())


def employer_record(employer, *, year: int, month: date | None = None, limit: int | None = EMPLOYER_ROWS_LIMIT
                    ) -> EmployerRecord:
    """The employer's contributions per employee and month of `year` (or of one month), its bills of the same
    period and their payments. Names come from the employer's own enrolments (masked, like the ID numbers).
    `limit` caps the rows (the page; `truncated` says so); None reads them all (the downloads)."""
    first, last = (month, month) if month else (date(year, 1, 1), date(year, 12, 1))
    query = (LedgerEntry.objects.filter(employer=employer, month__gte=first, month__lte=last)
             .order_by("-month", "id_number", "insurance_type", "employer_id", "version")
             .values_list("id_number", "employer_id", "month", "insurance_type", "base_fen", "employer_fen",
                          "employee_fen", "status", "version", "reason", named=True))
    entries = [e for e in ledger.current(query) if e.status in person_selectors.SHOWN_STATUSES]
    truncated = limit is not None and len(entries) > limit
    entries = entries if limit is None else entries[:limit]
    names = dict(Enrolment.objects.filter(employer=employer, id_number__in={e.id_number for e in entries})
                 .values_list("id_number", "name"))
    rows = [EmployeeRow(e, names.get(e.id_number, "")) for e in entries]
    bills = list(Bill.objects.filter(employer=employer, month__gte=first, month__lte=last)
                 .exclude(state=Bill.State.SUPERSEDED).order_by("-month", "-pk"))
    payments = list(Payment.objects.filter(bill__in=bills).select_related("bill").order_by("-paid_on", "-pk"))
    return EmployerRecord(year=year, month=month, years=employer_years(employer), rows=rows, truncated=truncated,
                          bills=bills, payments=payments)


def employer_rows(employer, *, year: int, month: date | None = None) -> Iterator[EmployeeRow]:
    """The rows of the downloads, one month at a time (newest first): memory holds one month of the employer's
    rows, not a year of them. Same order and values as `employer_record`."""
    months = [month] if month else [date(year, m, 1) for m in range(12, 0, -1)]
    for first in months:
        query = (LedgerEntry.objects.filter(employer=employer, month=first)
                 .order_by("id_number", "insurance_type", "employer_id", "version")
                 .values_list("id_number", "employer_id", "month", "insurance_type", "base_fen", "employer_fen",
                              "employee_fen", "status", "version", "reason", named=True))
        entries = [e for e in ledger.current(query) if e.status in person_selectors.SHOWN_STATUSES]
        if not entries:
            continue
        names = dict(Enrolment.objects.filter(employer=employer, id_number__in={e.id_number for e in entries})
                     .values_list("id_number", "name"))
        for entry in entries:
            yield EmployeeRow(entry, names.get(entry.id_number, ""))
