"""Bank pre-opening and card production batches: request files out, answer and result files in.

Every import checks every line first and applies all or nothing; the same file twice changes nothing.
Cards are made by `sscard.cards` (which sits above casework): the result import creates them through the
card issuer that the cards app registers when it loads (`set_card_issuer`), so casework never imports cards.
"""

from __future__ import annotations

from typing import Protocol

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.applications import photos
from sscard.applications.models import Application, CorrectionItem
from sscard.audit.services import record_event
from sscard.domain.casestates import State
from sscard.reference.models import Manufacturer

from .. import formats, selectors
from ..banks import registry as banks
from ..lines import ImportRejected, LineError
from ..models import BankExchange, BankExchangeItem, BatchItem, ProductionBatch
from ..services.base import (
    L_NOT_VISIBLE,
    CaseworkError,
    ImportResult,
    move,
    note_action,
    record_import_run,
    require,
    stage_label,
)
from . import selectors as production_selectors

MSG_NOTHING_TO_SEND = gettext_noop("No approved case is waiting for this bank.")
MSG_NOTHING_TO_BATCH = gettext_noop("No case is ready for production at this manufacturer.")
MSG_FILE_AREA = gettext_noop("This file holds cases outside your area.")
L_NOT_IN_EXCHANGE = gettext_noop("Office code %(code)s is not in this request.")
L_NOT_IN_BATCH = gettext_noop("Office code %(code)s is not in this batch.")
L_STAGE = gettext_noop("Case %(code)s is now at the stage \"%(stage)s\": it cannot take this answer.")
L_ANSWERED = gettext_noop("Case %(code)s already has a different answer from the bank.")
L_ACCOUNT_MISMATCH = gettext_noop("The bank account does not match the account the bank pre-opened for %(code)s.")
L_OTHER_CARD = gettext_noop("Case %(code)s already has card %(card)s; a different result cannot replace it.")
L_CARD_TAKEN = gettext_noop("Card number or card identifier already belongs to another card.")


class CardIssuer(Protocol):
    """What production needs from the cards app (registered by `sscard.cards` when it loads)."""

    def taken(self, *, card_numbers: set[str], chip_ids: set[str]) -> set[tuple[str, str, int]]:
        """(card number, chip id, application id) of the existing cards with one of these numbers or ids."""

    def create_sealed_card(self, *, application, card_number: str, chip_id: str, issue_date, expiry_date,
                           bank_account: str, manufacturer: str, actor=None, request=None):
        """Create the card the manufacturer made, sealed until the holder enables it."""


_issuer: CardIssuer | None = None


def set_card_issuer(issuer: CardIssuer) -> None:
    global _issuer
    _issuer = issuer


def card_issuer() -> CardIssuer:
    if _issuer is None:
        raise RuntimeError("no card issuer registered: is sscard.cards in INSTALLED_APPS?")
    return _issuer


# --- Bank pre-opening ---------------------------------------------------------------------------------------

def _number(prefix: str, model) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    count = model.objects.filter(number__startswith=f"{prefix}-{stamp}-").count()
    return f"{prefix}-{stamp}-{count + 1:04d}"


def export_bank_request(*, staff, bank, request=None) -> BankExchange:
    """Send every approved case of `bank` the member of staff can see in one request file."""
    require(staff, "bank_exchange")
    adapter = banks.adapter_for(bank)
    with transaction.atomic():
        cases = list(production_selectors.awaiting_bank(staff).filter(bank=bank).select_for_update(of=("self",))
                     .select_related("applicant"))
        if not cases:
            raise CaseworkError("empty", MSG_NOTHING_TO_SEND)
        exchange = BankExchange(number=_number("BK", BankExchange), bank=bank, adapter=adapter.identifier,
                                created_by=staff, created_at=timezone.now())
        name, content = adapter.build_request(exchange=exchange, applications=cases)
        exchange.request_sha256 = formats.sha256(content)
        exchange.save()
        BankExchangeItem.objects.bulk_create([BankExchangeItem(exchange=exchange, application=a) for a in cases])
        default_storage.save(_exchange_path(exchange), ContentFile(content))
        for application in cases:
            note_action(staff, application, "sent_to_bank", data={"exchange": exchange.number}, audit=False)
        record_event(event_type="casework.bank_request_exported", actor=staff, request=request,
                     subject_type="bank_exchange", subject_id=exchange.number,
                     data={"bank": bank.code, "cases": len(cases), "sha256": exchange.request_sha256,
                           "adapter": adapter.identifier})
    return exchange


