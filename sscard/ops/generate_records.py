"""The records part of `manage.py generate_data --employers N --ledger-rows M`: employers, their representatives,
enrolments, monthly declarations and the contribution ledger at scale (COPY on PostgreSQL through the command's
`Writer`, batched INSERTs on SQLite).

The plan is pure and deterministic (`plan_people`, from the seed): people are generated citizens, each enrolled
(one open enrolment per person) with one employer in a fixed set of insurance types, with a contribution history
of consecutive months back from last month. Months are those of the seeded contribution rates (2024 onwards,
`FIRST_MONTH`), so 10,000,000 rows are about 72,000 people over 35 months and 4 types. Employers' sizes are
skewed (a few large ones, many small ones), as in a real register.

Every employer-month with people in it is one declaration (version 1, confirmed) with its voucher: the CSV the
employer would have uploaded (`证件号码,姓名,缴费工资`, wages in yuan), its SHA-256 and size; its ledger rows are
assessed by `sscard.domain.contributions.assess` with the year's rates of the employer's city
(`reference.selectors.contribution_rates`), status paid, version 1, `line_no` the line of the file (the header is
line 1). Not generated: bills, payments, personal account movements and balances (the services write those).
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.core.management.base import CommandError
from django.db import connection
from stdnum.cn.uscc import calc_check_digit

from sscard.domain import regions
from sscard.domain.contributions import assess, yuan
from sscard.domain.enrolment import INSURANCE_TYPES
from sscard.records.models import (
    Declaration,
    Employer,
    EmployerMembership,
    Enrolment,
    LedgerEntry,
    Voucher,
)
from sscard.reference.selectors import NoRatesError, contribution_rates

FIRST_MONTH = date(2024, 1, 1)  # the first year of the seeded contribution rates
CSV_HEADER = "证件号码,姓名,缴费工资\n"
# (share in thousandths, insurance types): most employees have the four; some only part of them.
TYPE_MIX = [
    (850, INSURANCE_TYPES),
    (100, ("pension", "medical", "work_injury")),
    (50, ("medical", "work_injury")),
]
# Industry classes 1-8 (work injury rate), the lower classes (offices, trade) the more common.
INDUSTRY_WEIGHTS = [30, 25, 15, 10, 8, 6, 4, 2]
NAME_WORDS = "楚天长江汉江东湖光谷黄鹤荆楚江城鄂州晴川龙王武昌青山汉阳洪山江夏黄陂新洲"
TRADES = ("科技", "贸易", "建设", "物流", "餐饮", "医药", "机械", "电子", "商贸", "信息技术", "建筑工程", "食品")
ROW_CHUNK = 200_000  # ledger rows per COPY round (vouchers and declarations of the same employers first)


def last_month(today: date) -> date:
    """The latest month that can have been declared and paid: the month before today's."""
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


def credit_code(n: int, district: str) -> str:
    """The n-th synthetic unified social credit code: registered with market regulation (9), an enterprise (1),
    the district, an organisation code MA + 7 digits (unique for n < 10^7), stdnum's check character."""
    first17 = f"91{district}MA{n:07d}"
    return first17 + calc_check_digit(first17)


@dataclass(frozen=True)
class Person:
    citizen: int  # index of the generated citizen (id number, name)
    employer: int  # index of the employer
    types: tuple[str, ...]
    months: int  # consecutive months back from last month
    wage_fen: int  # monthly wage of the first year; +4 % a year


@dataclass(frozen=True)
class Plan:
    employers: int
    people: list[Person]
    months: list[date]  # every month of the history, oldest first

    @property
    def rows(self) -> int:
        return sum(len(p.types) * p.months for p in self.people)


def plan_people(*, employers: int, rows: int, first_citizen: int, seed: int, today: date) -> Plan:
    """Who is enrolled where, in what, for how long: exactly `rows` ledger rows."""
    if employers <= 0 and rows:
        raise CommandError("--ledger-rows needs --employers > 0")
    rng = random.Random(f"records-{seed}")
    months = months_between(FIRST_MONTH, last_month(today))
    if not months:
        raise CommandError("no month with contribution rates before today")
    people: list[Person] = []
    total = 0
    citizen = first_citizen
    while total < rows:
        pick = rng.randrange(1000)
        types = next(t for share, t in _cumulative(TYPE_MIX) if pick < share)
        # 60 % have the whole history; the others joined later.
        count = len(months) if rng.random() < 0.6 else rng.randint(1, len(months))
        remaining = rows - total
        if len(types) * count > remaining:
            count = remaining // len(types)
            if count == 0:
                types, count = types[:remaining], 1
        employer = min(employers - 1, int(employers * rng.random() ** 2))  # skewed: low indexes are large
        wage_yuan = min(60_000, max(2_500, int(rng.lognormvariate(8.7, 0.45))))  # median about 6,000 yuan
        people.append(Person(citizen, employer, types, count, wage_yuan * 100))
        total += len(types) * count
        citizen += 1
    return Plan(employers=employers, people=people, months=months)


