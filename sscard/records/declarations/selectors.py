"""What the employer's declaration pages read: its declarations by month and version, the employees to declare
for a month, and a month's (or one version's) lines per person, masked and paginated, read with one query on
(employer, month) (the index `records_ledger_employer_month`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q

from sscard.domain.enrolment import INSURANCE_TYPES
from sscard.domain.masking import mask_id_number, mask_name

from ..ledger_models import Declaration, LedgerEntry, Voucher
from ..models import Employer, Enrolment

LINES_PER_PAGE = 100


def declarations_of(employer: Employer, *, month: date | None = None) -> list[Declaration]:
    """The employer's declarations (newest month first, then newest version), with their bill and voucher
    (without the file's bytes)."""
    queryset = (Declaration.objects.filter(employer=employer).select_related("voucher", "bill")
                .defer("voucher__content").order_by("-month", "-version"))
    if month is not None:
        queryset = queryset.filter(month=month)
    return list(queryset)


@dataclass
class MonthSummary:
    month: date
    versions: list[Declaration]

    @property
    def current(self) -> Declaration:
        return self.versions[0]


def months_of(employer: Employer) -> list[MonthSummary]:
    months: dict[date, MonthSummary] = {}
    for declaration in declarations_of(employer):
        months.setdefault(declaration.month, MonthSummary(declaration.month, [])).versions.append(declaration)
    return list(months.values())


def declaration_of(employer: Employer, pk) -> Declaration | None:
    return (Declaration.objects.filter(employer=employer, pk=pk).select_related("voucher", "bill", "employer")
            .defer("voucher__content").first())


def voucher_of(employer: Employer, pk) -> Voucher | None:
    return Voucher.objects.filter(employer=employer, pk=pk, kind=Voucher.Kind.DECLARATION).first()


def enrolled_in(employer: Employer, month: date) -> list[Enrolment]:
    """The employer's employees enrolled in `month` (the page entry's rows), by name."""
    return list(Enrolment.objects.filter(employer=employer, start_month__lte=month)
                .filter(Q(end_month__isnull=True) | Q(end_month__gte=month)).order_by("name", "pk"))


@dataclass
class PersonLine:
    line_no: int
    masked_name: str
    masked_id_number: str
    wage_fen: int
    base_fen: int
    clamp: str
    status: str
    amounts: dict = field(default_factory=dict)  # type -> (employer fen, employee fen)

    @property
    def employer_fen(self) -> int:
        return sum(employer for employer, _ in self.amounts.values())

    @property
    def employee_fen(self) -> int:
        return sum(employee for _, employee in self.amounts.values())

    def cells(self) -> list[tuple[int, int] | None]:
        """(employer, employee) of each insurance type in the fixed order, None where not enrolled."""
        return [self.amounts.get(t) for t in INSURANCE_TYPES]


@dataclass
class Lines:
    page: Page
    totals: dict  # type -> (employer fen, employee fen)
    person_count: int

    @property
    def total_cells(self) -> list[tuple[int, int]]:
        return [self.totals.get(t, (0, 0)) for t in INSURANCE_TYPES]

    @property
    def employer_fen(self) -> int:
        return sum(e for e, _ in self.totals.values())

    @property
    def employee_fen(self) -> int:
        return sum(e for _, e in self.totals.values())


def lines(employer: Employer, month: date, *, declaration: Declaration | None = None, page=1) -> Lines:
    """The lines per person of one version (`declaration`) or, without it, the month's current record (the
    highest version of each person and type, withdrawn rows left out), 100 per page, with totals by type.
    One query on the ledger, one on the enrolments for the names."""
    columns = ("id_number", "insurance_type", "version", "status", "wage_fen", "base_fen", "clamp",
               "employer_fen", "employee_fen", "line_no")
    rows = LedgerEntry.objects.filter(employer_id=employer.pk, month=month)
    if declaration is not None:
        rows = rows.filter(declaration_id=declaration.pk)
    best: dict[tuple, tuple] = {}
    for row in rows.values_list(*columns).iterator(chunk_size=5000):
        key = (row[0], row[1])
        if key not in best or row[2] > best[key][2]:
            best[key] = row
    names = dict(Enrolment.objects.filter(employer=employer, start_month__lte=month)
                 .filter(Q(end_month__isnull=True) | Q(end_month__gte=month)).values_list("id_number", "name"))
    people: dict[str, PersonLine] = {}
    totals: dict[str, tuple[int, int]] = {}
    for id_number, insurance_type, _v, status, wage, base, clamp, employer_fen, employee_fen, line_no in \
            best.values():
        if status == LedgerEntry.Status.VOID:
            continue
        person = people.get(id_number)
        if person is None:
            person = people[id_number] = PersonLine(
                line_no=line_no, masked_name=mask_name(names.get(id_number, "")),
                masked_id_number=mask_id_number(id_number), wage_fen=wage, base_fen=base, clamp=clamp,
                status=status)
        person.amounts[insurance_type] = (employer_fen, employee_fen)
        er, ee = totals.get(insurance_type, (0, 0))
        totals[insurance_type] = (er + employer_fen, ee + employee_fen)
    ordered = sorted(people.values(), key=lambda p: (p.line_no, p.masked_id_number))
    return Lines(page=Paginator(ordered, LINES_PER_PAGE).get_page(page), totals=totals, person_count=len(ordered))