def _exchange_path(exchange: BankExchange) -> str:
    return f"casework/bank/{exchange.number}-request.csv"


def read_bank_request(exchange: BankExchange) -> bytes:
    with default_storage.open(_exchange_path(exchange), "rb") as fh:
        return fh.read()


def import_bank_response(*, staff, exchange: BankExchange, data: bytes, request=None) -> ImportResult:
    """Apply the bank's answers: all lines or none; the same file again changes nothing."""
    require(staff, "bank_exchange")
    if not production_selectors.exchanges_visible_to(staff).filter(pk=exchange.pk).exists():
        raise CaseworkError("area", MSG_FILE_AREA)
    adapter = banks.get(exchange.adapter)
    answers = adapter.parse_response(data)
    result = ImportResult()
    with transaction.atomic():
        items = {item.application.office_code: item for item in
                 BankExchangeItem.objects.select_for_update(of=("self",)).filter(exchange=exchange).select_related("application")}
        visible = set(selectors.cases_visible_to(staff).filter(bank_items__exchange=exchange)
                      .values_list("office_code", flat=True))
        errors, todo = [], []
        for answer in answers:
            item = items.get(answer.office_code)
            code = answer.office_code
            if item is None:
                errors.append(LineError(answer.line, L_NOT_IN_EXCHANGE, {"code": code}))
                continue
            if code not in visible:
                errors.append(LineError(answer.line, L_NOT_VISIBLE, {"code": code}))
                continue
            wanted = BankExchangeItem.Outcome.OPENED if answer.opened else BankExchangeItem.Outcome.FAILED
            if item.outcome != BankExchangeItem.Outcome.PENDING:
                same = item.outcome == wanted and (item.account_number == answer.account_number if answer.opened
                                                   else item.reason == answer.reason)
                if same:
                    result.unchanged += 1
                else:
                    errors.append(LineError(answer.line, L_ANSWERED, {"code": code}))
                continue
            locked = Application.objects.select_for_update(of=("self",)).get(pk=item.application_id)
            if locked.state != State.BANK_PREOPENING:
                errors.append(LineError(answer.line, L_STAGE, {"code": code, "stage": stage_label(locked.state)}))
                continue
            todo.append((answer, item, locked, wanted))
        if errors:
            raise ImportRejected(errors)
        for answer, item, locked, wanted in todo:
            item.outcome = wanted
            item.account_number, item.reason = answer.account_number, answer.reason
            item.save(update_fields=["outcome", "account_number", "reason"])
            if answer.opened:
                move(staff, locked, State.IN_PRODUCTION, request=request)
            else:
                change = move(staff, locked, State.BANK_FAILED, note=answer.reason, request=request)
                CorrectionItem.objects.create(application=locked, change=change,
                                              section=CorrectionItem.Section.BANK, message=answer.reason[:300])
            result.applied += 1
        if not exchange.items.filter(outcome=BankExchangeItem.Outcome.PENDING).exists():
            exchange.status = BankExchange.Status.ANSWERED
            exchange.answered_at = exchange.answered_at or timezone.now()
        if result.applied:
            exchange.response_sha256 = formats.sha256(data)
        exchange.save()
        record_import_run(staff, "bank_response", exchange.number, data, result, request)
    return result




# --- Production batches ------------------------------------------------------------------------------------

def create_batch(*, staff, manufacturer: Manufacturer, request=None) -> ProductionBatch:
    """Group every case ready for production at `manufacturer` (in the staff member's areas) in a batch and
    build its archive."""
    require(staff, "production_batch")
    makers = list(Manufacturer.objects.filter(active=True).prefetch_related("banks"))
    with transaction.atomic():
        ready = [a for a in production_selectors.ready_for_production(staff).select_for_update(of=("self",))
                 .select_related("bank", "applicant")
                 if getattr(production_selectors.manufacturer_for(a, makers), "pk", None) == manufacturer.pk]
        if not ready:
            raise CaseworkError("empty", MSG_NOTHING_TO_BATCH)
        batch = ProductionBatch(number=_number("PB", ProductionBatch), manufacturer=manufacturer,
                                created_by=staff, created_at=timezone.now())
        rows = [(line, application, production_selectors.opened_account(application))
                for line, application in enumerate(ready, start=1)]
        archive = formats.build_batch_archive(batch=batch, items=rows, read_photo=photos.read)
        batch.archive_sha256 = formats.sha256(archive)
        batch.save()
        BatchItem.objects.bulk_create([BatchItem(batch=batch, application=a, line=line) for line, a, _acc in rows])
        default_storage.save(_batch_path(batch), ContentFile(archive))
        for application in ready:
            note_action(staff, application, "batched", data={"batch": batch.number}, audit=False)
        record_event(event_type="casework.batch_exported", actor=staff, request=request,
                     subject_type="production_batch", subject_id=batch.number,
                     data={"manufacturer": manufacturer.code, "cases": len(ready), "sha256": batch.archive_sha256})
    return batch


