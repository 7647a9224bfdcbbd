"""JSON API of card applications: the citizen's own applications (session login, CSRF on writes) and the
public progress look-up."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import SessionAuth

from sscard.domain.officecode import format_code

from . import selectors, services
from .models import Application

router = Router(tags=["card applications"])


class CitizenSession(SessionAuth):
    """A logged-in citizen (not staff). CSRF is checked on unsafe methods."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is not None and not user.is_staff:
            return user
        return None


citizen_auth = CitizenSession(csrf=True)


class ErrorOut(Schema):
    code: str
    detail: str
    probable_typo: bool = False


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
    plain = selectors.plain_stage_of(application.state)
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


@router.get("/progress", response={200: ProgressOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
            summary="Progress of an application by office code and ID number ending",
            description="Public. Answers the plain stage, timeline dates and expected completion date, and no "
                        "personal data. A wrong code and a wrong ID ending are answered alike (404); a code whose "
                        "check character does not match is reported as a probable typo. Rate-limited per client.")
def progress(request: HttpRequest, code: str, id_suffix: str):
    result, error, limited = services.progress_lookup(request=request, code=code, id_suffix=id_suffix)
    if limited:
        return Status(429, {"code": "rate_limited",
                     "detail": _("Too many look-ups from your connection. Please wait a minute and try again.")})
    if error is not None:
        status = 404 if error.code in ("not_found", "probable_typo") else 400
        return Status(status, {"code": error.code, "detail": _(error.message),
                        "probable_typo": error.code == "probable_typo"})
    return Status(200, {
        "office_code": result.office_code,
        "stage": result.plain_stage,
        "stage_label": result.plain_label,
        "submitted_on": result.submitted_on,
        "expected_completion": result.expected_completion,
        "closed": result.closed,
        "timeline": [{"stage": e.plain_stage, "label": e.plain_label, "date": timezone.localtime(e.at).date()} for e in result.timeline],
    })


@router.get("/applications", response=list[ApplicationOut], auth=citizen_auth,
            summary="My card applications")
def my_applications(request: HttpRequest):
    return [_application_out(a) for a in selectors.applications_of(request.auth)]


@router.get("/applications/{code}", response={200: ApplicationOut, 404: ErrorOut}, auth=citizen_auth,
            summary="One of my card applications")
def my_application(request: HttpRequest, code: str):
    application = selectors.application_of(request.auth, code)
    if application is None:
        return Status(404, {"code": "not_found", "detail": _("No application of yours has this office code.")})
    return Status(200, _application_out(application))


@router.post("/applications/{code}/withdraw", response={200: ApplicationOut, 404: ErrorOut, 409: ErrorOut},
             auth=citizen_auth, summary="Withdraw one of my applications (before production)")
def withdraw(request: HttpRequest, code: str):
    application = selectors.application_of(request.auth, code)
    if application is None:
        return Status(404, {"code": "not_found", "detail": _("No application of yours has this office code.")})
    try:
        services.withdraw(application=application, user=request.auth, request=request)
    except services.ApplicationError as error:
        return Status(409, {"code": error.code, "detail": error.translated()})
    return Status(200, _application_out(selectors.application_of(request.auth, code)))
