"""`manage.py generate_data`: valid, unique, consistent synthetic data written in bulk."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from sscard.applications.models import Application, CorrectionItem, IssuedOfficeCode, StatusChange
from sscard.applications.selectors import blocking_reason, progress
from sscard.domain import casestates, officecode
from sscard.domain.idnumber import parse_id_number
from sscard.domain.regions import hubei_counties
from sscard.ops.management.commands.generate_data import (
    ADULT_DAYS,
    ADULT_FIRST_BIRTH,
    PASSWORD,
    synthetic_id_number,
    synthetic_phone,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
N = 600


@pytest.fixture
def generated(tmp_path, settings):
    codes = tmp_path / "codes.tsv"
    out = StringIO()
    call_command("generate_data", "--applications", str(N), "--staff", "3", "--seed", "7",
                 "--out-codes", str(codes), stdout=out)
    return codes, out.getvalue()


def test_synthetic_id_numbers_are_valid_hubei_and_one_to_one():
    counties = [code for code, _name in hubei_counties()]
    numbers = [synthetic_id_number(n, counties, ADULT_FIRST_BIRTH, ADULT_DAYS)
               for n in list(range(3000)) + list(range(2_000_000, 2_000_500))]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[::37]:
        info = parse_id_number(number)
        assert info.region_code.startswith("42") and int(number[14:17]) >= 100
    assert len({synthetic_phone(n) for n in range(5000)}) == 5000


def test_every_stage_with_its_history_and_all_invariants(generated):
    codes_file, output = generated
    assert "generated in" in output
    citizens = User.objects.filter(username__startswith="gen-0")
    assert citizens.count() == N
    assert User.objects.filter(username__startswith="gen-staff-", is_staff=True).count() == 3
    applications = list(Application.objects.all())
    assert len(applications) == N
    states = Counter(a.state for a in applications)
    assert set(states) == {s.value for s in casestates.State}  # every stage is represented

    # office codes: valid check character, recorded as issued, unique
    issued = set(IssuedOfficeCode.objects.values_list("code", flat=True))
    assert all(officecode.is_valid(a.office_code) and a.office_code in issued for a in applications)
    # ID numbers valid and the subject's facts consistent with them; one active application per person
    for a in applications[::7]:
        info = parse_id_number(a.subject_id_number)
        assert (info.birth_date, info.sex) == (a.subject_birth_date, a.subject_sex)
    active = [a.subject_id_number for a in applications if a.state in casestates.ACTIVE]
    assert len(active) == len(set(active))
    # the history follows the state machine, starts at submitted and ends in the current state
    history: dict[int, list] = {}
    for change in StatusChange.objects.order_by("application_id", "at", "id"):
        history.setdefault(change.application_id, []).append(change)
    for a in applications:
        changes = history[a.pk]
        assert changes[0].from_state == "" and changes[0].to_state == casestates.State.SUBMITTED
        assert changes[-1].to_state == a.state
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_state == before.to_state
            casestates.check_transition(after.from_state, after.to_state, after.role)
            assert after.at > before.at
    # returned applications list what to correct
    returned = [a for a in applications if a.state == casestates.State.RETURNED]
    assert all(CorrectionItem.objects.filter(application=a, resolved_at__isnull=True).exists() for a in returned)

    # the public look-up finds each one with the keys written for the benchmarks
    lines = codes_file.read_text().splitlines()
    assert len(lines) == N
    for line in lines[::50]:
        code, suffix, state = line.split("\t")
        result = progress(code, suffix)
        assert result.office_code == officecode.format_code(code)
        assert Application.objects.get(office_code=code).state == state

    # the accounts work: a synthetic citizen can log in with the shared password; no active duplicate
    user = citizens.first()
    assert user.check_password(PASSWORD)
    applicant_app = Application.objects.filter(applicant=user).first()
    if applicant_app.state in casestates.ACTIVE and not applicant_app.for_child:
        assert blocking_reason(applicant_app.subject_id_number, user=user).kind == "active"


def test_a_second_run_into_the_same_database_is_refused(generated):
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("generate_data", "--applications", "10", stdout=StringIO())


def test_more_applications_than_citizens_is_refused():
    with pytest.raises(CommandError, match="at least --applications"):
        call_command("generate_data", "--applications", "10", "--citizens", "5", stdout=StringIO())


# --- Records: employers, enrolments, declarations and the ledger ------------------------------------------

# Hand-written from the seeded rates (reference migration 0009): the base floor (60 %) and ceiling (300 %) of the
# reference average wage of each year, in fen.
FLOOR = {2024: 407_700, 2025: 423_000, 2026: 438_000}
CEILING = {2024: 2_038_500, 2025: 2_115_000, 2026: 2_190_000}
# (employer bp, employee bp) of Hubei's shares; work injury's employer rate by industry class 1-8.
SHARES = {"pension": (1600, 800), "medical": (800, 200), "unemployment": (70, 30)}
WORK_INJURY = {1: 20, 2: 40, 3: 70, 4: 90, 5: 110, 6: 130, 7: 160, 8: 190}
ROWS = 1_500


def _half_up(fen: int, bp: int) -> int:
    from decimal import ROUND_HALF_UP, Decimal

    return int((Decimal(fen) * bp / 10_000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _previous_month(today):
    from datetime import date

    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


@pytest.fixture
def records_generated():
    out = StringIO()
    call_command("generate_data", "--employers", "4", "--ledger-rows", str(ROWS), "--staff", "2", "--seed", "5",
                 stdout=out)
    return out.getvalue()


def test_the_plan_is_deterministic_and_has_exactly_the_rows_asked_for():
    from datetime import date

    from sscard.ops.generate_records import plan_people

    today = date(2026, 12, 1)
    first = plan_people(employers=5, rows=10_000, first_citizen=5, seed=3, today=today)
    assert first == plan_people(employers=5, rows=10_000, first_citizen=5, seed=3, today=today)
    assert first != plan_people(employers=5, rows=10_000, first_citizen=5, seed=4, today=today)
    for rows in (1, 2, 3, 7, 139, 140, 141, 10_000):
        assert plan_people(employers=2, rows=rows, first_citizen=2, seed=1, today=today).rows == rows
    # 2024-01 .. 2026-11: the months of the seeded rates up to last month
    assert (first.months[0], first.months[-1], len(first.months)) == (date(2024, 1, 1), date(2026, 11, 1), 35)
    assert all(1 <= p.months <= 35 and 0 <= p.employer < 5 for p in first.people)
    assert len({p.citizen for p in first.people}) == len(first.people)


def test_employers_enrolments_declarations_and_ledger_are_consistent(records_generated):
    import hashlib
    from collections import defaultdict

    from django.db import connection
    from django.utils import timezone

    from sscard.domain.uscc import validate_credit_code
    from sscard.records.models import Declaration, Employer, EmployerMembership, Enrolment, LedgerEntry

    assert "ledger rows" in records_generated and "generated in" in records_generated
    employers = {e.pk: e for e in Employer.objects.all()}
    assert len(employers) == 4
    for employer in employers.values():
        assert employer.state == Employer.State.APPROVED
        assert validate_credit_code(employer.credit_code) == employer.credit_code
        assert employer.district_code.startswith("42") and 1 <= employer.industry_class <= 8
        rep = EmployerMembership.objects.get(employer=employer, revoked_at__isnull=True)
        assert rep.role == "representative"
        assert (rep.user.id_number, rep.user.real_name) == (employer.representative_id_number,
                                                            employer.representative_name)
        assert rep.user.check_password(PASSWORD)

    rows = list(LedgerEntry.objects.all())
    assert len(rows) == ROWS
    assert {(r.status, r.version) for r in rows} == {("paid", 1)}
    enrolments = {e.id_number: e for e in Enrolment.objects.all()}
    assert all(e.end_month is None for e in enrolments.values())  # open; one per person (unique ID numbers)
    citizens = set(User.objects.filter(id_number__in=list(enrolments)).values_list("id_number", flat=True))
    assert citizens == set(enrolments)  # every enrolled person is a generated citizen who can sign in

    last = _previous_month(timezone.localdate())
    months_of = defaultdict(set)
    for r in rows:
        enrolment = enrolments[r.id_number]
        assert r.employer_id == enrolment.employer_id and r.insurance_type in enrolment.types
        months_of[r.id_number].add(r.month)
        # the base: the wage clamped to the year's floor and ceiling
        expected_base = min(max(r.wage_fen, FLOOR[r.month.year]), CEILING[r.month.year])
        assert r.base_fen == expected_base
        assert r.clamp == ("floor" if r.wage_fen < FLOOR[r.month.year] else
                           "ceiling" if r.wage_fen > CEILING[r.month.year] else "")
        if r.insurance_type == "work_injury":
            rates = (WORK_INJURY[employers[r.employer_id].industry_class], 0)
        else:
            rates = SHARES[r.insurance_type]
        assert (r.employer_fen, r.employee_fen) == (_half_up(r.base_fen, rates[0]), _half_up(r.base_fen, rates[1]))
    for id_number, months in months_of.items():
        # consecutive months back from last month, from the enrolment's start month
        ordered = sorted(months)
        assert ordered[-1] == last and ordered[0] == enrolments[id_number].start_month
        assert len(ordered) == (last.year - ordered[0].year) * 12 + last.month - ordered[0].month + 1
        # every month covers each enrolled type once
        assert sum(1 for r in rows if r.id_number == id_number) == len(ordered) * len(enrolments[id_number].types)

    # one confirmed declaration per employer-month with people, its voucher the CSV, its totals the ledger's
    by_declaration = defaultdict(list)
    for r in rows:
        by_declaration[r.declaration_id].append(r)
    declarations = list(Declaration.objects.select_related("voucher"))
    assert {d.pk for d in declarations} == set(by_declaration)
    for d in declarations:
        lines = by_declaration[d.pk]
        assert (d.state, d.version) == ("confirmed", 1)
        assert {(r.employer_id, r.month, r.voucher_id) for r in lines} == {(d.employer_id, d.month, d.voucher_id)}
        assert d.line_count == len({r.id_number for r in lines})
        assert d.employer_fen == sum(r.employer_fen for r in lines)
        assert d.employee_fen == sum(r.employee_fen for r in lines)
        content = bytes(d.voucher.content)
        assert d.voucher.sha256 == hashlib.sha256(content).hexdigest() and d.voucher.size == len(content)
        csv_lines = content.decode().splitlines()
        assert csv_lines[0] == "证件号码,姓名,缴费工资" and len(csv_lines) == d.line_count + 1
        for r in lines[::5]:
            id_number, name, wage = csv_lines[r.line_no - 1].split(",")
            assert id_number == r.id_number and name == enrolments[r.id_number].name
            assert wage == f"{r.wage_fen // 100}.{r.wage_fen % 100:02d}"
    assert Declaration.objects.values("employer_id", "month").distinct().count() == len(declarations)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # every row in its yearly partition, none in the default one
            cursor.execute("SELECT count(*) FROM records_ledgerentry_default")
            assert cursor.fetchone()[0] == 0
            cursor.execute("SELECT count(*) FROM records_ledgerentry_y2025")
            assert cursor.fetchone()[0] == sum(1 for r in rows if r.month.year == 2025)


def test_ledger_rows_need_employers_and_enough_citizens():
    with pytest.raises(CommandError, match="needs --employers"):
        call_command("generate_data", "--ledger-rows", "100", stdout=StringIO())
    with pytest.raises(CommandError, match="--citizens must be at least"):
        call_command("generate_data", "--employers", "2", "--ledger-rows", "1000", "--citizens", "3",
                     stdout=StringIO())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits; seeded data restored after
def test_on_postgresql_the_generated_tables_are_vacuumed_for_index_only_reads():
    """Outside a transaction the generated tables are vacuumed, as autovacuum leaves tables that only grow in
    production: their pages are marked all-visible, so the records page's version counts read the index alone."""
    from django.db import connection

    from tests.records.conftest import reseed_records

    if connection.vendor != "postgresql":
        pytest.skip("VACUUM and the visibility map are PostgreSQL's (this run is on SQLite)")
    reseed_records()  # banks, rates and roles, when a transactional test before this one flushed them
    call_command("generate_data", "--employers", "2", "--ledger-rows", "400", "--citizens", "200",
                 "--applications", "0", "--staff", "1", "--seed", "3", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, relpages, relallvisible FROM pg_class WHERE relkind = 'r' AND "
                       "(relname LIKE 'records_ledgerentry_y%%' OR relname = 'records_enrolment')"
                       " AND relpages > 0")
        tables = {name: (pages, visible) for name, pages, visible in cursor.fetchall()}
    assert "records_enrolment" in tables
    assert any(name.startswith("records_ledgerentry_y") for name in tables)
    assert all(visible == pages for pages, visible in tables.values()), tables
