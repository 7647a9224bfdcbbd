"""The records at scale (PostgreSQL), run inside Django with the benchmark's settings:

    python -m bench.records sessions --persons 500 --employers 200 --out-persons p.txt --out-employers e.txt
    python -m bench.records import --persons 100000 --runs 3        # prints one JSON line

`sessions` opens sessions for generated people enrolled with generated employers (`manage.py generate_data
--employers N --ledger-rows M`) and for those employers' legal representatives, written straight into the
session store as a login leaves them (a password login costs ~0.2 s of argon2: measured by its own scenario),
the representatives' with the employer chosen (`records_employer`). One `path<TAB>Cookie header` per line:
`/records/mine/` (a quarter of them `?year=`) and `/records/employer/declarations/<YYYY-MM>/` of a month the
employer declared, both chosen at random (seeded).

`import` builds (once; kept in the database) one employer with `persons` open enrolments in the four types, writes
the month's declaration CSV (`证件号码,姓名,缴费工资`), then measures side by side, `runs` times each, in
transactions rolled back (foreign keys checked immediately, as a commit would): (a) a raw COPY of the ledger rows
the declaration makes (4 per person, assessed beforehand, in COPY's text format in memory) into records_ledgerentry, and (b)
`sscard.records.declarations.services.declare(...)` of the CSV (parse, validate, assess, voucher, declaration,
COPY). It prints the seconds of each run, the medians and the ratio raw / declare (goal >= 0.5).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date

IMPORT_CREDIT_SEQUENCE = 9_999_999  # the bench employer's organisation code MA9999999 (generate_data uses 0 ..)
IMPORT_FIRST_CITIZEN = 5_000_000  # synthetic ID numbers far from generate_data's citizens


def _session(user, extra: dict | None = None) -> str:
    from django.conf import settings
    from django.middleware.csrf import CSRF_ALLOWED_CHARS
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    session = engine.SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "sscard.accounts.backends.CitizenBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session["_last_seen"] = int(timezone.now().timestamp())
    for key, value in (extra or {}).items():
        session[key] = value
    session.create()
    # the CSRF cookie a browser holds after its login (the login answer sets a fresh one): without it every page
    # would answer with a new secret and a Set-Cookie, which no browser sees after its first page
    csrf = get_random_string(32, allowed_chars=CSRF_ALLOWED_CHARS)
    return f"{settings.CSRF_COOKIE_NAME}={csrf}; {settings.SESSION_COOKIE_NAME}={session.session_key}"


def sessions(persons: int, employers: int, out_persons: str, out_employers: str, seed: int) -> None:
    from sscard.accounts.models import User
    from sscard.records.models import Declaration, EmployerMembership, Enrolment

    rng = random.Random(seed)
    enrolled = list(Enrolment.objects.filter(end_month__isnull=True).values_list("id_number", flat=True))
    if not enrolled:
        sys.exit("no enrolled people: run manage.py generate_data --employers N --ledger-rows M first")
    chosen = rng.sample(enrolled, min(persons, len(enrolled)))
    users = {u.id_number: u for u in User.objects.filter(id_number__in=chosen, is_staff=False)}
    with open(out_persons, "w") as handle:
        for id_number in chosen:
            if id_number in users:
                path = "/records/mine/" + (f"?year={rng.choice((2024, 2025, 2026))}" if rng.random() < 0.25 else "")
                handle.write(f"{path}\t{_session(users[id_number])}\n")
    memberships = list(EmployerMembership.objects.filter(role="representative", revoked_at__isnull=True,
                                                         employer__state="approved")
                       .select_related("user").order_by("pk"))
    declared: dict[int, list[date]] = {}
    for employer_id, month in Declaration.objects.values_list("employer_id", "month").distinct():
        declared.setdefault(employer_id, []).append(month)
    memberships = [m for m in memberships if m.employer_id in declared]
    with open(out_employers, "w") as handle:
        for membership in rng.sample(memberships, min(employers, len(memberships))):
            month = rng.choice(sorted(declared[membership.employer_id]))
            cookie = _session(membership.user, {"records_employer": membership.employer_id})
            handle.write(f"/records/employer/declarations/{month:%Y-%m}/\t{cookie}\n")


# --- Declaration import -----------------------------------------------------------------------------------

def _import_fixture(persons: int):
    """One approved employer with `persons` open enrolments (all four types) and its representative; kept."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from sscard.accounts.models import User
    from sscard.domain import regions
    from sscard.ops.generate_records import credit_code
    from sscard.ops.management.commands.generate_data import (
        ADULT_DAYS,
        ADULT_FIRST_BIRTH,
        Writer,
        synthetic_id_number,
        synthetic_name,
    )
    from sscard.records.models import Employer, EmployerMembership, Enrolment

    code = credit_code(IMPORT_CREDIT_SEQUENCE, "420106")
    counties = [c for c, _n in regions.hubei_counties()]
    employer = Employer.objects.filter(credit_code=code).first()
    if employer is not None and Enrolment.objects.filter(employer=employer).count() == persons:
        return employer, EmployerMembership.objects.get(employer=employer).user, counties
    if employer is not None:
        sys.exit(f"the bench employer {code} exists with another number of people: use a fresh database")
    now = timezone.now()
    with transaction.atomic():
        rep_n = IMPORT_FIRST_CITIZEN - 1
        rep = User.objects.create(username="bench-import-rep", password=make_password(None),
                                  real_name=synthetic_name(rep_n),
                                  id_number=synthetic_id_number(rep_n, counties, ADULT_FIRST_BIRTH, ADULT_DAYS),
                                  phone="13700000000", phone_verified_at=now,
                                  terms_version=settings.TERMS_VERSION, terms_accepted_at=now)
        employer = Employer.objects.create(
            credit_code=code, name="武昌基准测试有限公司", address="武昌区中北路 1 号", representative_name=rep.real_name,
            representative_id_number=rep.id_number, industry_class=2, district_code="420106", state="approved",
            registered_by=rep, created_at=now, decided_at=now)
        EmployerMembership.objects.create(employer=employer, user=rep, role="representative", granted_at=now)
        columns = ["employer_id", "id_number", "name", "start_month", "end_month", "pension", "medical",
                   "unemployment", "work_injury", "created_by_id", "created_at"]
        Writer().write(Enrolment, columns, (
            (employer.pk, synthetic_id_number(IMPORT_FIRST_CITIZEN + n, counties, ADULT_FIRST_BIRTH, ADULT_DAYS),
             synthetic_name(n), date(2024, 1, 1), None, True, True, True, True, rep.pk, now)
            for n in range(persons)))
    return employer, rep, counties


