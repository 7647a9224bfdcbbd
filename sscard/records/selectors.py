"""Everything that reads the employer registry and enrolment; staff reads go through `employers_visible_to`,
the one area gate of employers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from sscard.casework.models import StaffArea
from sscard.casework.roles import perm as casework_perm
from sscard.core import prepared
from sscard.domain.contributions import yuan

from .models import Employer, EmployerMembership, Enrolment
from .roles import perm


def employers_visible_to(staff) -> QuerySet[Employer]:
    """The employers a member of staff may read: those registered in their areas (a district, a city, or the
    district of their outlet); every area with casework's `view_all_areas`; none without `view_records`."""
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("view_records"))):
        return Employer.objects.none()
    return employers_in_areas(staff)


def employers_in_areas(staff) -> QuerySet[Employer]:
    """The employers of a member of staff's areas, whatever their permissions: only for figures that show no
    record (the supervisor dashboard's counts); every read of a record goes through `employers_visible_to`."""
    if not (staff.is_authenticated and staff.is_staff):
        return Employer.objects.none()
    if staff.has_perm(casework_perm("view_all_areas")):
        return Employer.objects.all()
    query = Q(pk__in=[])
    for area in staff.staff_areas.select_related("outlet"):
        if area.kind == StaffArea.Kind.DISTRICT:
            query |= Q(district_code=area.region_code)
        elif area.kind == StaffArea.Kind.CITY:
            query |= Q(district_code__startswith=area.region_code[:4])
        elif area.outlet is not None:
            query |= Q(district_code=area.outlet.district_code)
    return Employer.objects.filter(query)


def employer_for_staff(staff, pk: int) -> Employer | None:
    return employers_visible_to(staff).select_related("registered_by", "decided_by").filter(pk=pk).first()


