"""Errors of the JSON API (`/api/`): one shape for every error, whatever raised it.

Every answer with a status of 400 or more under `/api/` is a JSON object

    {"code": "not_found", "detail": "<a translated sentence>", "probable_typo": false}

(`ErrorOut`); a 422 adds `errors`, one entry per field (`ValidationErrorOut`). Two mechanisms keep it so:

- inside django-ninja, the exception handlers that `sscard.api.base.audience_api` installs on every
  audience's API answer authentication, CSRF, validation, rate limits and `Http404` in this shape;
- around everything else, `ApiErrorMiddleware` rewrites any other error answer under `/api/` (an unknown
  path, a method the operation does not take, a malformed request body, a crash: Django's own HTML 400, 403,
  404, 405 and 500 pages) into the same shape, keeping the status and headers such as `Allow`.

Error bodies never echo the request: no query value, path, header or exception text, so nothing personal
(an ID ending, an office code) reaches them.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Schema

API_PREFIX = "/api/"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


class ErrorOut(Schema):
    """Every error of the API: a stable machine-readable `code` and a translated `detail`."""

    code: str
    detail: str
    probable_typo: bool = False


class FieldErrorOut(Schema):
    """One invalid input: where it was (`query`, `path`, `body`, ...), which field, and what is wrong."""

    location: str
    field: str
    message: str


class ValidationErrorOut(ErrorOut):
    """422: the request's parameters do not match the operation's declared constraints."""

    errors: list[FieldErrorOut]


# The code and sentence for each status when nothing more specific is known.
STATUS_ERRORS = {
    400: ("bad_request", _("The request could not be read. Check its body and its Content-Type header.")),
    401: ("not_authenticated", _("Log in as a citizen to use this operation.")),
    403: ("forbidden", _("You may not use this operation.")),
    404: ("not_found", _("There is no such operation or resource in the API.")),
    405: ("method_not_allowed", _("This operation does not accept this HTTP method.")),
    413: ("request_too_large", _("The request is too large.")),
    415: ("unsupported_media_type", _("The request body has a type this operation does not accept.")),
    422: ("invalid_request", _("Some parameters are missing or not valid: see errors.")),
    429: ("rate_limited", _("Too many requests. Please wait and try again.")),
    500: ("server_error", _("Something went wrong on our side. Please try again later.")),
    503: ("unavailable", _("The service is temporarily unavailable. Please try again later.")),
}
CSRF_FAILED = ("csrf_failed", _("The CSRF check failed: send the value of the csrftoken cookie in the "
                                "X-CSRFToken header."))

# What the field messages of a 422 say, by pydantic error type.
FIELD_MESSAGES = {
    "missing": _("This parameter is required."),
    "string_pattern_mismatch": _("This value does not have the expected format."),
    "string_too_short": _("This value is too short."),
    "string_too_long": _("This value is too long."),
}
FIELD_MESSAGE_OTHER = _("This value is not valid.")


class ApiError(Exception):
    """Raised by an API operation to answer an error in the API's shape (handled in `sscard.api.base`)."""

    def __init__(self, status: int, code: str | None = None, detail: str | None = None, *,
                 headers: dict[str, str] | None = None):
        default_code, default_detail = error_for_status(status)
        super().__init__(code or default_code)
        self.status = status
        self.code = code or default_code
        self.detail = detail or default_detail
        self.headers = headers or {}


class CsrfFailed(Exception):
    """A session-authenticated write without a valid CSRF token."""


def is_api_request(request) -> bool:
    path = getattr(request, "path_info", "") or ""
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


def error_for_status(status: int) -> tuple[str, str]:
    """(code, translated detail) for a status; other 4xx and 5xx get the generic ones."""
    if status in STATUS_ERRORS:
        code, detail = STATUS_ERRORS[status]
    elif status >= 500:
        code, detail = STATUS_ERRORS[500]
    else:
        code, detail = "client_error", _("The request was not accepted.")
    return code, str(detail)


def field_errors(errors: list[dict]) -> list[dict]:
    """django-ninja's validation errors as `FieldErrorOut` rows: location, field and a translated message.

    Only the location and the error type are used: never pydantic's message or the input, which may echo
    what the client sent."""
    rows = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location, field = (loc[0], ".".join(loc[1:])) if loc else ("", "")
        message = FIELD_MESSAGES.get(error.get("type", ""), FIELD_MESSAGE_OTHER)
        rows.append({"location": location, "field": field, "message": str(message)})
    return rows


def json_error(status: int, code: str, detail: str, **extra) -> HttpResponse:
    body = {"code": code, "detail": str(detail), "probable_typo": False, **extra}
    return HttpResponse(json.dumps(body), status=status, content_type=JSON_CONTENT_TYPE)


_DROPPED_HEADERS = {"content-type", "content-length", "content-encoding", "content-disposition", "etag",
                    "last-modified"}


class ApiErrorMiddleware:
    """Turn every non-JSON error answer under `/api/` into the API's error shape (see the module doc).

    Put it just inside `ObservabilityMiddleware`: it then sees the final answer of every other middleware
    and of Django's own exception handling (which has logged any crash by then)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not is_api_request(request):
            return response
        if (response.get("Content-Type") or "").split(";")[0].strip() == "application/json":
            return response
        language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
        with translation.override(language):
            code, detail = error_for_status(response.status_code)
            replacement = json_error(response.status_code, code, detail)
        for name, value in response.items():
            if name.lower() not in _DROPPED_HEADERS:
                replacement[name] = value
        replacement["Content-Length"] = str(len(replacement.content))
        replacement.cookies = response.cookies
        return replacement