def _wage_fen(n: int) -> int:
    return (3_000 + (n * 37) % 20_000) * 100  # 3,000 .. 22,999 yuan: some at the floor, some at the ceiling


def run_import(persons: int, runs: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from sscard.domain.contributions import assess, yuan
    from sscard.domain.enrolment import INSURANCE_TYPES
    from sscard.ops.generate_records import last_month
    from sscard.ops.management.commands.generate_data import (
        ADULT_DAYS,
        ADULT_FIRST_BIRTH,
        synthetic_id_number,
        synthetic_name,
    )
    from sscard.records import ledger
    from sscard.reference.selectors import contribution_rates

    try:
        from sscard.records.declarations.services import declare
    except ImportError:
        return {"skipped": "declarations service not available (sscard.records.declarations is not merged)"}
    employer, rep, counties = _import_fixture(persons)
    month = last_month(timezone.localdate())
    rates = contribution_rates(month.year, employer.district_code)
    lines = ["证件号码,姓名,缴费工资\n"]
    rows = []
    now = timezone.now()
    for n in range(persons):
        id_number = synthetic_id_number(IMPORT_FIRST_CITIZEN + n, counties, ADULT_FIRST_BIRTH, ADULT_DAYS)
        wage = _wage_fen(n)
        lines.append(f"{id_number},{synthetic_name(n)},{yuan(wage)}\n")
        a = assess(wage, types=INSURANCE_TYPES, industry_class=employer.industry_class, rates=rates)
        for amount in a.amounts:
            rows.append((id_number, employer.pk, month, amount.insurance_type, wage, a.base_fen, a.clamp,
                         amount.employer_fen, amount.employee_fen, "assessed", 1, now, None, None, n + 2, rep.pk,
                         ""))
    content = "".join(lines).encode()
    columns = ", ".join(ledger.COLUMNS)

    # The raw COPY at its fastest: the rows already in COPY's text format in memory, sent in 1 MB chunks (what
    # PostgreSQL itself costs for these rows; psycopg's per-row `write_row` would add seconds of Python).
    text = "".join("\t".join(ledger._text(value) for value in row) + "\n" for row in rows)
    chunks = [text[i:i + 1_000_000] for i in range(0, len(text), 1_000_000)]

    def raw_copy() -> float:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                started = time.perf_counter()
                with cursor.cursor.copy(f"COPY records_ledgerentry ({columns}) FROM STDIN") as copy:
                    for chunk in chunks:
                        copy.write(chunk)
                elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    def declared() -> float:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            started = time.perf_counter()
            declaration = declare(user=rep, employer=employer, month=month, filename="declaration.csv",
                                  content=content)
            elapsed = time.perf_counter() - started
            assert declaration.line_count == persons, declaration.line_count
            transaction.set_rollback(True)
        return elapsed

    raw, full = [], []
    for _ in range(runs):  # interleaved, so that a burst of load elsewhere hits both alike
        raw.append(raw_copy())
        full.append(declared())
    raw_s, declare_s = statistics.median(raw), statistics.median(full)
    return {"persons": persons, "ledger_rows": len(rows), "csv_bytes": len(content), "runs": runs,
            "raw_copy_s": [round(x, 2) for x in raw], "declare_s": [round(x, 2) for x in full],
            "raw_copy_median_s": round(raw_s, 2), "declare_median_s": round(declare_s, 2),
            "ratio": round(raw_s / declare_s, 3) if declare_s else None,
            "rps": round(len(rows) / declare_s, 1) if declare_s else 0.0,
            "p50_ms": round(1000 * declare_s, 1), "p99_ms": round(1000 * max(full), 1)}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.records")
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("sessions")
    s.add_argument("--persons", type=int, default=500)
    s.add_argument("--employers", type=int, default=200)
    s.add_argument("--out-persons", required=True)
    s.add_argument("--out-employers", required=True)
    s.add_argument("--seed", type=int, default=1)
    i = sub.add_parser("import")
    i.add_argument("--persons", type=int, default=100_000)
    i.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
    import django

    django.setup()
    if args.what == "sessions":
        sessions(args.persons, args.employers, args.out_persons, args.out_employers, args.seed)
    else:
        print(json.dumps(run_import(args.persons, args.runs)))


if __name__ == "__main__":
    main(sys.argv[1:])
