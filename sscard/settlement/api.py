"""The settlement API's operations, mounted by `sscard.api.settlement` at `/api/settlement/v1/`: one path per
operation of the national medical insurance platform's interface it is shaped on (1101 person info, 2201
registration, 2206 pre-settlement, 2207 settlement, 2208 cancellation, 3201 and 3202 reconciliation). Every
request is signed (`domain/settlement_signing.py`); writes carry the institution's message id (`msgid`): the same
msgid again returns the first answer. Amounts are integer fen. Fields and their reasons: docs/settlement.md."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyHeader
from pydantic import BeforeValidator

from sscard.apierrors import JSON_CONTENT_TYPE, ApiError, ErrorOut, ValidationErrorOut
from sscard.domain import settlement_signing as signing

from . import services
from .errors import Refused

router = Router(tags=["medical settlement"])


def _whole_number(value):
    """A JSON number that is a whole number (2, 2.0): JSON Schema's `integer`. Not a string, not a boolean."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a whole number is expected")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("a whole number is expected")
    return int(value)


Whole = Annotated[int, BeforeValidator(_whole_number)]


def _iso_day(value):
    """A day as JSON Schema's `date` format: a YYYY-MM-DD string (not a number of seconds)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("a day YYYY-MM-DD is expected")
    return date.fromisoformat(value)


Day = Annotated[date, BeforeValidator(_iso_day)]


class InstitutionSignature(APIKeyHeader):
    """The institution's code, key id, timestamp, nonce and signature headers (domain/settlement_signing.py).
    Authenticates as the institution; every refusal is its own code (401, 403 or 429)."""

    param_name = signing.HEADER_SIGNATURE

    def __call__(self, request: HttpRequest):
        try:
            return services.authenticate(method=request.method, path=request.path, body=request.body,
                                         headers=request.headers)
        except Refused as refused:
            headers = {"Retry-After": "60"} if refused.status == 429 else None
            raise ApiError(refused.status, refused.code, refused.translated(), headers=headers) from None

    def authenticate(self, request: HttpRequest, key):  # pragma: no cover - __call__ does the work
        return None


def errors(*statuses: int) -> dict:
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in (400, 401, 403, 429, *statuses, 500)}


def _refuse(refused: Refused):
    raise ApiError(refused.status, refused.code, refused.translated()) from None


class Identity(Schema):
    card_no: str = Field("", max_length=9, pattern=r"^[A-Za-z0-9]*$", description="The card number (社会保障号码 card's number), with card_sn.")
    card_sn: str = Field("", max_length=32, pattern=r"^[A-Za-z0-9]*$", description="The card identifier read from the chip.")
    ecard_token: str = Field("", max_length=2000, pattern=r"^[\x20-\x7e]*$", description="Or the e-card QR code's token.")


class PersonIn(Schema):
    identity: Identity


class PersonOut(Schema):
    psn_no: str = Field(description="The ID number, masked.")
    psn_name: str = Field(description="The name, masked.")
    card_no: str
    card_state: str
    insutype: str = Field(description="310: employee medical insurance.")
    psn_type: Literal["in_work", "retired"]
    may_settle: bool
    refusals: list[str] = Field(description="Why the person may not settle now (error codes).")
    balc: int = Field(description="The medical personal account's balance, fen.")
    admissions: int
    fund_paid_fen: int
    cap_left_fen: int | None


class RegisterIn(Schema):
    msgid: str = Field(min_length=1, max_length=64, pattern=r"^[\x21-\x7e]+$")
    identity: Identity
    med_type: Literal["outpatient", "inpatient"]


class RegisterOut(Schema):
    mdtrt_id: str
    med_type: str
    begntime: str


class ClaimIn(Schema):
    msgid: str = Field(min_length=1, max_length=64, pattern=r"^[\x21-\x7e]+$")
    identity: Identity
    mdtrt_id: str = Field("", max_length=32, pattern=r"^[A-Za-z0-9]*$", description="The visit's id from 2201 (optional for outpatient).")
    med_type: Literal["outpatient", "inpatient"]
    medfee_sumamt: Whole = Field(ge=0, le=10**12, description="The bill, fen.")
    inscp_scp_amt: Whole = Field(ge=0, le=10**12, description="The part inside the insurance's scope, fen.")
    acct_used_flag: bool = Field(True, strict=True)


class StepOut(Schema):
    rule: str
    values: dict


class SettlementOut(Schema):
    setl_id: str = Field(description="Empty for a pre-settlement.")
    setl_time: str
    medfee_sumamt: int
    fund_pay_sumamt: int
    acct_pay: int
    psn_cash_pay: int
    deductible_fen: int
    cap_left_fen: int
    outpatient_cap_left_fen: int | None
    trace: list[StepOut]


class CancelIn(Schema):
    msgid: str = Field(min_length=1, max_length=64, pattern=r"^[\x21-\x7e]+$")
    setl_id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9]+$")


class CancelOut(Schema):
    setl_id: str
    cancel_id: str
    fund_pay_sumamt: int
    acct_pay: int
    psn_cash_pay: int


class TotalsIn(Schema):
    stmt_date: Day
    settlements: Whole = Field(ge=0, le=10**9)
    cancellations: Whole = Field(ge=0, le=10**9)
    medfee_sumamt: Whole = Field(ge=-10**15, le=10**15)
    fund_pay_sumamt: Whole = Field(ge=-10**15, le=10**15)
    acct_pay: Whole = Field(ge=-10**15, le=10**15)
    psn_cash_pay: Whole = Field(ge=-10**15, le=10**15)


class Totals(Schema):
    settlements: int
    cancellations: int
    medfee_sumamt: int
    fund_pay_sumamt: int
    acct_pay: int
    psn_cash_pay: int


class TotalsOut(Schema):
    stmt_date: str
    ours: Totals
    matches: bool
    differing: list[str]


class DetailLine(Schema):
    setl_id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9]+$")
    medfee_sumamt: Whole = Field(ge=-10**12, le=10**12)
    fund_pay_sumamt: Whole = Field(ge=-10**12, le=10**12)
    acct_pay: Whole = Field(ge=-10**12, le=10**12)
    psn_cash_pay: Whole = Field(ge=-10**12, le=10**12)


class DetailIn(Schema):
    stmt_date: Day
    lines: list[DetailLine] = Field(max_length=200_000)


class Mismatch(Schema):
    setl_id: str
    kind: Literal["missing_here", "missing_there", "amounts"]
    fields: list[str]


class DetailOut(Schema):
    stmt_date: str
    ours: int
    theirs: int
    matches: bool
    mismatches: list[Mismatch]


AUTH = InstitutionSignature()


def _once(request, msgid: str, operation: str, work):
    status, body = services.answer_once(request.auth, msgid, operation, work)
    # The body is the answer as stored under the msgid, built by the service in the declared schema's shape (the
    # OpenAPI document and schemathesis check it): rendered as it is, not validated again (pydantic's pass over
    # the trace cost more than the rest of the view).
    return HttpResponse(json.dumps(body, cls=NinjaJSONEncoder), status=status, content_type=JSON_CONTENT_TYPE)


@router.post("/1101", auth=AUTH, response={200: PersonOut, **errors(404, 422)}, summary="1101 person info")
def person_info(request: HttpRequest, payload: PersonIn):
    try:
        return services.person_info(institution=request.auth, identity=payload.identity.dict(), request=request)
    except Refused as refused:
        _refuse(refused)


@router.post("/2201", auth=AUTH, response={200: RegisterOut, **errors(404, 422)},
             summary="2201 visit registration (outpatient visit or inpatient admission)")
def register(request: HttpRequest, payload: RegisterIn):
    return _once(request, payload.msgid, "2201", lambda: services.register_visit(
        institution=request.auth, identity=payload.identity.dict(), kind=payload.med_type))


@router.post("/2206", auth=AUTH, response={200: SettlementOut, **errors(404, 409, 422)},
             summary="2206 pre-settlement (writes nothing)")
def pre_settle(request: HttpRequest, payload: ClaimIn):
    try:
        return services.pre_settle(institution=request.auth, identity=payload.identity.dict(),
                                   claim=payload.dict(exclude={"identity", "msgid"}))
    except Refused as refused:
        _refuse(refused)


@router.post("/2207", auth=AUTH, response={200: SettlementOut, **errors(404, 409, 422)}, summary="2207 settlement")
def settle(request: HttpRequest, payload: ClaimIn):
    return _once(request, payload.msgid, "2207", lambda: services.settle(
        institution=request.auth, msgid=payload.msgid, identity=payload.identity.dict(),
        claim=payload.dict(exclude={"identity", "msgid"}), request=request))


@router.post("/2208", auth=AUTH, response={200: CancelOut, **errors(404, 409, 422)},
             summary="2208 cancellation of a settlement")
def cancel(request: HttpRequest, payload: CancelIn):
    return _once(request, payload.msgid, "2208", lambda: services.cancel(
        institution=request.auth, msgid=payload.msgid, setl_id=payload.setl_id, request=request))


@router.post("/3201", auth=AUTH, response={200: TotalsOut, **errors(422)}, summary="3201 daily reconciliation totals")
def reconcile_totals(request: HttpRequest, payload: TotalsIn):
    try:
        return services.reconcile_totals(institution=request.auth, day=payload.stmt_date,
                                         theirs=payload.dict(exclude={"stmt_date"}))
    except Refused as refused:
        _refuse(refused)


@router.post("/3202", auth=AUTH, response={200: DetailOut, **errors(422)},
             summary="3202 reconciliation detail: every mismatch listed")
def reconcile_detail(request: HttpRequest, payload: DetailIn):
    try:
        return services.reconcile_detail(institution=request.auth, day=payload.stmt_date,
                                         theirs=[line.dict() for line in payload.lines])
    except Refused as refused:
        _refuse(refused)