def _batch_path(batch: ProductionBatch) -> str:
    return f"casework/batches/{batch.number}.zip"


def read_batch_archive(batch: ProductionBatch) -> bytes:
    with default_storage.open(_batch_path(batch), "rb") as fh:
        return fh.read()


def import_batch_result(*, staff, batch: ProductionBatch, data: bytes, request=None) -> ImportResult:
    """Create the cards the manufacturer made: every line checked, all or nothing, idempotent."""
    require(staff, "production_batch")
    if not production_selectors.batches_visible_to(staff).filter(pk=batch.pk).exists():
        raise CaseworkError("area", MSG_FILE_AREA)
    lines = formats.parse_result(data)
    result = ImportResult()
    with transaction.atomic():
        items = {item.application.office_code: item for item in
                 BatchItem.objects.select_for_update(of=("self",)).filter(batch=batch)
                 .select_related("application", "application__bank", "card")}
        visible = set(selectors.cases_visible_to(staff).filter(batch_item__batch=batch)
                      .values_list("office_code", flat=True))
        numbers = {ln.card_number for ln in lines}
        ids = {ln.card_id for ln in lines}
        taken = card_issuer().taken(card_numbers=numbers, chip_ids=ids)
        errors, todo = [], []
        for line in lines:
            code = line.office_code
            item = items.get(code)
            if item is None:
                errors.append(LineError(line.line, L_NOT_IN_BATCH, {"code": code}))
                continue
            if code not in visible:
                errors.append(LineError(line.line, L_NOT_VISIBLE, {"code": code}))
                continue
            if item.card is not None:
                card = item.card
                if (card.card_number, card.chip_id, card.issue_date, card.expiry_date, card.bank_account) == (
                        line.card_number, line.card_id, line.issue_date, line.expiry_date, line.bank_account):
                    result.unchanged += 1
                else:
                    errors.append(LineError(line.line, L_OTHER_CARD, {"code": code, "card": card.card_number}))
                continue
            if any(app_id != item.application_id for _n, _i, app_id in taken
                   if _n == line.card_number or _i == line.card_id):
                errors.append(LineError(line.line, L_CARD_TAKEN))
                continue
            application = item.application
            if application.state != State.IN_PRODUCTION:
                errors.append(LineError(line.line, L_STAGE, {"code": code, "stage": stage_label(application.state)}))
                continue
            opened = production_selectors.opened_account(application)
            if opened and opened != line.bank_account:
                errors.append(LineError(line.line, L_ACCOUNT_MISMATCH, {"code": code}))
                continue
            todo.append((line, item))
        if errors:
            raise ImportRejected(errors)
        for line, item in todo:
            try:
                with transaction.atomic():
                    card = card_issuer().create_sealed_card(
                        application=item.application, card_number=line.card_number, chip_id=line.card_id,
                        issue_date=line.issue_date, expiry_date=line.expiry_date, bank_account=line.bank_account,
                        manufacturer=batch.manufacturer.code, actor=staff, request=request)
            except IntegrityError:
                raise ImportRejected([LineError(line.line, L_CARD_TAKEN)]) from None
            item.card = card
            item.save(update_fields=["card"])
            note_action(staff, item.application, "card_produced", data={"batch": batch.number}, audit=False)
            result.applied += 1
        missing = batch.items.filter(card__isnull=True).exists()
        batch.status = ProductionBatch.Status.PARTIAL if missing else ProductionBatch.Status.PRODUCED
        batch.save(update_fields=["status"])
        record_import_run(staff, "batch_result", batch.number, data, result, request)
    return result
