"""What the employer's declaration pages read: its declarations by month and version, the employees to declare
for a month, and a month's (or one version's) lines per person, masked and paginated: the current rows chosen,
the totals summed and the people paged in the database on (employer, month) (the index
`records_ledger_employer_month`, `ledger.month_totals` / `ledger.month_people`), so a page costs the same for an
employer of 10 or of 100,000 employees in Python.

`lines_cache_key`: the pages cache the rendered lines of a month (views), under a key that holds the month's
version (`month_version`): the number of its ledger rows (append-only: the same number is the same rows), the number,
latest time and states of its declarations, and the number and latest times of the employer's enrolments and
stops (the names shown). Any append, declaration, confirmation, enrolment or stop is a new key: an entry is never
stale. The month's page is served whole from the cache under the same version (views, `core.pagecache`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q
from django.utils.crypto import salted_hmac

from sscard.core import prepared
from sscard.domain.enrolment import INSURANCE_TYPES
from sscard.domain.masking import mask_id_number, mask_name

from .. import ledger
from ..ledger_models import Declaration, LedgerEntry, Voucher
from ..models import Employer, Enrolment

LINES_PER_PAGE = 50


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


class _PersonLines:
    """A page of people (ledger.MonthPeople) turned into `PersonLine`s with their masked names."""

    def __init__(self, employer: Employer, month: date, people: ledger.MonthPeople):
        self.employer, self.month, self.people = employer, month, people

    def __len__(self) -> int:
        return len(self.people)

    def count(self) -> int:
        return len(self.people)

    def __getitem__(self, index) -> list[PersonLine]:
        page = self.people[index]
        ids = [rows[0].id_number for rows in page]
        names = dict(Enrolment.objects.filter(employer=self.employer, id_number__in=ids, start_month__lte=self.month)
                     .filter(Q(end_month__isnull=True) | Q(end_month__gte=self.month))
                     .values_list("id_number", "name")) if ids else {}
        order = {t: n for n, t in enumerate(INSURANCE_TYPES)}
        result = []
        for rows in page:
            rows = sorted(rows, key=lambda row: order.get(row.insurance_type, 9))
            first = rows[0]
            result.append(PersonLine(
                line_no=first.line_no, masked_name=mask_name(names.get(first.id_number, "")),
                masked_id_number=mask_id_number(first.id_number), wage_fen=first.wage_fen, base_fen=first.base_fen,
                clamp=first.clamp, status=first.status,
                amounts={row.insurance_type: (row.employer_fen, row.employee_fen) for row in rows}))
        return result


def lines(employer: Employer, month: date, *, declaration: Declaration | None = None, page=1) -> Lines:
    """The lines per person of one version (`declaration`) or, without it, the month's current record (the
    highest version of each person and type, withdrawn rows left out), 50 people per page (in line order), with
    totals by type. Three queries whatever the size of the month: the totals and the number of people summed in
    the database, the page's people with their rows, their names."""
    declaration_id = declaration.pk if declaration is not None else None
    totals = ledger.month_totals(employer_id=employer.pk, month=month, declaration_id=declaration_id)
    people = ledger.MonthPeople(employer_id=employer.pk, month=month, declaration_id=declaration_id,
                                count=totals.person_count)
    return Lines(page=Paginator(_PersonLines(employer, month, people), LINES_PER_PAGE).get_page(page),
                 totals=totals.by_type, person_count=totals.person_count)


def month_version(employer_id: int, month: date) -> str:
    """The version of an employer's month as its page shows it (see the module's doc): one query, on the indexes
    (employer, month) of the ledger and the declarations and employer of the enrolments. A declaration's state
    (assessed, confirmed, superseded) is counted too: the month's page shows it."""
    sql, params = _month_version_sql(employer_id, month)
    return _version_text(prepared.fetchone(sql, params))


def acting_and_month_version(user, employer_id: int | None, month: date) -> tuple[list[int], str | None]:
    """`records.selectors.acting_employer_ids(user)` and `month_version(employer_id, month)` in one statement (a
    month's page served from the cache asks both on every request): the ids of the employers the user acts for,
    and the version of `employer_id`'s month (None when the user acts for no employer). The version is read beside
    the membership, not after it: the caller uses it only if `employer_id` is among the ids."""
    from ..selectors import acting_employers_sql

    if not getattr(user, "is_authenticated", False):
        return [], None
    acting, acting_params = acting_employers_sql(user)
    version, version_params = _month_version_sql(employer_id or 0, month)
    rows = prepared.fetchall(f"SELECT a.employer_id, v.* FROM ({acting}) a CROSS JOIN ({version}) v",
                             [*acting_params, *version_params])
    return [row[0] for row in rows], _version_text(rows[0][1:]) if rows else None


def _month_version_sql(employer_id: int, month: date) -> tuple[str, list]:
    ledger_table = LedgerEntry._meta.db_table
    declarations, enrolments = Declaration._meta.db_table, Enrolment._meta.db_table
    day = connection.ops.adapt_datefield_value(month)
    sql = (f"SELECT (SELECT COUNT(*) FROM {ledger_table} WHERE employer_id = %s AND month = %s) AS ledger_rows, "
           f"d.n AS declarations, d.latest AS declared, d.confirmed, d.superseded, e.n AS enrolments, "
           f"e.latest AS enrolled, e.stopped, e.last_stop "
           f"FROM (SELECT COUNT(*) AS n, MAX(created_at) AS latest, "
           f"SUM(CASE WHEN state = %s THEN 1 ELSE 0 END) AS confirmed, "
           f"SUM(CASE WHEN state = %s THEN 1 ELSE 0 END) AS superseded FROM {declarations} "
           f"WHERE employer_id = %s AND month = %s) d, "
           f"(SELECT COUNT(*) AS n, MAX(created_at) AS latest, COUNT(stopped_at) AS stopped, "
           f"MAX(stopped_at) AS last_stop FROM {enrolments} WHERE employer_id = %s) e")
    return sql, [employer_id, day, Declaration.State.CONFIRMED.value, Declaration.State.SUPERSEDED.value,
                 employer_id, day, employer_id]


def _version_text(row) -> str:
    return ";".join(str(value) for value in row)


def lines_cache_key(employer: Employer, month: date, *, declaration: Declaration | None, page: int,
                    language: str) -> str:
    """The cache key of one page of a month's (or a version's) rendered lines, holding the month's version."""
    version = month_version(employer.pk, month)
    which = declaration.pk if declaration is not None else "current"
    digest = salted_hmac("sscard.records.month_lines",
                         f"{employer.pk}|{month.isoformat()}|{which}|{page}|{language}|{version}",
                         algorithm="sha256").hexdigest()
    return f"records:lines:{digest}"
