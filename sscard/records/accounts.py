"""Personal accounts (pension and medical) and benefit records: the services that move an account and the reads
of balances. Money in integer fen.

- `credit` appends an `AccountMovement` and moves the `AccountBalance` running balance in one transaction
  (the balance row locked with select_for_update, created when missing). A credit happens once: a repeated call
  with the same ledger row (`ledger_entry_id`) or the same reference (`source_ref`) changes nothing, checked under
  the lock and guaranteed by the unique constraints of `AccountMovement`.
- `credit_paid_rows`: a paid ledger row credits the pension account with the employee's pension amount, the
  medical account with the employee's medical amount plus the configured transfer (`account_credits`). In bulk
  (`credit_many`): the movements computed in Python, inserted a thousand to a statement with ON CONFLICT DO
  NOTHING (the unique constraints decide what is credited once; RETURNING says what was written), then the running
  balances moved by their totals per account, a thousand accounts to an upsert. A bill of 100,000 persons is a few
  hundred statements, not a few per row.
- `credit_interest(year=)`: interest on the balance at 1 January (movements before that day), credited on
  31 December with the reference `interest:<year>`; idempotent (in bulk too).
- `reconcile()`: running balances against their movements, contribution movements against the paid ledger rows.
- `record_benefit`: a benefit enjoyed, once per (source_type, source_ref).
- The medical settlement's hot path (`sscard.settlement`), which holds the balance row's lock itself and writes
  under a reference it has just made: `move_locked` (the movement and the balance, two statements) and
  `append_benefit` (one INSERT), the unique constraints still guarding "once".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from sscard.audit.services import record_event
from sscard.core.rows import insert_row, write
from sscard.domain.contributions import account_credits, interest
from sscard.domain.masking import mask_id_number
from sscard.reference.selectors import contribution_rates

from .ledger_models import AccountBalance, AccountMovement, BenefitRecord, LedgerEntry

ACCOUNTS = (AccountMovement.Account.PENSION, AccountMovement.Account.MEDICAL)
CREDITED_TYPES = ("pension", "medical")  # the insurance types whose paid rows credit a personal account
LEDGER_KINDS = (AccountMovement.Kind.CONTRIBUTION, AccountMovement.Kind.CORRECTION)


def credit(*, id_number: str, account: str, kind: str, day: date, amount_fen: int, month: date | None = None,
           ledger_entry_id: int | None = None, source_ref: str = "") -> AccountMovement | None:
    """Append a movement and move the running balance; None (nothing written) when this ledger row or this
    reference already moved the account."""
    if account not in ACCOUNTS:
        raise ValueError(f"unknown account {account!r}")
    now = timezone.now()
    with transaction.atomic():
        balance = AccountBalance.objects.select_for_update().filter(id_number=id_number, account=account).first()
        if balance is None:
            try:
                with transaction.atomic():
                    AccountBalance.objects.create(id_number=id_number, account=account, balance_fen=0,
                                                  updated_at=now)
            except IntegrityError:  # created a moment ago by another credit: lock that one
                pass
            balance = AccountBalance.objects.select_for_update().get(id_number=id_number, account=account)
        done = AccountMovement.objects.filter(account=account)
        if ledger_entry_id is not None and done.filter(ledger_entry_id=ledger_entry_id).exists():
            return None
        if source_ref and done.filter(id_number=id_number, source_ref=source_ref).exists():
            return None
        try:
            with transaction.atomic():
                movement = AccountMovement.objects.create(
                    id_number=id_number, account=account, kind=kind, day=day, month=month, amount_fen=amount_fen,
                    ledger_entry_id=ledger_entry_id, source_ref=source_ref, created_at=now)
        except IntegrityError:  # the constraint's word is final: credited once
            return None
        balance.balance_fen += amount_fen
        balance.updated_at = now
        balance.save(update_fields=["balance_fen", "updated_at"])
    return movement


def move_locked(*, id_number: str, account: str, kind: str, day: date, amount_fen: int, source_ref: str) -> None:
    """Append a movement and move the running balance of an account whose balance row the caller has locked in
    its transaction (SELECT ... FOR UPDATE), under a reference never used before (a new settlement's id): one
    INSERT and one UPDATE, no check first (`core.rows`: inside `together()` they run at its end). A repeated
    reference is refused by the unique constraint (IntegrityError: the caller's transaction rolls back)."""
    if account not in ACCOUNTS:
        raise ValueError(f"unknown account {account!r}")
    now = timezone.now()
    insert_row(AccountMovement, id_number=id_number, account=account, kind=kind, day=day, month=None,
               amount_fen=amount_fen, ledger_entry_id=None, source_ref=source_ref, created_at=now)
    write(f"UPDATE {AccountBalance._meta.db_table} SET balance_fen = balance_fen + %s, updated_at = %s "
          f"WHERE id_number = %s AND account = %s",
          [amount_fen, connection.ops.adapt_datetimefield_value(now), id_number, account],
          rows=1, error=lambda: AccountBalance.DoesNotExist(f"no {account} balance row to move"))


class RatesCache:
    """Contribution rates by (year, district), read once each."""

    def __init__(self):
        self._rates: dict[tuple[int, str], object] = {}

    def __call__(self, year: int, district_code: str):
        key = (year, district_code)
        if key not in self._rates:
            self._rates[key] = contribution_rates(year, district_code)
        return self._rates[key]


def entry_credits(entry: LedgerEntry, *, district_code: str, rates=None) -> dict[str, int]:
    """What a ledger row credits when paid: {"pension": fen} or {"medical": fen} (nothing for other types)."""
    if entry.insurance_type not in CREDITED_TYPES:
        return {}
    rates = rates or contribution_rates(entry.month.year, district_code)
    return account_credits(insurance_type=entry.insurance_type, base_fen=entry.base_fen,
                           employee_fen=entry.employee_fen, rates=rates)


def credit_paid_rows(entries: Iterable, *, day: date, district_code: str) -> int:
    """Credit the personal accounts of paid ledger rows (LedgerEntry or `ledger.Appended`; others are skipped), in
    the caller's transaction, in bulk; returns the movements written (a row already credited is skipped)."""
    rates = RatesCache()
    movements = []
    for entry in entries:
        if entry.status != LedgerEntry.Status.PAID:
            continue
        for account, amount in entry_credits(entry, district_code=district_code,
                                             rates=rates(entry.month.year, district_code)).items():
            movements.append(Movement(entry.id_number, account, AccountMovement.Kind.CONTRIBUTION, day, amount,
                                      month=entry.month, ledger_entry_id=entry.pk))
    return credit_many(movements)


class Movement(NamedTuple):
    """A movement for `credit_many`."""

    id_number: str
    account: str
    kind: str
    day: date
    amount_fen: int
    month: date | None = None
    ledger_entry_id: int | None = None
    source_ref: str = ""


BATCH = 1000  # rows per statement: 9,000 parameters, well under SQLite's and PostgreSQL's limits


def credit_many(movements: Iterable[Movement]) -> int:
    """Append movements and move their running balances, in the caller's transaction (atomic on its own), with a
    few statements per thousand movements. A movement whose ledger row or reference already moved its account
    is not written (the unique constraints of `AccountMovement`: ON CONFLICT DO NOTHING) and moves nothing.
    Returns the movements written."""
    movements = list(movements)
    if not movements:
        return 0
    table = AccountMovement._meta.db_table
    ops = connection.ops
    now = timezone.now()
    created_at = ops.adapt_datetimefield_value(now)
    moved: dict[tuple[str, str], int] = defaultdict(int)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(movements), BATCH):
            batch = movements[start:start + BATCH]
            for movement in batch:
                if movement.account not in ACCOUNTS:
                    raise ValueError(f"unknown account {movement.account!r}")
            params: list = []
            for m in batch:
                params += [m.id_number, m.account, m.kind, ops.adapt_datefield_value(m.day),
                           ops.adapt_datefield_value(m.month), m.amount_fen, m.ledger_entry_id, m.source_ref,
                           created_at]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} (id_number, account, kind, day, month, amount_fen, ledger_entry_id, "
                f"source_ref, created_at) VALUES {values} ON CONFLICT DO NOTHING "
                f"RETURNING id_number, account, amount_fen", params)
            for id_number, account, amount in cursor.fetchall():
                moved[(id_number, account)] += amount
                written += 1
        _move_balances(cursor, moved, created_at)
    return written


