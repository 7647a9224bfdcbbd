"""JSON API operations of card applications, in two routers for two audiences (mounted by `sscard.api`):

- `citizen_router`: the citizen's own applications. It declares no authentication of its own: the citizen API
  (`sscard.api.citizen`) that mounts it authenticates every operation (session, CSRF on writes);
- `public_router`: the progress look-up by office code and ID ending, for anybody, rate-limited per client
  (`sscard.api.public`, no authentication).
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from sscard.apierrors import ApiError, ErrorOut, ValidationErrorOut
from sscard.core import ratelimit
from sscard.domain import officecode
from sscard.domain.officecode import format_code
from sscard.reference import selectors as reference_selectors

from . import selectors, services
from .models import Application

citizen_router = Router(tags=["card applications"])
public_router = Router(tags=["card applications"])


def errors(*statuses: int) -> dict:
    """The error answers an operation declares: all in the API's error shape (sscard.apierrors), 422 with
    its per-field errors. Every operation can answer 500."""
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in (*statuses, 500)}


RETRY_AFTER = {"responses": {429: {"headers": {"Retry-After": {
    "description": "Seconds to wait before the next look-up is counted again.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1}}}}}}

CODE_CONSTRAINTS = {
    "pattern": officecode.INPUT_PATTERN,
    "min_length": officecode.LENGTH,
    "max_length": officecode.INPUT_MAX_LENGTH,
}
CODE_DESCRIPTION = ("Office code (办件码): 11 letters and digits without 0, 1, I, L or O, in either case, "
                    "optionally grouped with dashes or spaces, e.g. K7QM-X3P9-C4B. Its last character is a "
                    "check character.")


class TimelineEntryOut(Schema):
    stage: str
    label: str
    date: date


class ProgressOut(Schema):
    office_code: str
    stage: str
    stage_label: str
    submitted_on: date
    expected_completion: date | None
    closed: bool
    awaiting_payment: bool = Field(False, description="The fee of a replacement or renewal is not paid yet: "
                                                       "the application waits until it is.")
    timeline: list[TimelineEntryOut]


class HistoryEntryOut(Schema):
    state: str
    label: str
    stage: str
    stage_label: str
    at: datetime
    note: str


class CorrectionOut(Schema):
    section: str
    message: str


class ApplicationOut(Schema):
    office_code: str
    for_child: bool
    subject_name_masked: str
    subject_id_number_masked: str
    state: str
    state_label: str
    stage: str
    stage_label: str
    submitted_at: datetime
    expected_completion: date
    can_withdraw: bool
    needs_correction: bool
    corrections: list[CorrectionOut]
    history: list[HistoryEntryOut]


def _application_out(application: Application) -> dict:
    plain = reference_selectors.plain_stage_of(application.state)
    return {
        "office_code": format_code(application.office_code),
        "for_child": application.for_child,
        "subject_name_masked": application.masked_name,
        "subject_id_number_masked": application.masked_id_number,
        "state": application.state,
        "state_label": application.state_label,
        "stage": plain,
        "stage_label": selectors.plain_label(plain),
        "submitted_at": application.submitted_at,
        "expected_completion": application.expected_completion,
        "can_withdraw": application.can_withdraw,
        "needs_correction": application.needs_correction,
        "corrections": [{"section": c.section, "message": c.message}
                        for c in selectors.open_corrections(application)],
        "history": [{"state": e.state, "label": e.label, "stage": e.plain_stage, "stage_label": e.plain_label,
                     "at": e.at, "note": e.note} for e in selectors.timeline(application)],
    }


@public_router.get("/progress", response={200: ProgressOut, **errors(404, 422, 429)}, openapi_extra=RETRY_AFTER,
                   summary="Progress of an application by office code and ID number ending",
                   description="Public. Answers the plain stage, timeline dates and expected completion date, "
                               "and no personal data. A wrong code and a wrong ID ending are answered alike (404); "
                               "a code whose check character does not match is reported as a probable typo (404, "
                               "`probable_typo` true). Malformed parameters are answered 422. Rate-limited per "
                               "client (429 with `Retry-After`).")
def progress(request: HttpRequest,
             code: str = Query(..., description=CODE_DESCRIPTION, examples=["K7QM-X3P9-C4B"], **CODE_CONSTRAINTS),
             id_suffix: str = Query(..., description="The last 6 characters of the ID number of the person the "
                                                     "card is for: 5 digits, then a digit or X.",
                                    pattern=selectors.ID_SUFFIX_PATTERN, min_length=6, max_length=6,
                                    examples=["10123X"])):
    result, error, limited = services.progress_lookup(request=request, code=code, id_suffix=id_suffix)
    if limited:
        raise ApiError(429, "rate_limited",
                       _("Too many look-ups from your connection. Please wait a minute and try again."),
                       headers={"Retry-After": str(ratelimit.retry_after())})
    if error is not None:
        if error.code in ("not_found", "probable_typo"):
            return Status(404, {"code": error.code, "detail": _(error.message),
                                "probable_typo": error.code == "probable_typo"})
        # The declared patterns keep malformed input out; the domain's own check answers the same way.
        field = error.field or "code"
        return Status(422, {"code": "invalid_request", "detail": _(error.message), "probable_typo": False,
                            "errors": [{"location": "query", "field": field, "message": _(error.message)}]})
    return Status(200, {
        "office_code": result.office_code,
        "stage": result.plain_stage,
        "stage_label": result.plain_label,
        "submitted_on": result.submitted_on,
        "expected_completion": result.expected_completion,
        "closed": result.closed,
        "awaiting_payment": result.awaiting_payment,
        "timeline": [{"stage": e.plain_stage, "label": e.plain_label, "date": timezone.localtime(e.at).date()}
                     for e in result.timeline],
    })


@citizen_router.get("/applications", response={200: list[ApplicationOut], **errors(401)},
                    summary="My card applications")
def my_applications(request: HttpRequest):
    return [_application_out(a) for a in selectors.applications_of(request.auth)]


def _code_in_path():
    return Path(..., description=CODE_DESCRIPTION, examples=["K7QM-X3P9-C4B"], **CODE_CONSTRAINTS)


@citizen_router.get("/applications/{code}", response={200: ApplicationOut, **errors(401, 404, 422)},
                    summary="One of my card applications")
def my_application(request: HttpRequest, code: str = _code_in_path()):
    application = selectors.application_of(request.auth, code)
    if application is None:
        return Status(404, {"code": "not_found", "detail": _("No application of yours has this office code.")})
    return Status(200, _application_out(application))


@citizen_router.post("/applications/{code}/withdraw",
                     response={200: ApplicationOut, **errors(400, 401, 403, 404, 409, 422)},
                     summary="Withdraw one of my applications (before production)",
                     description="Needs the session and the CSRF token (`X-CSRFToken` header, from the "
                                 "`csrftoken` cookie): 403 without it. 409 when the application can no longer be "
                                 "withdrawn.")
def withdraw(request: HttpRequest, code: str = _code_in_path()):
    application = selectors.application_of(request.auth, code)
    if application is None:
        return Status(404, {"code": "not_found", "detail": _("No application of yours has this office code.")})
    try:
        services.withdraw(application=application, user=request.auth, request=request)
    except services.ApplicationError as error:
        return Status(409, {"code": error.code, "detail": error.translated()})
    return Status(200, _application_out(selectors.application_of(request.auth, code)))
