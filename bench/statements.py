"""Yearly statements at scale (PostgreSQL), run inside Django with the benchmark's settings:

    python -m bench.statements setup --persons 100000            # once: enrolments, 2025 ledger rows, movements
    python -m bench.statements batch --persons 100000 --workers 2  # one JSON line
    python -m bench.statements pdf --runs 20                       # one JSON line
    python -m bench.statements code                                # a valid verification code (the scenario's)

`setup` reuses the declaration import's fixture (bench/records.py: one employer, `persons` open enrolments since
2024-01, synthetic ID numbers and names) and adds, by COPY, each person's 2025 ledger rows (12 months x 4 types,
paid, 4,800,000 rows for 100,000 persons) and personal account movements (a 2024 credit and a 2025 credit on each
of the pension and medical accounts). Kept in the database for later runs.

`batch` empties the statement tables, starts `workers` Celery worker processes of this machine (`--pool solo`,
one process each, on the Redis broker), starts the 2025 batch through `services.start_batch` (chunks of
SSCARD_STATEMENT_CHUNK_SIZE persons) and waits until it is done. It reports the statements a second over the
whole run (plan + chunks), the workers' CPU milliseconds per statement (their process trees, /proc) and the whole
machine's (PostgreSQL and Redis included), and what 58,000,000 statements need at that rate.

`pdf` renders one statement PDF `runs` times in this process (what a download costs: the PDF is not stored).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025
PEOPLE_58M = 58_000_000


def _machine_cpu_seconds() -> float:
    """User + system (+ nice, irq) CPU seconds of the whole machine so far, all cores."""
    with open("/proc/stat") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
    return busy / os.sysconf("SC_CLK_TCK")


def _database_backends(database: str) -> dict[int, float]:
    """CPU seconds so far of each live PostgreSQL backend connected to `database` (same machine), by pid."""
    from .procstat import _stat

    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cmdline.startswith("postgres: ") and f" {database} " in cmdline:
            stat = _stat(int(entry))
            if stat:
                found[int(entry)] = stat[1]
    return found


def setup(persons: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from sscard.domain.contributions import assess
    from sscard.domain.enrolment import INSURANCE_TYPES
    from sscard.ops.management.commands.generate_data import Writer
    from sscard.records.models import AccountMovement, Enrolment, LedgerEntry
    from sscard.reference.selectors import contribution_rates

    from .records import _import_fixture, _wage_fen

    employer, rep, _counties = _import_fixture(persons)
    if LedgerEntry.objects.filter(employer=employer, month=date(YEAR, 12, 1)).exists():
        return {"persons": persons, "setup": "reused"}
    started = time.monotonic()
    ids = list(Enrolment.objects.filter(employer=employer).order_by("pk").values_list("id_number", flat=True))
    now = timezone.now()
    months = [date(YEAR, m, 1) for m in range(1, 13)]
    rates = contribution_rates(YEAR, employer.district_code)

    def ledger_rows():
        for n, id_number in enumerate(ids):
            wage = _wage_fen(n)
            a = assess(wage, types=INSURANCE_TYPES, industry_class=employer.industry_class, rates=rates)
            for month in months:
                for amount in a.amounts:
                    yield (id_number, employer.pk, month, amount.insurance_type, wage, a.base_fen, a.clamp,
                           amount.employer_fen, amount.employee_fen, "paid", 1, now, None, None, n + 2, rep.pk, "")

    def movements():
        for n, id_number in enumerate(ids):
            pension, medical = _wage_fen(n) * 8 // 100, _wage_fen(n) * 2 // 100
            for account, amount in (("pension", pension), ("medical", medical)):
                yield (id_number, account, "contribution", date(2024, 12, 20), date(2024, 11, 1), amount * 12, "", now)
                yield (id_number, account, "contribution", date(YEAR, 12, 20), date(YEAR, 11, 1), amount * 12, "", now)

    with transaction.atomic():
        from sscard.records.ledger import COLUMNS

        Writer().write(LedgerEntry, COLUMNS, ledger_rows())
        Writer().write(AccountMovement, ["id_number", "account", "kind", "day", "month", "amount_fen", "source_ref",
                                                  "created_at"],
                       movements())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"persons": len(ids), "setup_s": round(time.monotonic() - started, 1)}


def batch(persons: int, workers: int, timeout_s: float) -> dict:
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.db import connection

    from sscard.accounts.models import User
    from sscard.records.statements import services
    from sscard.records.statements.models import Statement, StatementBatch

    from .procstat import machine, tree_cpu_seconds

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE records_statement, records_statementchunk, records_statementbatch")
    staff, _ = User.objects.get_or_create(username="bench-statements", defaults={"is_staff": True})
    staff.user_permissions.add(Permission.objects.get(codename="run_statements"))
    staff = User.objects.get(pk=staff.pk)
    env = {**os.environ}
    database = connection.settings_dict["NAME"]
    procs = [subprocess.Popen([sys.executable, "-m", "celery", "-A", "sscard", "worker", "--pool", "solo", "-Q",
                               "default", "-n", f"bench-statements-{n}@%h", "--loglevel", "WARNING"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for n in range(workers)]
    try:
        time.sleep(6)  # the workers connect to the broker
        cpu_before = [tree_cpu_seconds(p.pid) for p in procs]
        machine_before = _machine_cpu_seconds()
        # Celery closes the database connection after each task, so each chunk has a backend of its own: sampled
        # every 0.25 s, the last value seen of each is its CPU (a lower bound: up to 0.25 s of a backend's end
        # may be missed).
        database_before = _database_backends(database)
        seen: dict[int, float] = dict(database_before)
        started = time.monotonic()
        plan_started = time.monotonic()
        run = services.start_batch(staff=staff, year=YEAR, today=date(YEAR + 1, 1, 10))
        plan_s = time.monotonic() - plan_started
        while True:
            run.refresh_from_db()
            if run.state == StatementBatch.State.DONE:
                break
            if time.monotonic() - started > timeout_s:
                raise SystemExit(f"batch not done after {timeout_s} s")
            for _ in range(8):
                seen.update(_database_backends(database))
                time.sleep(0.25)
        elapsed = time.monotonic() - started
        worker_cpu = sum(tree_cpu_seconds(p.pid) for p in procs) - sum(cpu_before)
        machine_cpu = _machine_cpu_seconds() - machine_before
        seen.update(_database_backends(database))
        database_cpu = sum(seen.values()) - sum(database_before.values())
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    made = Statement.objects.filter(year=YEAR).count()
    rate = made / elapsed
    return {
        "persons": run.persons, "statements": made, "workers": workers, "chunk_size": settings.STATEMENT_CHUNK_SIZE,
        "chunks": run.chunks, "plan_s": round(plan_s, 2), "elapsed_s": round(elapsed, 1),
        "statements_per_s": round(rate, 1),
        "worker_cpu_ms_per_statement": round(1000 * worker_cpu / made, 2),
        "database_cpu_ms_per_statement_at_least": round(1000 * database_cpu / made, 2),
        "cpu_ms_per_statement": round(1000 * (worker_cpu + database_cpu) / made, 2),
        # the whole machine's, other work on it included (the machine is shared): an upper bound
        "machine_cpu_ms_per_statement": round(1000 * machine_cpu / made, 2),
        "hours_58m_at_this_rate": round(PEOPLE_58M / rate / 3600, 1),
        "core_hours_58m": round(PEOPLE_58M * (worker_cpu + database_cpu) / made / 3600, 1),
        "machine": machine(),
    }


def pdf(runs: int) -> dict:
    import resource

    from sscard.domain import statement as rules
    from sscard.records.statements import keys
    from sscard.records.statements.pdf import render_statement

    contents = _sample_contents()
    store = keys.key_store()
    code, _signature = rules.sign(contents, store.private_key, store.kid)
    body = rules.canonical_bytes(contents)
    times = []
    for n in range(runs):
        before = resource.getrusage(resource.RUSAGE_SELF)
        render_statement(contents_bytes=body, code=code, language="es" if n % 2 else "zh-hans",
                         site_url="https://example.org/")
        after = resource.getrusage(resource.RUSAGE_SELF)
        times.append((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
    times.sort()
    return {"runs": runs, "cpu_ms_median": round(1000 * times[len(times) // 2], 1),
            "cpu_ms_max": round(1000 * times[-1], 1)}


def _sample_contents() -> dict:
    from sscard.domain import statement as rules

    entries = [rules.Entry(date(YEAR, m, 1), t, "paid", 104_000, 52_000)
               for m in range(1, 13) for t in ("pension", "medical", "unemployment", "work_injury")]
    return rules.build_contents(serial="2025Y0123456789", kind="yearly", year=YEAR, issued_on=date(YEAR + 1, 1, 10),
                                id_number="420106199003070011", name="张三", entries=entries,
                                movements=[rules.Movement("pension", "contribution", date(YEAR, 6, 1), 624_000)],
                                benefits=[])


def code() -> str:
    from sscard.domain import statement as rules
    from sscard.records.statements import keys

    store = keys.key_store()
    return rules.sign(_sample_contents(), store.private_key, store.kid)[0]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.statements")
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--persons", type=int, default=100_000)
    b = sub.add_parser("batch")
    b.add_argument("--persons", type=int, default=100_000)
    b.add_argument("--workers", type=int, default=2)
    b.add_argument("--timeout", type=float, default=3600)
    p = sub.add_parser("pdf")
    p.add_argument("--runs", type=int, default=20)
    sub.add_parser("code")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    if args.what == "setup":
        print(json.dumps(setup(args.persons)))
    elif args.what == "batch":
        print(json.dumps(batch(args.persons, args.workers, args.timeout)))
    elif args.what == "pdf":
        print(json.dumps(pdf(args.runs)))
    else:
        print(code())


if __name__ == "__main__":
    main(sys.argv[1:])
