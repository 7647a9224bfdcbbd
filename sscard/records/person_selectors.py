"""The reads of a person's own records ("My social insurance"): account balances and movements, the contribution
ledger by month, contribution months with their gaps, benefits enjoyed.

One query per table, each on an index that starts with the ID number (`records_one_balance`,
`records_movement_person_day`, `records_ledger_person_month`, `records_benefit_person`): the cost is the
person's own rows, whatever the size of the ledger (10 million rows and more). The current version of each
ledger key is chosen in Python (`ledger.current`).

`records_version(id_number)`: what the page shows of a person changes only when a row is appended to their ledger,
account movements, benefits or retirements (all append-only, database-enforced; a balance moves only with a
movement), or when an enrolment is added or stopped, or an employer renamed. The number of the append-only rows,
the number and latest change of the enrolments, and the employers' names (one query on the same indexes) are a
version that every such change bumps:
the page is served whole from the cache under it (`core.pagecache`), never stale, only ever replaced.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db.models import Exists, Max, Q, Subquery
from django.utils.translation import gettext_lazy as _

from sscard.core import prepared
from sscard.domain.contribution_months import ContributionMonths, contribution_months
from sscard.domain.contributions import yuan
from sscard.domain.enrolment import INSURANCE_TYPES

from . import ledger
from .ledger_models import AccountBalance, AccountMovement, BenefitRecord, LedgerEntry
from .models import TYPE_LABELS, Employer, Enrolment
from .retirement.models import Retirement

LAST_MOVEMENTS = 10
# Benefit types as recorded by their source (medical settlement now; pensions and unemployment later).
BENEFIT_LABELS = {
    "medical": _("Medical treatment (settled by the fund)"),
    "pension": _("Pension"),
    "unemployment": _("Unemployment benefit"),
}
STATUS_LABELS = dict(LedgerEntry.Status.choices)
SHOWN_STATUSES = (LedgerEntry.Status.PAID, LedgerEntry.Status.ARREARS, LedgerEntry.Status.ASSESSED)


class MonthRow:
    """One row of the months table, every value ready to show (a page shows dozens of them: plain attributes)."""

    __slots__ = ("month", "month_label", "insurance_type", "type_label", "employer_name", "base_yuan",
                 "employer_yuan", "employee_yuan", "employee_fen", "status", "status_label", "version", "reason",
                 "corrected")

    def __init__(self, entry, employer_name: str):
        self.month, self.insurance_type, self.status = entry.month, entry.insurance_type, entry.status
        self.month_label = f"{entry.month.year:04d}-{entry.month.month:02d}"
        self.type_label = TYPE_LABELS.get(entry.insurance_type, entry.insurance_type)
        self.employer_name = employer_name
        self.base_yuan, self.employer_yuan = yuan(entry.base_fen), yuan(entry.employer_fen)
        self.employee_yuan, self.employee_fen = yuan(entry.employee_fen), entry.employee_fen
        self.status_label = STATUS_LABELS.get(entry.status, entry.status)
        self.version, self.reason, self.corrected = entry.version, entry.reason, bool(entry.reason)


@dataclass(frozen=True)
class TypeMonths:
    insurance_type: str
    label: object
    months: ContributionMonths


@dataclass
class PersonRecords:
    balances: dict[str, int] = field(default_factory=dict)
    movements: list[AccountMovement] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    year: int | None = None
    rows: list[MonthRow] = field(default_factory=list)
    contribution_months: list[TypeMonths] = field(default_factory=list)
    benefits: list[BenefitRecord] = field(default_factory=list)

    @property
    def pension_yuan(self) -> str:
        return yuan(self.balances.get("pension", 0))

    @property
    def medical_yuan(self) -> str:
        return yuan(self.balances.get("medical", 0))


class EntryRow(NamedTuple):
    """A ledger row as the person's page reads it (a tuple, not a model instance: a long working life is hundreds
    of rows)."""

    id_number: str
    employer_id: int
    month: date
    insurance_type: str
    base_fen: int
    employer_fen: int
    employee_fen: int
    status: str
    version: int
    reason: str


@functools.lru_cache(maxsize=1)
def _ledger_sql() -> str:
    columns = ", ".join(LedgerEntry._meta.get_field(name.removesuffix("_id")).column for name in EntryRow._fields)
    return (f"SELECT {columns} FROM {LedgerEntry._meta.db_table} WHERE id_number = %s "
            "ORDER BY month DESC, insurance_type, employer_id, version")


def _ledger_rows(id_number: str) -> list[EntryRow]:
    """Every ledger row of a person, newest month first. Prepared on PostgreSQL (`core.prepared`): read by
    person, the query concerns every yearly partition, and planning it cost more than running it (several ms of
    the database's CPU on each first view of a person's page)."""
    return [EntryRow(row[0], row[1], row[2] if isinstance(row[2], date) else date.fromisoformat(row[2]), *row[3:])
            for row in prepared.fetchall(_ledger_sql(), [id_number])]


def person_records(id_number: str, *, year: int | None = None) -> PersonRecords:
    """Everything "My social insurance" shows of a person; `year` picks the year of the months table (the
    latest year with a record by default)."""
    result = PersonRecords()
    if not id_number:
        return result
    result.balances = dict(AccountBalance.objects.filter(id_number=id_number)
                           .values_list("account", "balance_fen"))
    result.movements = list(AccountMovement.objects.filter(id_number=id_number, account__in=["pension", "medical"])
                            .order_by("-day", "-id")[:LAST_MOVEMENTS])
    entries = ledger.current(_ledger_rows(id_number))
    entries = [entry for entry in entries if entry.status in SHOWN_STATUSES]
    paid: dict[str, list] = defaultdict(list)
    for entry in entries:
        if entry.status == LedgerEntry.Status.PAID:
            paid[entry.insurance_type].append(entry.month)
    result.contribution_months = [TypeMonths(t, TYPE_LABELS[t], contribution_months(paid.get(t, [])))
                                  for t in INSURANCE_TYPES if t in paid or any(e.insurance_type == t for e in entries)]
    result.years = sorted({entry.month.year for entry in entries}, reverse=True)
    result.year = year if year in result.years else (result.years[0] if result.years else None)
    shown = [entry for entry in entries if entry.month.year == result.year]
    names = dict(Employer.objects.filter(pk__in={entry.employer_id for entry in shown}).values_list("pk", "name"))
    order = {t: n for n, t in enumerate(INSURANCE_TYPES)}
    shown.sort(key=lambda e: (-e.month.toordinal(), order.get(e.insurance_type, 9), e.employer_id))
    result.rows = [MonthRow(entry, names.get(entry.employer_id, "")) for entry in shown]
    result.benefits = list(BenefitRecord.objects.filter(id_number=id_number).order_by("-period_start", "-id")[:50])
    for benefit in result.benefits:
        benefit.label = BENEFIT_LABELS.get(benefit.benefit_type, benefit.benefit_type)
    return result


def records_version(id_number: str) -> str:
    """The version of everything "My social insurance" shows of a person (see the module's doc): one query, an
    index range per table. Prepared on PostgreSQL (`core.prepared`): it reads the ledger by person, across every
    yearly partition, and planning that cost several times its execution on every page view (8 ms against 0.3 ms
    measured here). The append-only tables count the person's rows; enrolments count with their latest change (an
    enrolment stopped is `stopped_at`), and the names of their employers are part of it (an employer renamed is a
    new version)."""
    tables = [model._meta.db_table for model in (LedgerEntry, AccountMovement, BenefitRecord, Retirement)]
    # Append-only tables (rows never updated nor deleted, enforced by the database): their number of rows for the
    # person changes with every row added, so the count alone is the version, read from the index alone (an
    # index-only scan on PostgreSQL once the visibility map is set, as autovacuum does for insert-only tables).
    branches = [f"SELECT {n}, COUNT(*), '' FROM {table} WHERE id_number = %s" for n, table in enumerate(tables)]
    enrolment, employer = Enrolment._meta.db_table, Employer._meta.db_table
    branches.append(f"SELECT {len(tables)}, COUNT(*), CAST(MAX(COALESCE(stopped_at, created_at)) AS TEXT) "
                    f"FROM {enrolment} WHERE id_number = %s")
    branches.append(f"SELECT {len(tables) + 1}, id, name FROM {employer} "
                    f"WHERE id IN (SELECT employer_id FROM {enrolment} WHERE id_number = %s)")
    rows = sorted(prepared.fetchall(" UNION ALL ".join(branches), [id_number] * len(branches)),
                  key=lambda row: (row[0], row[1]))
    return ";".join(f"{n}:{count}@{latest}" for n, count, latest in rows)


def insured_rows(id_number, day: date):
    """The enrolments that make the person insured in employee medical insurance on `day` (covering its month).
    `id_number` is a value or an expression (`OuterRef`: the settlement asks it as an `Exists` in the same query
    as the card, `medical_standing_exists`)."""
    month = day.replace(day=1)
    return Enrolment.objects.filter(Q(end_month__isnull=True) | Q(end_month__gte=month), id_number=id_number,
                                    medical=True, start_month__lte=month)


def arrears_rows(id_number):
    """The person's medical ledger records in arrears, at any version: none means paid up. When there are some,
    `in_arrears` says whether one of them is still the record (no higher version of its employer and month).
    A value or an expression, as `insured_rows`."""
    return LedgerEntry.objects.filter(id_number=id_number, insurance_type="medical", status=LedgerEntry.Status.ARREARS)


def in_arrears(id_number: str) -> bool:
    """Whether one of the person's medical ledger records is in arrears at its latest version (the highest version
    of each employer and month). Two queries when some row was ever in arrears, one otherwise."""
    rows = list(arrears_rows(id_number).values_list("employer_id", "month", "version"))
    if not rows:
        return False
    top = {(row["employer_id"], row["month"]): row["top"]
           for row in LedgerEntry.objects.filter(id_number=id_number, insurance_type="medical")
           .values("employer_id", "month").annotate(top=Max("version"))}
    return any(top.get((employer, month), -1) == version for employer, month, version in rows)


def medical_standing_exists(id_number, day: date) -> dict:
    """`insured` and `ever_in_arrears` (`arrears_rows`) as `Exists` expressions over another query's ID number
    (an `OuterRef`), with `retired_from` (the latest retirement's date) and `ever_medical` (ever enrolled in
    medical insurance: a retiree stays insured, `domain.retirement.insured_as_retiree`): read in the same
    statement as the row they belong to. The ledger is partitioned by year, so each reference to it costs the
    planner every partition: one reference, and `in_arrears` only when `ever_in_arrears` (rare)."""
    return {"insured": Exists(insured_rows(id_number, day)), "ever_in_arrears": Exists(arrears_rows(id_number)),
            "retired_from": Subquery(Retirement.objects.filter(id_number=id_number).order_by("-id")
                                     .values("retired_from")[:1]),
            "ever_medical": Exists(Enrolment.objects.filter(id_number=id_number, medical=True))}