def _move_balances(cursor, moved: dict[tuple[str, str], int], updated_at) -> None:
    """Add each account's total to its running balance (the row created when missing), in account order (two
    transactions crediting the same accounts lock them in the same order)."""
    table = AccountBalance._meta.db_table
    keys = sorted(moved)
    for start in range(0, len(keys), BATCH):
        batch = keys[start:start + BATCH]
        params: list = []
        for id_number, account in batch:
            params += [id_number, account, moved[(id_number, account)], updated_at]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
        cursor.execute(
            f"INSERT INTO {table} (id_number, account, balance_fen, updated_at) VALUES {values} "
            f"ON CONFLICT (id_number, account) DO UPDATE SET balance_fen = {table}.balance_fen + "
            f"excluded.balance_fen, updated_at = excluded.updated_at", params)


# --- Interest ------------------------------------------------------------------------------------------------

def interest_ref(year: int) -> str:
    return f"interest:{year}"


def credit_interest(*, year: int, actor=None) -> int:
    """Credit each pension and medical account with the year's interest on its balance at 1 January of `year`
    (credits of the year earn from the next year), on 31 December, at the province's rates of the year.
    Idempotent: an account already credited for the year is skipped. Returns the movements written."""
    rates = contribution_rates(year, "")
    rate_of = {AccountMovement.Account.PENSION: rates.pension_interest_bp,
               AccountMovement.Account.MEDICAL: rates.medical_interest_bp}
    opening = (AccountMovement.objects.filter(day__lt=date(year, 1, 1))
               .values_list("id_number", "account").annotate(total=Sum("amount_fen"))
               .values_list("id_number", "account", "total").order_by())
    credits = []
    for id_number, account, total in opening:
        amount = interest(total or 0, rate_of.get(account, 0))
        if amount > 0:
            credits.append(Movement(id_number, account, AccountMovement.Kind.INTEREST, date(year, 12, 31), amount,
                                    source_ref=interest_ref(year)))
    with transaction.atomic():
        written = credit_many(credits)
        record_event(event_type="records.interest_credited", actor=actor, subject_type="year",
                     subject_id=str(year), data={"movements": written})
    return written


