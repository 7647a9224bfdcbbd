"""What the banks tell us (issue 12): a loss reported at the bank suspends the card here too ("一方挂失，双方共享"),
a withdrawal at the bank puts it back in use, through `change_card_state(..., channel=bank)` (the change is
not echoed back to the bank); the holder is told by SMS in their language. The same service serves the HTTP
callback (`sscard.cards.api`) and the bank's events file (staff page). An unknown bank, card or kind of event
and a replayed event id are each refused with their own code, and nothing changes.

The daily freeze reconciliation compares a bank's list of frozen cards (a file staff upload, or fetched by
the http adapter every day) with our cards of that bank in a lost state and keeps the differences for staff.
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.casework import selectors as case_selectors
from sscard.casework.lines import MSG_ENCODING, MSG_HEADER, ImportRejected, LineError, read_csv
from sscard.casework.services.base import ImportResult
from sscard.domain import bank_events
from sscard.domain.cardstates import Channel
from sscard.notify.services import send_sms_to_user
from sscard.notify.texts import Text
from sscard.reference.models import PartnerBank

from .bank_events import registry
from .bank_events.base import DeliveryError
from .bank_events.file_exchange import FROZEN_HEADER, INCOMING_HEADER
from .bank_outbox import BankEventError
from .models import BankReconciliation, Card, IncomingBankEvent, ReconciliationDifference
from .services import CardError, change_card_state

logger = logging.getLogger(__name__)

MSG_UNKNOWN_CARD = gettext_noop("No card of this bank has the number %(value)s.")
MSG_UNKNOWN_KIND = gettext_noop("\"%(value)s\" is not an event a bank may send (loss or loss_withdrawn).")
MSG_REPLAY = gettext_noop("The event %(value)s has already been received.")
MSG_BAD_EVENT_ID = gettext_noop("\"%(value)s\" is not an event ID.")
MSG_BAD_TIME = gettext_noop("\"%(value)s\" is not a date and time (ISO 8601, with its time zone).")
MSG_DUPLICATE = gettext_noop("The card %(value)s appears more than once in the file.")

SMS_BANK_LOSS = gettext_noop("Social security card %(number)s: your bank has reported the card lost; it is "
                             "blocked here too. To use it again, withdraw the loss report at the bank or online.")
SMS_BANK_WITHDRAWN = gettext_noop("Social security card %(number)s: the loss report was withdrawn at your bank; "
                                  "the card can be used again.")
SMS = {bank_events.Kind.LOSS: SMS_BANK_LOSS, bank_events.Kind.LOSS_WITHDRAWN: SMS_BANK_WITHDRAWN}
REASON = {bank_events.Kind.LOSS: "loss reported at the bank", bank_events.Kind.LOSS_WITHDRAWN: "loss withdrawn at the bank"}


def receive_event(*, bank: PartnerBank, event_id: str, kind: str, card_number: str,
                  occurred_at: datetime | None = None, source: str, actor=None, request=None) -> Card:
    """Apply one event a bank sent: move the card (channel bank), remember the event id, tell the holder.
    Refusals (`BankEventError` or the state machine's `CardError`) change nothing."""
    try:
        parsed = uuid.UUID(str(event_id))
    except ValueError:
        raise BankEventError("bad_event_id", MSG_BAD_EVENT_ID, {"value": str(event_id)[:40]}) from None
    to_state = bank_events.incoming_target(kind)
    if to_state is None:
        raise BankEventError("unknown_event_kind", MSG_UNKNOWN_KIND, {"value": str(kind)[:24]})
    card = Card.objects.filter(bank=bank, card_number=card_number).select_related("holder").first()
    if card is None:
        raise BankEventError("unknown_card", MSG_UNKNOWN_CARD, {"value": str(card_number)[:20]})
    if IncomingBankEvent.objects.filter(bank=bank, event_id=parsed).exists():
        raise BankEventError("replay", MSG_REPLAY, {"value": str(parsed)})
    try:
        with transaction.atomic():
            IncomingBankEvent.objects.create(event_id=parsed, bank=bank, card=card, kind=kind, source=source,
                                             occurred_at=occurred_at, received_at=timezone.now())
            card = change_card_state(card=card, to_state=to_state, actor=actor, channel=Channel.BANK,
                                     reason=REASON[kind], request=request)
            record_event(event_type="card.bank_event_received", actor=actor, request=request, subject_type="card",
                         subject_id=card.card_number,
                         data={"event_id": str(parsed), "bank": bank.code, "kind": kind, "via": source})
            send_sms_to_user(user=card.holder, purpose="card_loss",
                             text=Text(SMS[kind], {"number": card.card_number}))
    except IntegrityError:  # the same event id, received twice at the same moment
        raise BankEventError("replay", MSG_REPLAY, {"value": str(parsed)}) from None
    return card


def import_events_file(*, staff, bank: PartnerBank, data: bytes, request=None) -> ImportResult:
    """The bank's events file (losses and withdrawals reported at the bank). All or nothing: every line is
    checked first (its card among the staff member's cards, a known kind, a new event id, a change the card
    allows); one refused line rejects the file."""
    lines = read_csv(data, INCOMING_HEADER)
    visible = Card.objects.filter(bank=bank, application__in=case_selectors.cases_visible_to(staff).values("pk"))
    errors: list[LineError] = []
    parsed_lines = []
    for line, (event_id, kind, number, occurred) in lines:
        moment = parse_datetime(occurred) if occurred else None
        if occurred and (moment is None or moment.tzinfo is None):
            errors.append(LineError(line, MSG_BAD_TIME, {"value": occurred[:30]}))
            continue
        if not visible.filter(card_number=number).exists():
            errors.append(LineError(line, MSG_UNKNOWN_CARD, {"value": number[:20]}))
            continue
        parsed_lines.append((line, event_id, kind, number, moment))
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        for line, event_id, kind, number, moment in parsed_lines:
            try:
                receive_event(bank=bank, event_id=event_id, kind=kind, card_number=number, occurred_at=moment,
                              source="file", actor=staff, request=request)
            except (BankEventError, CardError) as error:
                errors.append(LineError(line, error.message, error.params))
                continue
            result.applied += 1
        if errors:
            raise ImportRejected(errors)  # rolls back the lines already applied
    return result


# --- Freeze reconciliation -------------------------------------------------------------------------------------

def read_frozen_file(data: bytes) -> set[str]:
    """The card numbers of a bank's frozen-cards file (header `card_number`; an empty list is a valid list)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([LineError(0, MSG_ENCODING)]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [cell.strip().lower() for cell in rows[0]] != FROZEN_HEADER:
        raise ImportRejected([LineError(1, MSG_HEADER, {"header": ",".join(FROZEN_HEADER)})])
    numbers: set[str] = set()
    errors = []
    for line, cells in enumerate(rows[1:], start=2):
        number = (cells[0] if cells else "").strip()
        if not number:
            continue
        if number in numbers:
            errors.append(LineError(line, MSG_DUPLICATE, {"value": number[:20]}))
        numbers.add(number)
    if errors:
        raise ImportRejected(errors)
    return numbers


def reconcile(*, bank: PartnerBank, frozen: set[str], source: str, actor=None, request=None) -> BankReconciliation:
    """Compare the bank's frozen cards with ours of that bank in a lost state; keep the differences of both
    kinds (every area: staff pages show each member only the cards of their areas)."""
    rows = list(Card.objects.filter(bank=bank).values_list("card_number", "pk", "state"))
    cards = {number: pk for number, pk, _state in rows}
    states = {number: state for number, _pk, state in rows}
    lost = {number for number, state in states.items() if state in bank_events.FROZEN_STATES}
    diff = bank_events.compare_freezes(frozen_at_bank=frozen, lost_here=lost, known_here=set(cards))
    with transaction.atomic():
        run = BankReconciliation.objects.create(bank=bank, ran_at=timezone.now(), source=source,
                                                frozen_count=len(frozen), unknown_count=len(diff.unknown))
        Kind = ReconciliationDifference.Kind
        ReconciliationDifference.objects.bulk_create(
            [ReconciliationDifference(reconciliation=run, card_id=cards[n], kind=Kind.FROZEN_ONLY_AT_BANK,
                                      state_here=states[n]) for n in diff.frozen_only_at_bank]
            + [ReconciliationDifference(reconciliation=run, card_id=cards[n], kind=Kind.LOST_ONLY_HERE,
                                        state_here=states[n]) for n in diff.lost_only_here])
        record_event(event_type="card.bank_reconciled", actor=actor, request=request, subject_type="bank",
                     subject_id=bank.code,
                     data={"via": source, "frozen": len(frozen), "frozen_only_at_bank": len(diff.frozen_only_at_bank),
                           "lost_only_here": len(diff.lost_only_here), "unknown": len(diff.unknown)})
    return run


def reconcile_http_banks() -> int:
    """Beat, daily: fetch the list of frozen cards of every bank whose adapter pushes, and reconcile. A bank
    that cannot be read is logged and left for the next day. Returns how many banks were reconciled."""
    done = 0
    for bank in PartnerBank.objects.all():
        adapter = registry.adapter_for(bank)
        if not adapter.pushes:
            continue
        try:
            frozen = adapter.fetch_frozen(bank)
        except DeliveryError as error:
            logger.warning("frozen cards of bank %s not read: %s", bank.code, error)
            continue
        reconcile(bank=bank, frozen=frozen, source="http")
        done += 1
    return done
