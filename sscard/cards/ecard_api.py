"""JSON API operations of issued cards, in two routers for two audiences (mounted by `sscard.api`):

- `citizen_router`: the holder's fresh e-card token and its QR code (the "My e-card" page refreshes with it);
  authenticated by the citizen API (session);
- `public_router`: the online status of an e-card for terminals (hospitals, transit gates, counters) and the
  list of e-cards revoked since a time; no login, rate-limited per client, written to the access log.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from sscard.apierrors import ApiError, ErrorOut, ValidationErrorOut
from sscard.core import ratelimit
from sscard.domain import ecard

from . import ecards, qr, selectors

citizen_router = Router(tags=["electronic card"])
public_router = Router(tags=["electronic card"])

ECARD_ID_PATTERN = r"^[A-Za-z0-9_-]{16}$"
STATUS_CODES = [ecards.STATUS_VALID, *[reason.value for reason in ecard.Reason], ecards.STATUS_REPLAYED]
RETRY_AFTER = {"responses": {429: {"headers": {"Retry-After": {
    "description": "Seconds to wait before the next request is counted again.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1}}}}}}


def errors(*statuses: int) -> dict:
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in (*statuses, 500)}


def _limited() -> ApiError:
    return ApiError(429, "rate_limited", _("Too many requests from your connection. Please wait a minute and try "
                                           "again."), headers={"Retry-After": str(ratelimit.retry_after())})


# --- Citizen: the holder's token --------------------------------------------------------------------------

class TokenOut(Schema):
    token: str
    qr_svg: str
    issued_at: int
    expires_at: int
    lifetime_s: int


@citizen_router.get("/cards/{card_number}/ecard/token", response={200: TokenOut, **errors(401, 404, 422)},
                    url_name="ecard_token",
                    summary="A fresh token of my electronic card, with its QR code",
                    description="A newly signed short-lived token of the card's live e-card (`SSC1:` + Base45 "
                                "COSE_Sign1, docs/formats.md) and the same as an SVG QR code. 404 when the card "
                                "is not the citizen's or has no live e-card. Times in Unix seconds.")
def ecard_token(request: HttpRequest, card_number: str = Path(..., pattern=r"^[A-Za-z0-9]{1,9}$")):
    card = selectors.card_of(request.user, card_number)
    token = ecards.current_token(user=request.user, card=card) if card is not None else None
    if token is None:
        return Status(404, {"code": "not_found", "detail": _("This card has no electronic card."),
                            "probable_typo": False})
    return Status(200, {"token": token.token, "qr_svg": qr.svg(token.token), "issued_at": token.issued_at,
                        "expires_at": token.expires_at, "lifetime_s": token.lifetime_s})


# --- Public: online status for terminals ----------------------------------------------------------------

class StatusOut(Schema):
    status: str
    valid: bool
    checked_at: int
    expires_at: int | None = None


def _status_answer(result) -> Status:
    if result is None:
        raise _limited()
    return Status(200, {"status": result.status, "valid": result.valid, "checked_at": int(datetime.now(UTC).timestamp()),
                        "expires_at": (result.claims or {}).get("exp")})


@public_router.get("/ecard/status", response={200: StatusOut, **errors(422, 429)}, openapi_extra=RETRY_AFTER,
                   summary="Online status of an electronic card token (for terminals)",
                   description="Public. `token` is what the QR code holds (URL-encoded). Answers `status`: `valid`, "
                               "or why not: `unreadable`, `unknown_key`, `bad_signature`, `expired`, "
                               "`not_yet_valid`, `revoked`. No personal data. Rate-limited per client (429 with "
                               "`Retry-After`).")
def ecard_status(request: HttpRequest,
                 token: str = Query(..., min_length=1, max_length=ecard.MAX_TOKEN_CHARS,
                                    description="The token: `SSC1:` then Base45.", examples=["SSC1:6BF"])):
    return _status_answer(ecards.online_status(request=request, token=token))


class UseIn(Schema):
    token: str = Field(..., min_length=1, max_length=ecard.MAX_TOKEN_CHARS, description="The token: `SSC1:` then "
                       "Base45.", examples=["SSC1:6BF"])


@public_router.post("/ecard/uses", response={200: StatusOut, **errors(400, 422, 429)}, openapi_extra=RETRY_AFTER,
                    summary="Accept an electronic card token once (a terminal using it for a service)",
                    description="Public. As the status check, and a `valid` token is recorded as used: the same "
                                "token presented again (a copy, a screenshot, a second scan) answers `replayed`. "
                                "No personal data. Rate-limited per client (429 with `Retry-After`).")
def ecard_use(request: HttpRequest, body: UseIn):
    return _status_answer(ecards.online_status(request=request, token=body.token, use=True))


@public_router.get("/ecard/{ecard_id}/status", response={200: StatusOut, **errors(422, 429)},
                   openapi_extra=RETRY_AFTER, summary="Online status of an electronic card by its id",
                   description="Public. `ecard_id` is a token's `card` claim. Answers `status` `valid` or "
                               "`revoked` (an id never issued is `revoked`). No personal data. Rate-limited per "
                               "client (429 with `Retry-After`).")
def ecard_id_status(request: HttpRequest,
                    ecard_id: str = Path(..., pattern=ECARD_ID_PATTERN, min_length=16, max_length=16,
                                         description="An e-card id: 16 characters A-Z a-z 0-9 _ -.",
                                         examples=["q3ZkR8xV_2mT-9aB"])):
    return _status_answer(ecards.online_status(request=request, ecard_id=ecard_id))


class RevokedOut(Schema):
    ecard_id: str
    revoked_at: int


class RevokedListOut(Schema):
    since: int
    until: int
    revoked: list[RevokedOut]
    complete: bool


@public_router.get("/ecard/revoked", response={200: RevokedListOut, **errors(422, 429)}, openapi_extra=RETRY_AFTER,
                   summary="E-cards revoked since a time (status list)",
                   description="Public. The e-card ids revoked at or after `since` (Unix seconds, at most 7 days "
                               "ago), oldest first, at most 10,000 (`complete` false when more: ask again from "
                               "the last `revoked_at`). No personal data. Rate-limited per client.")
def ecard_revoked(request: HttpRequest,
                  since: int = Query(..., ge=0, le=10**10, description="Unix seconds.")):
    now = int(datetime.now(UTC).timestamp())
    if not ratelimit.hit(request, "ecard_revoked", 60):
        raise _limited()
    since = max(since, now - 7 * 86400)
    rows = ecards.revoked_since(datetime.fromtimestamp(since, UTC))
    return Status(200, {"since": since, "until": now, "complete": len(rows) < ecards.STATUS_LIST_MAX,
                        "revoked": [{"ecard_id": ecard_id, "revoked_at": int(at.timestamp())}
                                    for ecard_id, at in rows]})

