"""JSON API operations of transit operators: the signed hot list of blocked cards, full and delta (mounted by
`sscard.api.transit`, which authenticates the operator by its bearer token; `request.auth` is the operator).

The answer is the hot list body itself (text, `sscard.domain.hotlist`), not JSON: its detached Ed25519 signature
is in the `Sscard-Signature` header, its version in `Sscard-Hotlist-Version`. Gzipped when the client accepts it
and the body is larger than a few kilobytes; the signature covers the body as decoded, whatever the transfer.
"""

from __future__ import annotations

import gzip

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from ninja import Field, Query, Router, Schema

from sscard.apierrors import ApiError, ErrorOut, ValidationErrorOut
from sscard.core import ratelimit

from . import hotlist

router = Router(tags=["transit hot list"])

CONTENT_TYPE = "text/plain; charset=utf-8"
GZIP_FROM_BYTES = 4096


def errors(*statuses: int) -> dict:
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in (*statuses, 500)}


def _body_doc(description: str) -> dict:
    return {"responses": {
        200: {"description": description,
              "content": {"text/plain": {"schema": {"type": "string"}}},
              "headers": {
                  "Sscard-Signature": {"description": 'Detached Ed25519 signature of the body: kid="...", '
                                                      'alg="EdDSA", sig="<base64url>"',
                                       "required": True, "schema": {"type": "string"}},
                  "Sscard-Hotlist-Version": {"description": "The version of the list.", "required": True,
                                             "schema": {"type": "integer", "minimum": 0}}}},
        429: {"headers": {"Retry-After": {"description": "Seconds to wait before asking again.", "required": True,
                                          "schema": {"type": "integer", "minimum": 1}}}},
    }}


def _counted(request: HttpRequest) -> None:
    operator = request.auth
    window = 60
    if not ratelimit.hit_key("hotlist", ratelimit.value_key(f"transit:{operator.code}"),
                             settings.HOTLIST_REQUESTS_PER_MINUTE, window):
        raise ApiError(429, headers={"Retry-After": str(ratelimit.retry_after(window))})


def _signed(request: HttpRequest, body: bytes) -> HttpResponse:
    version = body[:body.index(b"\n")].split(b" ")[-2].decode()
    response = HttpResponse(content_type=CONTENT_TYPE)
    response["Sscard-Signature"] = hotlist.signature(body)
    response["Sscard-Hotlist-Version"] = version
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Accept-Encoding"])
    if len(body) >= GZIP_FROM_BYTES and "gzip" in request.headers.get("Accept-Encoding", ""):
        body = gzip.compress(body, compresslevel=1, mtime=0)
        response["Content-Encoding"] = "gzip"
    response.content = body
    return response


class DeltaQuery(Schema):
    since: int = Field(..., ge=0, le=2**62, description="The version of the list the terminal holds.")


@router.get("/hotlist/full", response=errors(401, 429), openapi_extra=_body_doc(
    "The full list: every blocked card of the operator's cities, at the version in its first line."),
    summary="Full hot list")
def full(request: HttpRequest):
    """Every card blocked now (temporarily or formally lost, replaced, cancelled) of the cities the operator
    serves that are transit cities. Format: docs/formats.md, "Transit hot list"."""
    _counted(request)
    return _signed(request, hotlist.full_list(request.auth))


@router.get("/hotlist/delta", response=errors(401, 409, 410, 422, 429), openapi_extra=_body_doc(
    "The changes since `since`, in order: `+` a card now blocked, `-` a card no longer blocked."),
    summary="Hot list changes since a version")
def delta(request: HttpRequest, query: Query[DeltaQuery]):
    """The changes after version `since` up to the current version. A `since` newer than the current version
    answers 409 `since_in_future`, one older than the changes kept answers 410 `since_too_old`: the terminal
    then fetches the full list."""
    _counted(request)
    try:
        body = hotlist.delta_list(request.auth, query.since)
    except hotlist.HotListError as error:
        raise ApiError(409 if error.code == "since_in_future" else 410, error.code, error.translated()) from None
    return _signed(request, body)

