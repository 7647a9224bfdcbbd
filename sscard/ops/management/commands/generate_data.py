"""`manage.py generate_data --applications N [--citizens M] [--staff S] [--seed X] [--employers E --ledger-rows R]`:
synthetic data at scale.

Over ~400 lines because it is one bulk loader of every table a case touches, written in the order rows depend on
each other; splitting it would scatter one COPY pipeline over modules that nothing else uses.

Realistic, valid and deterministic (same seed, same data):

- citizens with valid resident ID numbers (GB 11643 check character) spread over every county of Hubei,
  unique mobile numbers (15x, not used by the demo or the benchmarks' own accounts: 138/139), all sharing
  one precomputed password hash (argon2 per row would take hours);
- applications in every state with their status history (the paths of the state machine), issued office
  codes (valid check character, an `IssuedOfficeCode` row each, never reused), correction items for returned
  ones, a few for children of their applicant;
- a few staff and service outlets;
- with `--employers E --ledger-rows R` (sscard/ops/generate_records.py): E approved employers over Hubei's
  counties, each with its legal representative (a generated citizen), open enrolments of generated citizens
  (one each), their monthly declarations (voucher + declaration, confirmed) and exactly R contribution ledger
  rows (paid, version 1, assessed with the seeded rates).

Rows are written with PostgreSQL's COPY (psycopg 3) or, on SQLite, multi-row INSERTs in large batches, never
one save() per row. Invariants kept: one active application per person (each synthetic person has exactly
one application), unique ID numbers, phones, office codes and idempotency keys. Not generated: audit
events (the hash chain is written one event at a time by the services), in-site messages, drafts, photos
(applications have none), back-office case files and cards (created on demand by those apps).
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from sscard.applications.models import (
    Application,
    CorrectionItem,
    IssuedOfficeCode,
    StatusChange,
)
from sscard.domain import officecode, regions, workdays
from sscard.domain.casestates import Role, State
from sscard.domain.idnumber import check_character
from sscard.ops import generate_records
from sscard.reference.models import Outlet, PartnerBank

User = get_user_model()

# Every synthetic account's password (one hash shared by all of them).
PASSWORD = "Generated-pass-2026"
USERNAME_PREFIX = "gen-"
STAFF_PREFIX = "gen-staff-"

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌宇浩凯鹏飞晨欣怡子轩梓涵雨"

S = State
# (final state, share of applications, path of states from submission to it)
STATE_MIX: list[tuple[str, float, tuple[str, ...]]] = [
    (S.SUBMITTED, 0.08, (S.SUBMITTED,)),
    (S.UNDER_REVIEW, 0.10, (S.SUBMITTED, S.UNDER_REVIEW)),
    (S.RETURNED, 0.03, (S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED)),
    (S.RESUBMITTED, 0.02, (S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.RESUBMITTED)),
    (S.BANK_PREOPENING, 0.05, (S.SUBMITTED, S.UNDER_REVIEW, S.BANK_PREOPENING)),
    (S.BANK_FAILED, 0.01, (S.SUBMITTED, S.UNDER_REVIEW, S.BANK_PREOPENING, S.BANK_FAILED)),
    (S.IN_PRODUCTION, 0.08, (S.SUBMITTED, S.UNDER_REVIEW, S.BANK_PREOPENING, S.IN_PRODUCTION)),
    (S.READY_FOR_PICKUP, 0.05, (S.SUBMITTED, S.UNDER_REVIEW, S.BANK_PREOPENING, S.IN_PRODUCTION,
                                S.READY_FOR_PICKUP)),
    (S.POSTED, 0.03, (S.SUBMITTED, S.UNDER_REVIEW, S.BANK_PREOPENING, S.IN_PRODUCTION, S.POSTED)),
    (S.COLLECTED, 0.45, (S.SUBMITTED, S.UNDER_REVIEW, S.BANK_PREOPENING, S.IN_PRODUCTION, S.READY_FOR_PICKUP,
                         S.COLLECTED)),
    (S.REJECTED, 0.04, (S.SUBMITTED, S.UNDER_REVIEW, S.REJECTED)),
    (S.WITHDRAWN, 0.06, (S.SUBMITTED, S.WITHDRAWN)),
]
# Who makes each step (the state machine's roles); staff steps name a synthetic staff member.
STEP_ROLE = {
    S.SUBMITTED: Role.CITIZEN, S.UNDER_REVIEW: Role.SYSTEM, S.RETURNED: Role.REVIEWER,
    S.RESUBMITTED: Role.CITIZEN, S.BANK_PREOPENING: Role.REVIEWER, S.BANK_FAILED: Role.SYSTEM,
    S.IN_PRODUCTION: Role.SYSTEM, S.READY_FOR_PICKUP: Role.PRODUCTION, S.POSTED: Role.PRODUCTION,
    S.COLLECTED: Role.CLERK, S.REJECTED: Role.REVIEWER, S.WITHDRAWN: Role.CITIZEN,
}
STAFF_ROLES = {Role.REVIEWER, Role.PRODUCTION, Role.CLERK}

ADULT_FIRST_BIRTH = date(1950, 1, 1)
ADULT_DAYS = 20_000  # births 1950 .. 2004
CHILD_FIRST_BIRTH = date(2012, 1, 1)
CHILD_DAYS = 4_000  # births 2012 .. 2022 (under 16: a guardian applies)
CHILD_SHARE = 0.05
HISTORY_DAYS = 720  # applications submitted over the last two years


def synthetic_id_number(n: int, counties: list[str], first_birth: date, days: int) -> str:
    """The n-th synthetic ID number of a birth range: a one-to-one function of n, so never repeated.

    (county, birth day, sequence) = (n mod C, (n div C) mod D, 100 + (n div CD + offset) mod 900). The
    sequence stays >= 100: the benchmarks' and tests' hand-made citizens use lower ones.
    """
    count = len(counties)
    county = n % count
    day = (n // count) % days
    block = n // (count * days)
    if block >= 900:
        raise CommandError("more synthetic people than the ID number scheme holds")
    sequence = 100 + (block + 37 * county + 11 * day) % 900
    first17 = f"{counties[county]}{(first_birth + timedelta(days=day)):%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def synthetic_name(n: int) -> str:
    return FAMILY[n % len(FAMILY)] + GIVEN[(n // 7) % len(GIVEN)] + (GIVEN[(n // 11) % len(GIVEN)] if n % 3 else "")


def synthetic_phone(n: int) -> str:
    return f"15{n:09d}"


class Writer:
    """COPY on PostgreSQL, multi-row INSERT in large batches elsewhere (SQLite)."""

    def __init__(self, batch: int = 5000):
        self.postgres = connection.vendor == "postgresql"
        self.batch = batch
        self.counts: dict[str, int] = {}

    def _adapt(self, value):
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, bool):
            return int(value)
        return value

    def write(self, model, columns: list[str], rows) -> int:
        table = model._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                sql = (f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES "
                       f"({', '.join(['%s'] * len(columns))})")
                chunk = []
                for row in rows:
                    chunk.append([self._adapt(v) for v in row])
                    if len(chunk) >= self.batch:
                        cursor.executemany(sql, chunk)
                        count += len(chunk)
                        chunk = []
                if chunk:
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
        self.counts[table] = self.counts.get(table, 0) + count
        return count


def _check_columns(model, columns: list[str]) -> None:
    """Every NOT NULL column of `model` is written (a model change must not silently break the command)."""
    missing = [f.column for f in model._meta.concrete_fields
               if f.column not in columns and not f.null and not f.primary_key]
    unknown = set(columns) - {f.column for f in model._meta.concrete_fields}
    if missing or unknown:
        raise CommandError(f"generate_data is out of date for {model.__name__}: missing {missing}, "
                           f"unknown {sorted(unknown)}")


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class Command(BaseCommand):
    help = ("Generate synthetic citizens, applications in every stage, staff and outlets, and with --employers and "
            "--ledger-rows employers, enrolments, declarations and the contribution ledger (COPY on PostgreSQL).")

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=0)
        parser.add_argument("--citizens", type=int, help="default: one per application, or as many as the "
                                                         "employers' representatives and enrolled people need")
        parser.add_argument("--employers", type=int, default=0, help="approved employers (with --ledger-rows)")
        parser.add_argument("--ledger-rows", type=int, default=0,
                            help="contribution ledger rows, over people enrolled with the employers")
        parser.add_argument("--staff", type=int, default=12)
        parser.add_argument("--outlets", type=int, default=20, help="outlets to have at least (added if fewer)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--out-codes", help="write 'office code<TAB>ID suffix<TAB>state' of every "
                                                "application to this file (for benchmarks)")

    def handle(self, *args, **options):
        started = self._t0 = time.monotonic()
        n_apps = options["applications"]
        n_employers, n_rows = options["employers"], options["ledger_rows"]
        if n_employers < 0 or n_rows < 0:
            raise CommandError("--employers and --ledger-rows must be >= 0")
        plan = None
        if n_employers or n_rows:
            # Representatives are generated citizens 0 .. E-1, enrolled people the next ones.
            plan = generate_records.plan_people(employers=n_employers, rows=n_rows, first_citizen=n_employers,
                                                seed=options["seed"], today=date.today())
        needed = n_employers + (len(plan.people) if plan else 0)
        n_citizens = options["citizens"] or max(n_apps, needed)
        if n_apps < 0 or n_citizens <= 0 and n_apps:
            raise CommandError("--applications must be >= 0 and --citizens > 0")
        if n_citizens < n_apps:
            raise CommandError("--citizens must be at least --applications: each synthetic person has one "
                               "application (one active application per person)")
        if n_citizens < needed:
            raise CommandError(f"--citizens must be at least {needed:,}: the employers' representatives and the "
                               "people enrolled with them are generated citizens")
        if User.objects.filter(username__startswith=USERNAME_PREFIX).exists():
            raise CommandError("this database already holds generated data: generate into a fresh database")
        banks = list(PartnerBank.objects.filter(active=True).values_list("pk", flat=True))
        if not banks:
            raise CommandError("no active partner bank: run the migrations first (they seed the defaults)")
        rng = random.Random(options["seed"])
        writer = Writer()
        now = datetime.now(UTC).replace(microsecond=0)
        password_hash = make_password(PASSWORD)

        with transaction.atomic():
            if connection.vendor == "postgresql":
                connection.cursor().execute("SET LOCAL synchronous_commit TO OFF")
            outlets = self._outlets(options["outlets"], rng)
            staff = self._staff(options["staff"], password_hash, now)
            self._log(f"{len(outlets)} outlets, {len(staff)} staff", started)
            first_user = self._citizens(writer, n_citizens, password_hash, now, rng)
            self._log(f"{n_citizens:,} citizens", started)
            self._applications(writer, n_apps, first_user, banks, outlets, staff, now, rng, options["out_codes"])
            self._log(f"{n_apps:,} applications", started)
            if plan is not None:
                counties = [code for code, _name in regions.hubei_counties()]

                def identity(n: int) -> tuple[str, str]:
                    return synthetic_name(n), synthetic_id_number(n, counties, ADULT_FIRST_BIRTH, ADULT_DAYS)

                generate_records.write_records(writer, plan, first_user=first_user, identity=identity, staff=staff,
                                               now=now, log=lambda what: self._log(what, started))
                self._log(f"{plan.rows:,} ledger rows", started)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                        no_style(), [User, Application, StatusChange, CorrectionItem,
                                     *generate_records.RECORD_MODELS]):
                    cursor.execute(sql)
        if connection.vendor == "postgresql":
            # VACUUM, not only ANALYZE: it sets the visibility map, as autovacuum does in production for tables
            # that only grow (autovacuum_vacuum_insert_threshold), so reads answered from an index alone (the
            # records page's version counts) do not visit the heap. VACUUM cannot run inside a transaction: in a
            # caller's (a test's), statistics only.
            statement = "VACUUM (ANALYZE)" if connection.get_autocommit() else "ANALYZE"
            with connection.cursor() as cursor:
                for model in (User, Application, StatusChange, IssuedOfficeCode, CorrectionItem,
                              *(generate_records.RECORD_MODELS + (generate_records.LedgerEntry,) if plan else ())):
                    cursor.execute(f"{statement} {connection.ops.quote_name(model._meta.db_table)}")
        rows = ", ".join(f"{table} {count:,}" for table, count in writer.counts.items())
        self.stdout.write(f"generated in {time.monotonic() - started:.1f} s: {rows}")

    def _log(self, what: str, started: float) -> None:
        self.stdout.write(f"  {time.monotonic() - started:7.1f} s  {what}")
        self.stdout.flush()

    # --- staff and outlets ------------------------------------------------------------------------------

    def _outlets(self, wanted: int, rng: random.Random) -> list[int]:
        existing = list(Outlet.objects.filter(active=True).values_list("pk", flat=True))
        counties = regions.hubei_counties()
        new = []
        for i in range(max(0, wanted - len(existing))):
            code, name = counties[(i * 7) % len(counties)]
            city = regions.region_name(code[:4] + "00") or "湖北省"
            outlet_name, address = f"{name}政务服务中心社保卡窗口", f"{name}市民大道 {rng.randint(1, 400)} 号"
            hours = "周一至周五 9:00-12:00, 13:30-17:00"
            # The Chinese text in the original and the zh-Hans columns, whatever language is active.
            new.append(Outlet(name=outlet_name, name_zh_hans=outlet_name, name_en=f"{code} service centre",
                              city=city, district_code=code, address=address, address_zh_hans=address,
                              hours=hours, hours_zh_hans=hours, phone=f"027-{8700_0000 + i}", order=200 + i))
        Outlet.objects.bulk_create(new)
        return list(Outlet.objects.filter(active=True).values_list("pk", flat=True))

    def _staff(self, count: int, password_hash: str, now: datetime) -> list[int]:
        users = [User(username=f"{STAFF_PREFIX}{i:03d}", password=password_hash, real_name=f"工作人员{i:03d}",
                      is_staff=True, date_joined=now, id_number=None, phone=None) for i in range(count)]
        User.objects.bulk_create(users)
        return list(User.objects.filter(username__startswith=STAFF_PREFIX).values_list("pk", flat=True))

    # --- citizens ---------------------------------------------------------------------------------------

    def _citizens(self, writer: Writer, count: int, password_hash: str, now: datetime, rng) -> int:
        from django.conf import settings

        counties = [code for code, _name in regions.hubei_counties()]
        first = _next_id(User)
        columns = ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
                   "is_staff", "is_active", "date_joined", "real_name", "document_type", "id_number", "phone",
                   "phone_verified_at", "terms_version", "terms_accepted_at", "elder_mode", "preferred_language"]
        _check_columns(User, columns)
        terms = settings.TERMS_VERSION
        joined_base = now - timedelta(days=HISTORY_DAYS + 30)

        def rows():
            for n in range(count):
                name = synthetic_name(n)
                joined = joined_base + timedelta(seconds=(n * 7919) % (HISTORY_DAYS * 86400))
                yield (first + n, password_hash, None, False, f"{USERNAME_PREFIX}{n:09d}", "", "", "", False, True,
                       joined, name, "resident_id", synthetic_id_number(n, counties, ADULT_FIRST_BIRTH, ADULT_DAYS),
                       synthetic_phone(n), joined, terms, joined, n % 50 == 0,
                       "es" if n % 40 == 1 else "en" if n % 60 == 2 else "zh-hans")

        writer.write(User, columns, rows())
        return first

    # --- applications -----------------------------------------------------------------------------------

    def _applications(self, writer, count, first_user, banks, outlets, staff, now, rng, out_codes) -> None:
        from sscard.reference.selectors import holiday_sets, service_settings

        counties = [code for code, _name in regions.hubei_counties()]
        processing_days = service_settings().processing_days
        holidays, makeup = holiday_sets()
        completion_cache: dict[date, date] = {}

        def completion(day: date) -> date:
            if day not in completion_cache:
                completion_cache[day] = workdays.add_working_days(day, processing_days, holidays, makeup)
            return completion_cache[day]

        # The state of each application, shuffled deterministically, in the configured proportions.
        weights = [share for _state, share, _path in STATE_MIX]
        paths = [path for _state, _share, path in STATE_MIX]
        choices = rng.choices(range(len(STATE_MIX)), weights=weights, k=count)

        codes: set[str] = set(IssuedOfficeCode.objects.values_list("code", flat=True))
        randbelow = rng.randrange
        code_list = []
        while len(code_list) < count:
            code = officecode.generate(randbelow=randbelow)
            if code not in codes:
                codes.add(code)
                code_list.append(code)
        del codes

        first_app = _next_id(Application)
        first_change = _next_id(StatusChange)
        app_columns = ["id", "office_code", "applicant_id", "idempotency_key", "for_child", "relationship",
                       "subject_name", "subject_id_number", "subject_sex", "subject_birth_date", "ethnicity",
                       "nationality", "document_valid_until", "document_long_term", "occupation", "employer",
                       "res_province", "res_city", "res_district", "res_detail", "bank_id", "delivery", "outlet_id",
                       "recipient_name", "recipient_phone", "post_province", "post_city", "post_district",
                       "post_detail", "photo", "photo_original", "declared_at", "state", "submitted_at",
                       "expected_completion", "updated_at", "kind", "replacement_reason"]
        change_columns = ["id", "application_id", "from_state", "to_state", "actor_id", "role", "at", "note"]
        code_columns = ["code", "issued_at"]
        correction_columns = ["id", "application_id", "change_id", "section", "message", "resolved_at"]
        for model, columns in ((Application, app_columns), (StatusChange, change_columns),
                               (IssuedOfficeCode, code_columns), (CorrectionItem, correction_columns)):
            _check_columns(model, columns)

        # One pass makes every table's rows; each table is then copied in turn from the lists of tuples
        # (a COPY per table, in chunks so that memory stays bounded).
        chunk = 200_000
        next_change = first_change
        next_correction = _next_id(CorrectionItem)
        out = open(out_codes, "w") if out_codes else None  # noqa: SIM115 - closed below
        try:
            for start in range(0, count, chunk):
                apps, changes, issued, corrections = [], [], [], []
                for n in range(start, min(count, start + chunk)):
                    app_id = first_app + n
                    user_id = first_user + n
                    state_index = choices[n]
                    path = paths[state_index]
                    final = path[-1]
                    # Delivery by post or pick-up, consistent with the path (posted / ready for pick-up).
                    post = final == S.POSTED or (final != S.READY_FOR_PICKUP and n % 4 == 0)
                    if final == S.COLLECTED and post:
                        path = path[:-2] + (S.POSTED, S.COLLECTED)
                    if final == S.WITHDRAWN and n % 2:
                        path = (S.SUBMITTED, S.UNDER_REVIEW, S.WITHDRAWN)
                    # Older applications have gone further: the age grows with the length of the path.
                    age_days = min(HISTORY_DAYS, 2 + len(path) * 20 + (n * 131) % (HISTORY_DAYS // 2))
                    if final in (S.SUBMITTED,):
                        age_days = 1 + n % 5
                    submitted = now - timedelta(days=age_days, seconds=(n * 7919) % 86400)
                    step = timedelta(days=age_days) / (len(path) + 1)
                    for_child = (n * 2654435761) % 1000 < CHILD_SHARE * 1000
                    if for_child:
                        subject_id = synthetic_id_number(n, counties, CHILD_FIRST_BIRTH, CHILD_DAYS)
                        subject_name = FAMILY[n % len(FAMILY)] + GIVEN[(n // 13) % len(GIVEN)] + "宝"
                    else:
                        subject_id = synthetic_id_number(n, counties, ADULT_FIRST_BIRTH, ADULT_DAYS)
                        subject_name = FAMILY[n % len(FAMILY)] + GIVEN[(n // 7) % len(GIVEN)] + (
                            GIVEN[(n // 11) % len(GIVEN)] if n % 3 else "")
                    birth = date(int(subject_id[6:10]), int(subject_id[10:12]), int(subject_id[12:14]))
                    sex = "M" if int(subject_id[16]) % 2 else "F"
                    county = subject_id[:6]
                    code = code_list[n]
                    last_at = submitted + step * (len(path) - 1)
                    apps.append((
                        app_id, code, user_id, uuid.UUID(int=rng.getrandbits(128), version=4), for_child,
                        "parent" if for_child else "", subject_name, subject_id, sex, birth, "01", "CHN",
                        None if n % 5 == 0 else date(2030 + n % 15, 1 + n % 12, 1 + n % 28), n % 5 == 0,
                        "S" if for_child else str(1 + n % 6), "", "420000", county[:4] + "00", county,
                        f"幸福路 {1 + n % 300} 号 {1 + n % 30} 栋 {101 + n % 20} 室", banks[n % len(banks)],
                        "post" if post else "pickup", None if post else outlets[n % len(outlets)],
                        subject_name if post else "", synthetic_phone(n) if post else "",
                        "420000" if post else "", county[:4] + "00" if post else "", county if post else "",
                        f"幸福路 {1 + n % 300} 号" if post else "", "", "", submitted, final, submitted,
                        completion(submitted.date()), last_at, "first", "",
                    ))
                    issued.append((code, submitted))
                    previous = ""
                    for j, state in enumerate(path):
                        role = STEP_ROLE[state]
                        actor = user_id if role == Role.CITIZEN else (
                            staff[(n + j) % len(staff)] if role in STAFF_ROLES and staff else None)
                        changes.append((next_change, app_id, previous, state, actor, role, submitted + step * j,
                                        "照片背景不符合要求，请重新上传。" if state == S.RETURNED else ""))
                        if state == S.RETURNED:
                            corrections.append((next_correction, app_id, next_change, "photo",
                                                "照片背景不符合要求，请重新上传。",
                                                None if final == S.RETURNED else submitted + step * (j + 1)))
                            next_correction += 1
                        next_change += 1
                        previous = state
                    if out is not None:
                        out.write(f"{code}\t{subject_id[-6:]}\t{final}\n")
                writer.write(IssuedOfficeCode, code_columns, issued)
                writer.write(Application, app_columns, apps)
                writer.write(StatusChange, change_columns, changes)
                writer.write(CorrectionItem, correction_columns, corrections)
                self._log(f"  applications {min(count, start + chunk):,} / {count:,}", self._t0)
        finally:
            if out is not None:
                out.close()
