"""The records officer's objection queue (/staff/records/objections/): the objections of the employers of their
areas (`employers_visible_to`), the nearest deadline first, overdue ones marked; an objection's page (an
audited read), its evidence (an audited download), claiming it and deciding it (correct or reject)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sscard.audit.services import record_event
from sscard.domain import payment_lines

from ..roles import perm
from ..services import RecordsError
from ..staff_views import records_staff
from . import selectors, services


@records_staff
def queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    rows = selectors.queue_for_staff(request.user, state=state)
    return render(request, "records/objections/staff_queue.html", {
        "rows": [(o, selectors.overdue(o)) for o in rows], "state": state, "nav": "records_objections",
        "states": [("open", _("Open"))] + [(s, services.STATE_LABELS[s]) for s in services.rules.STATES]})


def _found(request, pk: int):
    objection = selectors.objection_for_staff(request.user, pk)
    if objection is None:
        raise Http404
    return objection


def _render(request, objection, errors=None, status=200) -> HttpResponse:
    return render(request, "records/objections/staff_detail.html", {
        "objection": objection, "lines": selectors.line_rows(objection), "history": objection.history.all(),
        "evidence": objection.evidence.only("filename", "size", "media_type", "sha256"),
        "overdue": selectors.overdue(objection), "nav": "records_objections", "errors": errors or {},
        "can_handle": request.user.has_perm(perm("handle_objection")),
        "mine": objection.claimed_by_id == request.user.pk}, status=status)


@records_staff
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _found(request, pk)
    record_event(event_type="records.objection_viewed", actor=request.user, request=request,
                 subject_type="objection", subject_id=str(objection.pk))
    return _render(request, objection)


@records_staff
def evidence(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    objection = _found(request, pk)
    found = objection.evidence.filter(pk=item).first()
    if found is None:
        raise Http404
    record_event(event_type="records.objection_evidence_downloaded", actor=request.user, request=request,
                 subject_type="objection", subject_id=str(objection.pk), data={"sha256": found.sha256})
    response = HttpResponse(bytes(found.content), content_type=found.media_type)
    response["Content-Disposition"] = f'attachment; filename="objection-{objection.pk}-{found.pk}' \
                                      f'.{"pdf" if found.media_type == "application/pdf" else "jpg"}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@records_staff
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(perm("handle_objection")):
        raise PermissionDenied
    objection = _found(request, pk)
    try:
        services.claim(staff=request.user, objection=objection, request=request)
    except RecordsError as error:
        messages.error(request, error.translated())
    else:
        messages.success(request, _("You have taken up the objection."))
    return redirect("casework:records_objection", objection.pk)


@records_staff
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(perm("handle_objection")):
        raise PermissionDenied
    objection = _found(request, pk)
    note = request.POST.get("note", "")
    errors = {}
    try:
        if request.POST.get("decision") == "correct":
            wages = {}
            for line in objection.lines.all():
                value = (request.POST.get(f"wage_{line.pk}") or "").strip()
                if value:
                    try:
                        wages[line.pk] = payment_lines.parse_amount(value)
                    except payment_lines.LineRuleError as error:
                        errors[f"wage_{line.pk}"] = _(error.message) % error.params if error.params else _(error.message)
            if errors:
                return _render(request, objection, errors, status=400)
            services.correct(staff=request.user, objection=objection, wages=wages, note=note, request=request)
            messages.success(request, _("The record is corrected and the objection closed."))
        elif request.POST.get("decision") == "reject":
            services.reject(staff=request.user, objection=objection, note=note, request=request)
            messages.success(request, _("The objection is closed without correction."))
        else:
            errors["decision"] = _("Choose a decision.")
            return _render(request, objection, errors, status=400)
    except RecordsError as error:
        errors[error.field or "form"] = error.translated()
        return _render(request, objection, errors, status=400)
    return redirect("casework:records_objection", objection.pk)