# --- Reads ---------------------------------------------------------------------------------------------------

def balance_on(id_number: str, account: str, day: date) -> int:
    """The balance of an account at the end of `day`, from its movements."""
    return (AccountMovement.objects.filter(id_number=id_number, account=account, day__lte=day)
            .aggregate(total=Sum("amount_fen"))["total"] or 0)


# --- Reconciliation ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mismatch:
    kind: str  # "balance", "missing_credit", "credit_without_row", "credit_amount"
    id_number: str
    account: str
    expected_fen: int
    found_fen: int
    detail: str = ""

    def line(self) -> str:
        return (f"{self.kind} {mask_id_number(self.id_number)} {self.account}: expected {self.expected_fen} fen, "
                f"found {self.found_fen} fen {self.detail}").rstrip()


def reconcile() -> list[Mismatch]:
    """Every running balance against the sum of its movements; every paid pension or medical ledger record
    against its credits (contribution and correction movements), and no credit without a paid row."""
    from .models import Employer

    mismatches: list[Mismatch] = []
    sums = {(i, a): t for i, a, t in AccountMovement.objects.values_list("id_number", "account")
            .annotate(t=Sum("amount_fen")).values_list("id_number", "account", "t").order_by()}
    balances = {(i, a): b for i, a, b in AccountBalance.objects.values_list("id_number", "account", "balance_fen")}
    for key in sorted(set(sums) | set(balances)):
        if sums.get(key, 0) != balances.get(key, 0):
            mismatches.append(Mismatch("balance", key[0], key[1], sums.get(key, 0), balances.get(key, 0)))

    # The ledger against the credits, person by person: both streams are read in ID number order (ID numbers are
    # digits and X, which every collation sorts alike), so memory holds one person's rows at a time.
    districts = dict(Employer.objects.values_list("pk", "district_code"))
    rates = RatesCache()
    rows = groupby(LedgerEntry.objects.filter(insurance_type__in=CREDITED_TYPES).order_by("id_number")
                   .values_list("id_number", "id", "employer_id", "month", "insurance_type", "base_fen",
                                "employee_fen", "status", "version").iterator(chunk_size=10_000),
                   key=itemgetter(0))
    movements = groupby(AccountMovement.objects.filter(kind__in=LEDGER_KINDS, ledger_entry_id__isnull=False)
                        .order_by("id_number").values_list("id_number", "account", "ledger_entry_id", "amount_fen")
                        .iterator(chunk_size=10_000), key=itemgetter(0))
    next_rows, next_movements = next(rows, None), next(movements, None)
    while next_rows is not None or next_movements is not None:
        person_rows: list = []
        person_movements: list = []
        if next_movements is None or (next_rows is not None and next_rows[0] <= next_movements[0]):
            person = next_rows[0]
            person_rows = list(next_rows[1])
            next_rows = next(rows, None)
        else:
            person = next_movements[0]
        if next_movements is not None and next_movements[0] == person:
            person_movements = list(next_movements[1])
            next_movements = next(movements, None)
        mismatches.extend(_reconcile_person(person, person_rows, person_movements, districts, rates))
    return mismatches