def _cumulative(mix):
    running = 0
    for share, value in mix:
        running += share
        yield running, value


def wage_of(person: Person, year: int) -> int:
    """The person's declared wage of a year: +4 % a year from the first, in whole yuan."""
    return (person.wage_fen * (100 + 4 * (year - FIRST_MONTH.year)) // 10_000) * 100


def write_records(writer, plan: Plan, *, first_user: int, identity: Callable[[int], tuple[str, str]],
                  staff: list[int], now: datetime, log: Callable[[str], None]) -> None:
    """Write employers, memberships, enrolments, vouchers, declarations and ledger rows of `plan`."""
    from django.db.models import Max

    counties = regions.hubei_counties()
    rng = random.Random(len(plan.people) * 7919 + plan.employers)
    first_employer = (Employer.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    first_membership = (EmployerMembership.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    first_enrolment = (Enrolment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    decided_by = staff[0] if staff else None
    if connection.vendor == "postgresql":
        # Check the foreign keys at the end of each COPY rather than all at the commit: tens of millions of
        # deferred checks would be queued in memory there.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    # --- employers and their legal representatives (generated citizens 0 .. N-1) -------------------------
    employer_rows, membership_rows, employers = [], [], []
    industries = rng.choices(range(1, 9), weights=INDUSTRY_WEIGHTS, k=plan.employers)
    for e in range(plan.employers):
        district, county_name = counties[(e * 13) % len(counties)]
        code = credit_code(e, district)
        rep_name, rep_id = identity(e)
        created = now - timedelta(days=1200 + e % 400)
        decided = created + timedelta(days=2, hours=e % 8)
        name = (f"{county_name.removesuffix('区').removesuffix('县').removesuffix('市')}"
                f"{NAME_WORDS[e % len(NAME_WORDS)]}{NAME_WORDS[(e // 7) % len(NAME_WORDS)]}"
                f"{TRADES[e % len(TRADES)]}有限公司")
        employer_id = first_employer + e
        employers.append((employer_id, code, district, industries[e], first_user + e))
        employer_rows.append((employer_id, code, name, f"{county_name}创业大道 {1 + e % 500} 号", rep_name, rep_id,
                              industries[e], district, Employer.State.APPROVED, first_user + e, created, decided,
                              decided_by, ""))
        membership_rows.append((first_membership + e, employer_id, first_user + e,
                                EmployerMembership.Role.REPRESENTATIVE, decided_by, decided, None, None))
    employer_columns = ["id", "credit_code", "name", "address", "representative_name", "representative_id_number",
                        "industry_class", "district_code", "state", "registered_by_id", "created_at", "decided_at",
                        "decided_by_id", "decision_reason"]
    membership_columns = ["id", "employer_id", "user_id", "role", "granted_by_id", "granted_at", "revoked_by_id",
                          "revoked_at"]
    _check(Employer, employer_columns)
    _check(EmployerMembership, membership_columns)
    writer.write(Employer, employer_columns, employer_rows)
    writer.write(EmployerMembership, membership_columns, membership_rows)
    log(f"{plan.employers:,} employers with their representatives")

    # --- enrolments: one open enrolment per person ------------------------------------------------------
    months = plan.months
    start_of = {p.citizen: months[len(months) - p.months] for p in plan.people}
    enrolment_columns = ["id", "employer_id", "id_number", "name", "start_month", "end_month", "pension", "medical",
                         "unemployment", "work_injury", "created_by_id", "created_at", "stopped_by_id",
                         "stopped_at"]
    _check(Enrolment, enrolment_columns)

    def enrolments():
        for i, p in enumerate(plan.people):
            name, id_number = identity(p.citizen)
            start = start_of[p.citizen]
            yield (first_enrolment + i, first_employer + p.employer, id_number, name, start, None,
                   *(t in p.types for t in INSURANCE_TYPES), first_user + p.employer,
                   datetime(start.year, start.month, 1, 9, tzinfo=UTC), None, None)

    writer.write(Enrolment, enrolment_columns, enrolments())
    log(f"{len(plan.people):,} enrolments")

    # --- declarations, vouchers and the ledger, employer by employer ------------------------------------
    by_employer: dict[int, list[Person]] = {}
    for p in plan.people:
        by_employer.setdefault(p.employer, []).append(p)
    voucher_columns = ["id", "kind", "employer_id", "sha256", "filename", "media_type", "size", "content",
                       "uploaded_by_id", "created_at"]
    declaration_columns = ["id", "employer_id", "month", "version", "state", "source", "voucher_id", "line_count",
                           "employer_fen", "employee_fen", "created_by_id", "created_at", "confirmed_by_id",
                           "confirmed_at"]
    ledger_columns = ["id_number", "employer_id", "month", "insurance_type", "wage_fen", "base_fen", "clamp",
                      "employer_fen", "employee_fen", "status", "version", "declaration_id", "voucher_id", "line_no",
                      "operator_id", "reason", "created_at"]
    for model, columns in ((Voucher, voucher_columns), (Declaration, declaration_columns),
                           (LedgerEntry, ledger_columns)):
        _check(model, columns)
    next_voucher = (Voucher.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_declaration = (Declaration.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    rates_cache: dict[tuple[int, str], object] = {}
    assessed: dict[tuple, object] = {}
    identities = {p.citizen: identity(p.citizen) for p in plan.people}
    vouchers, declarations, ledger = [], [], []
    written = 0
    started = time.monotonic()

    def flush():
        nonlocal written
        writer.write(Voucher, voucher_columns, vouchers)
        writer.write(Declaration, declaration_columns, declarations)
        writer.write(LedgerEntry, ledger_columns, ledger)
        written += len(ledger)
        log(f"  ledger rows {written:,} / {plan.rows:,} ({written / max(0.001, time.monotonic() - started):,.0f}/s)")
        vouchers.clear()
        declarations.clear()
        ledger.clear()

    for e, (employer_id, code, district, industry, rep_user) in enumerate(employers):
        staff_people = sorted(by_employer.get(e, []), key=lambda p: p.citizen)
        if not staff_people:
            continue
        for m, month in enumerate(months):
            present = [p for p in staff_people if m >= len(months) - p.months]
            if not present:
                continue
            key = (month.year, district[:4])
            if key not in rates_cache:
                try:
                    rates_cache[key] = contribution_rates(month.year, district)
                except NoRatesError:
                    raise CommandError(f"no contribution rates for {month.year}: add them first") from None
            rates = rates_cache[key]
            declared = datetime(month.year + (month.month == 12), month.month % 12 + 1, 10, 9, tzinfo=UTC) \
                + timedelta(minutes=e % 600)
            confirmed = declared + timedelta(hours=1)
            lines = [CSV_HEADER]
            employer_fen = employee_fen = 0
            for line_no, p in enumerate(present, start=2):
                name, id_number = identities[p.citizen]
                wage = wage_of(p, month.year)
                lines.append(f"{id_number},{name},{yuan(wage)}\n")
                akey = (wage, p.types, industry, key)
                assessment = assessed.get(akey)
                if assessment is None:
                    assessment = assessed[akey] = assess(wage, types=p.types, industry_class=industry, rates=rates)
                for amount in assessment.amounts:
                    ledger.append((id_number, employer_id, month, amount.insurance_type, wage,
                                   assessment.base_fen, assessment.clamp, amount.employer_fen, amount.employee_fen,
                                   LedgerEntry.Status.PAID, 1, next_declaration, next_voucher, line_no, rep_user,
                                   "", confirmed))
                employer_fen += assessment.employer_fen
                employee_fen += assessment.employee_fen
            content = "".join(lines).encode()
            vouchers.append((next_voucher, Voucher.Kind.DECLARATION, employer_id,
                             hashlib.sha256(content).hexdigest(), f"{code}-{month:%Y-%m}.csv", "text/csv",
                             len(content), content, rep_user, declared))
            declarations.append((next_declaration, employer_id, month, 1, Declaration.State.CONFIRMED, "csv",
                                 next_voucher, len(present), employer_fen, employee_fen, rep_user, declared,
                                 rep_user, confirmed))
            next_voucher += 1
            next_declaration += 1
            if len(ledger) >= ROW_CHUNK:
                flush()
    if ledger or vouchers:
        flush()


def _check(model, columns: list[str]) -> None:
    from sscard.ops.management.commands.generate_data import _check_columns

    _check_columns(model, columns)


RECORD_MODELS = (Employer, EmployerMembership, Enrolment, Voucher, Declaration)