def memberships_of(user) -> list[EmployerMembership]:
    """The employers a citizen acts for now (approved ones), with their role."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(EmployerMembership.objects.filter(user=user, revoked_at__isnull=True,
                                                  employer__state=Employer.State.APPROVED)
                .select_related("employer").order_by("employer__name"))


def acting_employer_ids(user) -> list[int]:
    """The ids of the employers a citizen acts for now, as `memberships_of` without loading them: one prepared
    statement (a page served from the cache checks the membership on every request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    sql, params = acting_employers_sql(user)
    return [row[0] for row in prepared.fetchall(sql, params)]


def acting_employers_sql(user) -> tuple[str, list]:
    """The statement of `acting_employer_ids` (one column, `employer_id`) and its parameters, for a statement that
    reads the membership together with what it guards (`declarations.selectors.acting_and_month_version`)."""
    membership, employer = EmployerMembership._meta.db_table, Employer._meta.db_table
    return (f"SELECT m.employer_id FROM {membership} m INNER JOIN {employer} e ON e.id = m.employer_id "
            f"WHERE m.user_id = %s AND m.revoked_at IS NULL AND e.state = %s",
            [user.pk, Employer.State.APPROVED.value])


def registrations_of(user) -> list[Employer]:
    """The registrations a citizen made that are not approved (waiting, rejected, suspended)."""
    return list(Employer.objects.filter(registered_by=user).exclude(state=Employer.State.APPROVED))


def members_of(employer: Employer) -> list[EmployerMembership]:
    return list(employer.memberships.filter(revoked_at__isnull=True).select_related("user"))


def employees_of(employer: Employer, *, limit: int = 500) -> list[Enrolment]:
    """The employer's enrolments, open ones first."""
    return list(employer.enrolments.order_by(F("end_month").desc(nulls_first=True), "-start_month", "-pk")[:limit])


def enrolments_of_person(user) -> list[Enrolment]:
    """A person's enrolments, current and past (by their ID number: the social security number)."""
    if not getattr(user, "id_number", None):
        return []
    return list(Enrolment.objects.filter(id_number=user.id_number).select_related("employer")
                .order_by("-start_month", "-pk"))


# --- Declarations, bills and arrears (staff) ----------------------------------------------------------------

def declarations_visible_to(staff, *, state: str = "", limit: int = 200):
    """The declarations of the employers of a member of staff's areas, newest month first."""
    from .ledger_models import Declaration

    rows = Declaration.objects.filter(employer__in=employers_visible_to(staff)).select_related("employer")
    if state:
        rows = rows.filter(state=state)
    return list(rows.order_by("-month", "employer__name", "-version")[:limit])


@dataclass(frozen=True)
class ArrearsRow:
    bill: object
    days_late: int
    late_fee_fen: int

    @property
    def amount_due_fen(self) -> int:
        return self.bill.total_fen + self.late_fee_fen

    @property
    def late_fee_yuan(self) -> str:
        return yuan(self.late_fee_fen)

    @property
    def amount_due_yuan(self) -> str:
        return yuan(self.amount_due_fen)


def arrears_visible_to(staff, *, today: date | None = None, limit: int = 500) -> list[ArrearsRow]:
    """The bills in arrears of the employers of a member of staff's areas, with the late fee accrued to today
    (the amount a payment made today must be), oldest due date first."""
    from sscard.domain.contributions import late_fee
    from sscard.reference.selectors import NoRatesError, contribution_rates

    from .ledger_models import Bill

    today = today or timezone.localdate()
    rates: dict[tuple[int, str], int] = {}
    result = []
    for bill in (Bill.objects.filter(state=Bill.State.ARREARS, employer__in=employers_visible_to(staff))
                 .select_related("employer").order_by("due_date", "pk")[:limit]):
        key = (bill.month.year, bill.employer.district_code)
        if key not in rates:
            try:
                rates[key] = contribution_rates(*key).late_fee_bp_per_day
            except NoRatesError:
                rates[key] = 0
        result.append(ArrearsRow(bill, max((today - bill.due_date).days, 0),
                                 late_fee(bill.total_fen, due=bill.due_date, paid_on=today, bp_per_day=rates[key])))
    return result


def bill_for_staff(staff, number: str):
    from .ledger_models import Bill

    return (Bill.objects.filter(number=(number or "").strip(), employer__in=employers_visible_to(staff))
            .select_related("employer").first())


# --- An employer's month (staff) ------------------------------------------------------------------------------

def months_declared(employer: Employer, *, limit: int = 120) -> list[date]:
    """The months an employer declared, newest first (the links to each month's records)."""
    from .ledger_models import Declaration

    return list(Declaration.objects.filter(employer=employer).order_by("-month").values_list("month", flat=True)
                .distinct()[:limit])

MONTH_PEOPLE_PER_PAGE = 50


@dataclass(frozen=True)
class MonthRow:
    """The current version of one person's record of one insurance type in an employer's month (masked)."""

    entry: object  # ledger.MonthEntry: pk, id_number, insurance_type, version, status, amounts, line_no, reason
    masked_name: str
    masked_id_number: str

    @property
    def type_label(self):
        from .models import TYPE_LABELS

        return TYPE_LABELS.get(self.entry.insurance_type, self.entry.insurance_type)

    @property
    def status_label(self):
        from .ledger_models import LedgerEntry

        return dict(LedgerEntry.Status.choices).get(self.entry.status, self.entry.status)


class _MonthRows:
    """A page of people (ledger.MonthPeople) as the rows of the staff page: each person's current rows in the fixed
    order of the insurance types, with masked names."""

    def __init__(self, employer: Employer, month: date, people):
        self.employer, self.month, self.people = employer, month, people

    def __len__(self) -> int:
        return len(self.people)

    def count(self) -> int:
        return len(self.people)

    def __getitem__(self, index) -> list[MonthRow]:
        from sscard.domain.enrolment import INSURANCE_TYPES
        from sscard.domain.masking import mask_id_number, mask_name

        page = self.people[index]
        ids = [rows[0].id_number for rows in page]
        names = dict(Enrolment.objects.filter(employer=self.employer, id_number__in=ids, start_month__lte=self.month)
                     .filter(Q(end_month__isnull=True) | Q(end_month__gte=self.month))
                     .values_list("id_number", "name")) if ids else {}
        order = {t: i for i, t in enumerate(INSURANCE_TYPES)}
        result = []
        for rows in page:
            masked_name, masked_id = mask_name(names.get(rows[0].id_number, "")), mask_id_number(rows[0].id_number)
            result.extend(MonthRow(entry, masked_name, masked_id)
                          for entry in sorted(rows, key=lambda e: order.get(e.insurance_type, 9)))
        return result


def employer_month_for_staff(staff, employer: Employer, month: date, *, page=1):
    """One page (50 people) of the current record of each person and insurance type of an employer's month
    (withdrawn rows left out), names and ID numbers masked, in declaration line order: a Django `Page` of
    `MonthRow`s (`page.paginator.count`: the people of the month). `employer` must come from `employer_for_staff`
    (the area gate). The current rows are chosen, counted and paged in the database (`ledger.month_totals`,
    `ledger.month_people`): three queries whatever the size of the month."""
    from django.core.paginator import Paginator

    from . import ledger

    totals = ledger.month_totals(employer_id=employer.pk, month=month)
    people = ledger.MonthPeople(employer_id=employer.pk, month=month, declaration_id=None,
                                count=totals.person_count)
    return Paginator(_MonthRows(employer, month, people), MONTH_PEOPLE_PER_PAGE).get_page(page)
