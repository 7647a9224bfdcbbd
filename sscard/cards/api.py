"""JSON API operations of cards, mounted by `sscard.api.banks` for the partner banks: a bank reports a loss or
its withdrawal (`POST /api/banks/v1/card-events`) and acknowledges one of our card events asynchronously
(`POST /api/banks/v1/acks`). Every request is signed with the bank's HMAC secret over its timestamp and body
(docs/formats.md, "Bank card events"); the signature is checked before the body is read."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyHeader

from sscard.apierrors import ApiError, ErrorOut, ValidationErrorOut
from sscard.domain import bank_events
from sscard.reference.models import PartnerBank

from . import bank_incoming, bank_outbox
from .bank_events.registry import secret_for
from .services import CardError

bank_router = Router(tags=["bank card events"])

MSG_UNKNOWN_BANK = gettext_noop("This bank is not known here, or has no shared secret.")
MSG_BAD_SIGNATURE = gettext_noop("The signature of the request is missing or wrong.")
MSG_STALE = gettext_noop("The request's timestamp is too far from the present time.")
SIGNATURE_MESSAGES = {"bad_signature": MSG_BAD_SIGNATURE, "stale_timestamp": MSG_STALE}


class BankSignature(APIKeyHeader):
    """The bank's code in `X-Sscard-Bank`, the Unix time in `X-Sscard-Timestamp`, and `sha256=<hex>` of
    HMAC-SHA256(secret, timestamp + "." + body) in `X-Sscard-Signature`. Authenticates as the bank."""

    param_name = bank_events.HEADER_SIGNATURE

    def authenticate(self, request: HttpRequest, key):
        code = request.headers.get(bank_events.HEADER_BANK, "")
        bank = PartnerBank.objects.filter(code=code[:50]).first() if code else None
        secret = secret_for(bank.code) if bank else None
        if bank is None or not secret:
            raise ApiError(401, "unknown_bank", _(MSG_UNKNOWN_BANK))
        try:
            bank_events.verify(secret=secret, timestamp=request.headers.get(bank_events.HEADER_TIMESTAMP),
                               signature=key, body=request.body, now=time.time())
        except bank_events.SignatureError as error:
            raise ApiError(401, error.code, _(SIGNATURE_MESSAGES[error.code])) from None
        return bank


def errors(*statuses: int) -> dict:
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in (*statuses, 500)}


class BankEventIn(Schema):
    event_id: uuid.UUID = Field(description="The bank's own id of this event; a second event with this id is "
                                            "refused (409 `replay`).")
    kind: Literal["loss", "loss_withdrawn"]
    card_number: str = Field(min_length=1, max_length=32)
    occurred_at: datetime | None = None


class BankEventOut(Schema):
    event_id: uuid.UUID
    card_state: str


class AckIn(Schema):
    event_id: uuid.UUID = Field(description="The `event_id` of one of our card events for this bank.")


class AckOut(Schema):
    event_id: uuid.UUID
    already_acknowledged: bool


@bank_router.post("/card-events", auth=BankSignature(), response={200: BankEventOut, **errors(401, 404, 409, 422)},
                  summary="A loss reported at the bank, or its withdrawal")
def card_event(request: HttpRequest, event: BankEventIn):
    try:
        card = bank_incoming.receive_event(bank=request.auth, event_id=str(event.event_id), kind=event.kind,
                                           card_number=event.card_number, occurred_at=event.occurred_at,
                                           source="http", request=request)
    except bank_outbox.BankEventError as error:
        raise ApiError(404 if error.code == "unknown_card" else 409, error.code, error.translated()) from None
    except CardError as error:
        raise ApiError(409, error.code, error.translated()) from None
    return Status(200, {"event_id": event.event_id, "card_state": card.state})


@bank_router.post("/acks", auth=BankSignature(), response={200: AckOut, **errors(401, 404, 422)},
                  summary="The bank acknowledges one of our card events")
def acknowledge(request: HttpRequest, ack: AckIn):
    try:
        changed = bank_outbox.acknowledge(bank=request.auth, event_id=str(ack.event_id), via="http",
                                          request=request)
    except bank_outbox.BankEventError as error:
        raise ApiError(404, error.code, error.translated()) from None
    return Status(200, {"event_id": ack.event_id, "already_acknowledged": not changed})