def _reconcile_person(id_number, rows, movements, districts, rates) -> list[Mismatch]:
    """One person's paid ledger records against their credits: for each (employer, month, type) key the credits
    of all its versions must add up to what the current version credits when it is paid (nothing otherwise)."""
    credited: dict[tuple[str, int], int] = defaultdict(int)
    for _id_number, account, entry_id, amount in movements:
        credited[(account, entry_id)] += amount
    by_key: dict[tuple, list] = defaultdict(list)
    for row in rows:
        by_key[(row[2], row[3], row[4])].append(row)
    found_rows: set[tuple[str, int]] = set()
    result = []
    for versions in by_key.values():
        _id, pk, employer_id, month, insurance_type, base_fen, employee_fen, status, _version = max(
            versions, key=itemgetter(8))
        account = insurance_type
        found = 0
        for row in versions:
            if (account, row[1]) in credited:
                found += credited[(account, row[1])]
                found_rows.add((account, row[1]))
        expected = 0
        if status == LedgerEntry.Status.PAID:
            district = districts.get(employer_id, "")
            expected = account_credits(insurance_type=insurance_type, base_fen=base_fen, employee_fen=employee_fen,
                                       rates=rates(month.year, district)).get(account, 0)
        if expected != found:
            kind = "missing_credit" if found == 0 else ("credit_without_row" if expected == 0 else "credit_amount")
            result.append(Mismatch(kind, id_number, account, expected, found, f"(ledger row {pk}, {month:%Y-%m})"))
    for (account, entry_id), amount in credited.items():
        if (account, entry_id) not in found_rows:
            result.append(Mismatch("credit_without_row", id_number, account, 0, amount, f"(no ledger row {entry_id})"))
    return result


# --- Benefits ------------------------------------------------------------------------------------------------

def record_benefit(*, id_number: str, benefit_type: str, period_start: date, period_end: date, amount_fen: int,
                   source_type: str, source_ref: str) -> BenefitRecord:
    """Append a benefit enjoyed, once per (source_type, source_ref): a repeated call returns the first record.
    The caller (e.g. the medical settlement) audits its own action."""
    existing = BenefitRecord.objects.filter(source_type=source_type, source_ref=source_ref).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return BenefitRecord.objects.create(
                id_number=id_number, benefit_type=benefit_type, period_start=period_start, period_end=period_end,
                amount_fen=amount_fen, source_type=source_type, source_ref=source_ref, created_at=timezone.now())
    except IntegrityError:  # recorded a moment ago
        return BenefitRecord.objects.get(source_type=source_type, source_ref=source_ref)


def append_benefit(*, id_number: str, benefit_type: str, day: date, amount_fen: int, source_type: str,
                   source_ref: str) -> None:
    """`record_benefit` of one day for a reference never used before (a new settlement's id): one INSERT, no
    check first; the unique constraint refuses a repeat (IntegrityError)."""
    insert_row(BenefitRecord, id_number=id_number, benefit_type=benefit_type, period_start=day, period_end=day,
               amount_fen=amount_fen, source_type=source_type, source_ref=source_ref, created_at=timezone.now())


def current_balance(id_number: str, account: str, *, for_update: bool = False) -> int:
    """The running balance of an account now (0 when it never moved); `for_update` locks its row (inside a
    transaction) so that no other debit runs until the caller's transaction ends."""
    rows = AccountBalance.objects.filter(id_number=id_number, account=account)
    if for_update:
        rows = rows.select_for_update()
    found = list(rows.values_list("balance_fen", flat=True)[:1])
    return found[0] if found else 0
