"""Everything that writes statements: a person's statements of a year (`make_statements`, the one way a
statement row is written), the on-demand statement, the yearly batch (plan, chunks, resume).

Idempotent by construction: a statement is unique per (person, year, kind); `make_statements` skips the persons
that have one and inserts the rest with ON CONFLICT DO NOTHING, so a chunk run twice (a worker lost after its
commit, a resumed batch, two workers) makes no second statement and tells nobody twice. A chunk writes its
statements, their messages and its own state in one transaction: a crash leaves it `pending`, whole."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain import statement as rules
from sscard.notify.services import post_message, send_sms_to_user
from sscard.notify.texts import Text

from .. import ledger
from ..ledger_models import AccountMovement, BenefitRecord, LedgerEntry
from ..models import Enrolment
from ..roles import perm
from ..services import RecordsError
from . import keys
from .models import Statement, StatementBatch, StatementChunk

SUBJECT_READY = gettext_noop("Your social insurance statement of %(year)s")
BODY_READY = gettext_noop("Your free statement of your social insurance rights record for %(year)s is ready "
                          "(number %(serial)s). Download it under My statements. If a figure is wrong, you can "
                          "object at the social insurance agency.")
SMS_READY = gettext_noop("Your social insurance statement of %(year)s is ready: download it in your personal "
                         "space, My statements.")
MSG_PERMISSION = gettext_noop("Your role does not allow this action.")
MSG_YEAR = gettext_noop("Statements are made for a year that has ended.")
MSG_NO_RECORDS = gettext_noop("You have no social insurance record in this year.")
MSG_NOT_CITIZEN = gettext_noop("Only a citizen with a real-name account has statements.")

MINE_LINK = "/records/statements/"


class StatementError(RecordsError):
    """A refused statement action (nothing written)."""


def persons_of_year(year: int):
    """The ID numbers of everyone enrolled at any time in `year`, sorted (a queryset: streamed by the planner)."""
    return (Enrolment.objects.filter(start_month__lte=date(year, 12, 1))
            .filter(Q(end_month__isnull=True) | Q(end_month__gte=date(year, 1, 1)))
            .order_by("id_number").values_list("id_number", flat=True).distinct())


def _serial(year: int, kind: str) -> str:
    """Statement number: the year, Y (yearly) or D (on demand), 10 random hexadecimal characters (40 bits)."""
    return f"{year}{'Y' if kind == Statement.Kind.YEARLY else 'D'}{secrets.token_hex(8).upper()[:10]}"


@dataclass
class _PersonRows:
    name: str = ""
    entries: list | None = None
    movements: list | None = None
    benefits: list | None = None


def _gather(id_numbers: list[str], year: int) -> dict[str, _PersonRows]:
    """The rows of many persons in four queries (each on an index that starts with the ID number)."""
    people = {id_number: _PersonRows(entries=[], movements=[], benefits=[]) for id_number in id_numbers}
    for id_number, name in (Enrolment.objects.filter(id_number__in=id_numbers)
                            .order_by("id_number", "start_month", "pk").values_list("id_number", "name")):
        people[id_number].name = name  # the latest enrolment's name
    rows = (LedgerEntry.objects.filter(id_number__in=id_numbers, month__lt=date(year + 1, 1, 1))
            .values_list("id_number", "employer_id", "month", "insurance_type", "status", "employer_fen",
                         "employee_fen", "version", named=True))
    for row in ledger.current(rows):
        people[row.id_number].entries.append(
            rules.Entry(row.month, row.insurance_type, row.status, row.employer_fen, row.employee_fen))
    for id_number, account, kind, day, amount in (
            AccountMovement.objects.filter(id_number__in=id_numbers, day__lte=date(year, 12, 31))
            .values_list("id_number", "account", "kind", "day", "amount_fen")):
        people[id_number].movements.append(rules.Movement(account, kind, day, amount))
    for id_number, benefit_type, start, amount in (
            BenefitRecord.objects.filter(id_number__in=id_numbers, period_start__gte=date(year, 1, 1),
                                         period_start__lte=date(year, 12, 31))
            .values_list("id_number", "benefit_type", "period_start", "amount_fen")):
        people[id_number].benefits.append(rules.Benefit(benefit_type, start, amount))
    return people


def make_statements(*, id_numbers: list[str], year: int, kind: str = Statement.Kind.YEARLY, batch=None,
                    today: date | None = None, notify: bool = True) -> list[Statement]:
    """The statements of `year` of the persons who have none of this kind yet; each new one's person is told
    (in-site message and SMS in their language) when they have an account. Returns the statements written.
    Call inside a transaction (the chunk's or the request's)."""
    today = today or timezone.localdate()
    have = set(Statement.objects.filter(id_number__in=id_numbers, year=year, kind=kind)
               .values_list("id_number", flat=True))
    todo = [id_number for id_number in id_numbers if id_number not in have]
    if not todo:
        return []
    store = keys.key_store()
    now = timezone.now()
    made = []
    for id_number, rows in _gather(todo, year).items():
        serial = _serial(year, kind)
        contents = rules.build_contents(serial=serial, kind=kind, year=year, issued_on=today, id_number=id_number,
                                        name=rows.name, entries=rows.entries, movements=rows.movements,
                                        benefits=rows.benefits)
        code, signature = rules.sign(contents, store.private_key, store.kid)
        made.append(Statement(id_number=id_number, year=year, kind=kind, serial=serial,
                              contents=rules.canonical_bytes(contents), kid=store.kid, signature=signature,
                              code=code, batch=batch, created_at=now))
    # Rows inserted with ON CONFLICT DO NOTHING get no primary key back: the serials tell which were written.
    Statement.objects.bulk_create(made, ignore_conflicts=True, batch_size=1000)
    written = {serial for serial in Statement.objects.filter(serial__in=[s.serial for s in made])
               .values_list("serial", flat=True)}
    made = [statement for statement in made if statement.serial in written]
    if notify and made:
        _tell(made)
    return made


def _tell(made: list[Statement]) -> None:
    serials = {statement.id_number: statement for statement in made}
    for user in get_user_model().objects.filter(id_number__in=list(serials), is_active=True):
        statement = serials[user.id_number]
        params = {"year": statement.year, "serial": statement.serial}
        post_message(user=user, subject=Text(SUBJECT_READY, params), body=Text(BODY_READY, params), link=MINE_LINK)
        send_sms_to_user(user=user, purpose="records_statement", text=Text(SMS_READY, params))


def request_statement(*, user, year: int, request=None, today: date | None = None) -> Statement:
    """A statement on request for a year that has ended (the one made before when there is one)."""
    today = today or timezone.localdate()
    id_number = getattr(user, "id_number", "") or ""
    if not id_number:
        raise StatementError("not_citizen", MSG_NOT_CITIZEN)
    if year >= today.year or year < 1990:
        raise StatementError("year", MSG_YEAR, field="year")
    if not LedgerEntry.objects.filter(id_number=id_number, month__gte=date(year, 1, 1),
                                      month__lte=date(year, 12, 1)).exists():
        raise StatementError("no_records", MSG_NO_RECORDS, field="year")
    with transaction.atomic():
        made = make_statements(id_numbers=[id_number], year=year, kind=Statement.Kind.ON_DEMAND, today=today,
                               notify=False)
        statement = Statement.objects.get(id_number=id_number, year=year, kind=Statement.Kind.ON_DEMAND)
        if made:
            record_event(event_type="records.statement_requested", actor=user, request=request,
                         subject_type="statement", subject_id=statement.serial, data={"year": year})
    return statement


# --- The yearly batch -------------------------------------------------------------------------------------

def _check_staff(staff) -> None:
    if not staff.has_perm(perm("run_statements")):
        raise StatementError("permission", MSG_PERMISSION)


def start_batch(*, staff, year: int, request=None, today: date | None = None,
                chunk_size: int | None = None) -> StatementBatch:
    """Plan the batch of `year` (its chunks) and queue its chunks; for a year already started, queue its chunks
    not done (a resume)."""
    _check_staff(staff)
    today = today or timezone.localdate()
    if year >= today.year or year < 1990:
        raise StatementError("year", MSG_YEAR, field="year")
    chunk_size = chunk_size or settings.STATEMENT_CHUNK_SIZE
    with transaction.atomic():
        batch, created = StatementBatch.objects.select_for_update().get_or_create(
            year=year, defaults={"started_by": staff, "started_at": timezone.now(), "chunk_size": chunk_size})
        if created:
            _plan(batch)
        record_event(event_type="records.statements_started" if created else "records.statements_resumed",
                     actor=staff, request=request, subject_type="statement_batch", subject_id=str(year),
                     data={"persons": batch.persons, "chunks": batch.chunks})
        transaction.on_commit(lambda: queue_pending(batch.pk), robust=True)
    return batch


def _plan(batch: StatementBatch) -> None:
    chunks, current = [], []

    def close():
        chunks.append(StatementChunk(batch=batch, number=len(chunks) + 1, first_id=current[0],
                                     last_id=current[-1], persons=len(current)))

    persons = 0
    for id_number in persons_of_year(batch.year).iterator(chunk_size=10_000):
        current.append(id_number)
        persons += 1
        if len(current) == batch.chunk_size:
            close()
            current = []
        if len(chunks) >= 1000:
            StatementChunk.objects.bulk_create(chunks)
            batch.chunks += len(chunks)
            chunks = []
    if current:
        close()
    StatementChunk.objects.bulk_create(chunks)
    batch.chunks += len(chunks)
    batch.persons = persons
    batch.state = StatementBatch.State.RUNNING if persons else StatementBatch.State.DONE
    batch.finished_at = None if persons else timezone.now()
    batch.save(update_fields=["chunks", "persons", "state", "finished_at"])


def queue_pending(batch_id: int) -> int:
    """Queue a task for each chunk of the batch not done (run in-process where there is no broker)."""
    from .tasks import make_chunk

    pending = list(StatementChunk.objects.filter(batch_id=batch_id, state=StatementChunk.State.PENDING)
                   .order_by("number").values_list("pk", flat=True))
    for chunk_id in pending:
        make_chunk.delay(chunk_id)
    return len(pending)


def run_chunk(chunk_id: int, *, today: date | None = None) -> int:
    """Make the statements of one chunk (nothing when it is done already); returns how many it wrote."""
    with transaction.atomic():
        # Lock the chunk row only (`of`): the batch row joined in stays free for the other workers' chunks.
        chunk = StatementChunk.objects.select_for_update(of=("self",)).select_related("batch").get(pk=chunk_id)
        if chunk.state == StatementChunk.State.DONE:
            return 0
        batch = chunk.batch
        ids = list(persons_of_year(batch.year).filter(id_number__gte=chunk.first_id, id_number__lte=chunk.last_id))
        made = make_statements(id_numbers=ids, year=batch.year, batch=batch, today=today)
        chunk.state, chunk.made, chunk.finished_at = StatementChunk.State.DONE, len(made), timezone.now()
        chunk.attempts += 1
        chunk.save(update_fields=["state", "made", "finished_at", "attempts"])
    if not StatementChunk.objects.filter(batch_id=batch.pk, state=StatementChunk.State.PENDING).exists():
        StatementBatch.objects.filter(pk=batch.pk, state=StatementBatch.State.RUNNING).update(
            state=StatementBatch.State.DONE, finished_at=timezone.now())
    return len(made)


@dataclass(frozen=True)
class Progress:
    batch: StatementBatch
    persons_done: int
    chunks_done: int
    made: int
    per_second: float | None
    estimated_end: object  # datetime or None

    @property
    def percent(self) -> int:
        return int(100 * self.persons_done / self.batch.persons) if self.batch.persons else 100


def progress(batch: StatementBatch, *, now=None) -> Progress:
    now = now or timezone.now()
    done = (StatementChunk.objects.filter(batch=batch, state=StatementChunk.State.DONE)
            .aggregate(persons=Sum("persons"), made=Sum("made")))
    chunks_done = StatementChunk.objects.filter(batch=batch, state=StatementChunk.State.DONE).count()
    persons_done, made = done["persons"] or 0, done["made"] or 0
    end = batch.finished_at or now
    seconds = (end - batch.started_at).total_seconds()
    rate = persons_done / seconds if persons_done and seconds > 0 else None
    remaining = batch.persons - persons_done
    estimated = (now + timezone.timedelta(seconds=remaining / rate)
                 if rate and remaining > 0 and batch.state == StatementBatch.State.RUNNING else None)
    return Progress(batch, persons_done, chunks_done, made, rate, estimated)
