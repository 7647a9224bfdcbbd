"""Card events for the banks, through the outbox (issue 12): every state change that matters to the card's bank
(loss, its withdrawal, formal loss, replacement, cancellation) is written as a `BankCardEvent` in the same
transaction as the change (`effects.after_state_change`), so it is never lost when the bank or the broker is
down. An http bank gets it pushed by the `deliver_bank_event` task after the commit, retried with backoff (1 min,
2, 4 ... at most 1 h) by the beat sweeper until the bank acknowledges it; after BANK_EVENT_MAX_ATTEMPTS it is
flagged failed for staff. A file-exchange bank gets it in the day's outgoing file and acknowledges it with an
ack file (both on the staff page). A change the bank itself reported (channel bank) is not echoed back.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.casework import selectors as case_selectors
from sscard.casework.lines import ImportRejected, LineError, read_csv, write_csv
from sscard.casework.services.base import ImportResult
from sscard.core.errors import DomainError
from sscard.domain import bank_events

from .bank_events import registry
from .bank_events.base import DeliveryError
from .bank_events.file_exchange import ACK_HEADER, OUTGOING_HEADER, FileExchangeAdapter
from .models import BankCardEvent

logger = logging.getLogger(__name__)

# A swept event is not swept again for this long (its task is running, or was lost).
SWEEP_CLAIM = timedelta(minutes=5)
SWEEP_BATCH = 500

MSG_UNKNOWN_EVENT = gettext_noop("The bank acknowledged an event that does not exist: %(value)s.")
MSG_BAD_EVENT_ID = gettext_noop("\"%(value)s\" is not an event ID.")


class BankEventError(DomainError):
    """A bank's message refused (`code`: unknown_event, unknown_card, replay, ...); nothing changed."""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def record_outgoing_event(*, card, from_state: str, to_state: str, channel: str, at: datetime) -> BankCardEvent | None:
    """Write the event the card's bank is told about (inside the state change's transaction), and hand it to
    the delivery task once the transaction commits (for a bank whose adapter pushes). None: nothing for the
    bank in this change."""
    kind = bank_events.outgoing_kind(from_state, to_state, channel)
    if kind is None:
        return None
    adapter = registry.adapter_for(card.bank)
    event_id = uuid.uuid4()
    payload = {"event_id": str(event_id), "kind": kind, "bank_code": card.bank.code,
               "card_number": card.card_number, "bank_account": card.bank_account, "occurred_at": _iso(at),
               "from_state": from_state, "to_state": to_state}
    event = BankCardEvent.objects.create(event_id=event_id, card=card, bank=card.bank, adapter=adapter.identifier,
                                         kind=kind, payload=payload, created_at=at, next_attempt_at=at)
    if adapter.pushes:
        transaction.on_commit(lambda: enqueue(event.pk), robust=True)
    return event


def enqueue(event_pk: int) -> bool:
    """Hand one event to the delivery task (in-process without a broker). An unreachable broker is logged and
    otherwise ignored: the event stays pending for the sweeper."""
    from .tasks import deliver_bank_event

    try:
        deliver_bank_event.apply_async(args=[event_pk])
    except Exception as error:  # noqa: BLE001 - kombu/redis raise many kinds; the outbox row is the safety net
        logger.warning("bank event %s not queued (%s): the sweeper will retry it", event_pk, type(error).__name__)
        return False
    return True


def attempt_delivery(event_pk: int) -> str:
    """One attempt to deliver a pending event, under a row lock (two tasks never both send it; a task that runs
    twice skips an event no longer pending). Returns "acknowledged", "retry", "failed" or "skipped"."""
    with transaction.atomic():
        event = (BankCardEvent.objects.select_for_update(skip_locked=True).select_related("bank")
                 .filter(pk=event_pk, status=BankCardEvent.Status.PENDING).first())
        if event is None:
            return "skipped"
        adapter = registry.get(event.adapter)
        if not adapter.pushes:
            return "skipped"
        now = timezone.now()
        event.attempts += 1
        try:
            adapter.deliver(event)
        except DeliveryError as error:
            event.last_error = str(error)[:300]
            limit = settings.BANK_EVENT_MAX_ATTEMPTS
            given_up = bool(limit) and event.attempts >= limit
            event.status = BankCardEvent.Status.FAILED if given_up else BankCardEvent.Status.PENDING
            event.next_attempt_at = now + timedelta(seconds=bank_events.backoff_seconds(event.attempts))
            event.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            if given_up:
                record_event(event_type="card.bank_event_failed", subject_type="card",
                             subject_id=event.payload["card_number"],
                             data={"event_id": str(event.event_id), "bank": event.bank.code,
                                   "attempts": event.attempts, "error": event.last_error})
                logger.error("bank event %s for %s given up after %d attempts: %s", event.event_id,
                             event.bank.code, event.attempts, event.last_error)
                return "failed"
            logger.warning("bank event %s for %s not delivered (attempt %d, next in %d s): %s", event.event_id,
                           event.bank.code, event.attempts, bank_events.backoff_seconds(event.attempts),
                           event.last_error)
            return "retry"
        event.status = BankCardEvent.Status.ACKNOWLEDGED
        event.sent_at = event.acknowledged_at = now
        event.last_error = ""
        event.save(update_fields=["attempts", "status", "sent_at", "acknowledged_at", "last_error"])
    return "acknowledged"


def sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Beat, every minute: hand every pending event of a pushing adapter whose next attempt is due to the task
    (again). Returns how many were queued."""
    now = now or timezone.now()
    due = BankCardEvent.objects.filter(status=BankCardEvent.Status.PENDING, adapter__in=registry.pushing_ids(),
                                       next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    BankCardEvent.objects.filter(pk__in=ids, status=BankCardEvent.Status.PENDING).update(
        next_attempt_at=now + SWEEP_CLAIM)
    return sum(1 for pk in ids if enqueue(pk))


def acknowledge(*, bank, event_id: str, via: str, actor=None, request=None) -> bool:
    """The bank acknowledges one of its events (an ack callback or a line of an ack file): True if this marked
    it acknowledged, False if it already was. `BankEventError("unknown_event")` if the bank has no such
    event; nothing changes then."""
    try:
        parsed = uuid.UUID(str(event_id))
    except ValueError:
        raise BankEventError("unknown_event", MSG_UNKNOWN_EVENT, {"value": str(event_id)[:40]}) from None
    with transaction.atomic():
        event = BankCardEvent.objects.select_for_update().filter(bank=bank, event_id=parsed).first()
        if event is None:
            raise BankEventError("unknown_event", MSG_UNKNOWN_EVENT, {"value": str(parsed)})
        if event.status == BankCardEvent.Status.ACKNOWLEDGED:
            return False
        now = timezone.now()
        event.status = BankCardEvent.Status.ACKNOWLEDGED
        event.acknowledged_at = now
        event.sent_at = event.sent_at or now
        event.save(update_fields=["status", "acknowledged_at", "sent_at"])
        record_event(event_type="card.bank_event_acknowledged", actor=actor, request=request, subject_type="card",
                     subject_id=event.payload["card_number"],
                     data={"event_id": str(event.event_id), "bank": bank.code, "via": via})
    return True


# --- File exchange: the day's outgoing file and the bank's ack file (staff page) -----------------------------

def visible_events(staff):
    """The gate to bank card events: those of cards whose case is in the staff member's areas."""
    return BankCardEvent.objects.filter(card__application__in=case_selectors.cases_visible_to(staff).values("pk"))


def outgoing_file(*, staff, bank, day: date) -> tuple[str, bytes]:
    """The bank's outgoing file of `day` (file-exchange events created that day, of the staff member's cards;
    formulas escaped). Downloading it marks its pending events sent; downloading it again gives the same
    file."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    events = list(visible_events(staff).filter(bank=bank, adapter=FileExchangeAdapter.identifier,
                                               created_at__gte=start, created_at__lt=start + timedelta(days=1))
                  .order_by("created_at", "pk"))
    with transaction.atomic():
        pending = [e.pk for e in events if e.status == BankCardEvent.Status.PENDING]
        if pending:
            BankCardEvent.objects.filter(pk__in=pending, status=BankCardEvent.Status.PENDING).update(
                status=BankCardEvent.Status.SENT, sent_at=timezone.now())
    rows = [FileExchangeAdapter.outgoing_row(event) for event in events]
    return f"{bank.code}-card-events-{day.isoformat()}.csv", write_csv(OUTGOING_HEADER, rows)


def import_ack_file(*, staff, bank, data: bytes, request=None) -> ImportResult:
    """The bank's ack file: every line an event id of this bank (among the staff member's cards). All or
    nothing: an unknown id rejects the file with its line."""
    lines = read_csv(data, ACK_HEADER)
    visible = visible_events(staff).filter(bank=bank)
    errors, ids = [], []
    for line, (value,) in lines:
        try:
            parsed = uuid.UUID(value)
        except ValueError:
            errors.append(LineError(line, MSG_BAD_EVENT_ID, {"value": value[:40]}))
            continue
        if not visible.filter(event_id=parsed).exists():
            errors.append(LineError(line, MSG_UNKNOWN_EVENT, {"value": str(parsed)}))
            continue
        ids.append(parsed)
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        for parsed in ids:
            if acknowledge(bank=bank, event_id=str(parsed), via="file", actor=staff, request=request):
                result.applied += 1
            else:
                result.unchanged += 1
    return result
