"""Staff workbench pages of the back office: the queue, a case and its actions, the dashboard. Thin — parse
the form, call one service or selector, render. Bank pre-opening and production pages are
`casework.production.views`; the post and outlet pages and the delivery actions of the case page are served
by `sscard.cards` (registered in `workbench.CASE_ACTIONS`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sscard.applications import photos
from sscard.domain import spreadsheet

from . import facts, forms, selectors, services
from .production import selectors as production_selectors
from .workbench import CASE_ACTIONS, can, need, workbench

# --- Queues -------------------------------------------------------------------------------------------------

@workbench
def queue(request: HttpRequest) -> HttpResponse:
    areas = selectors.areas_of(request.user)
    form = forms.QueueFilterForm(request.GET or None, areas=areas)
    filters = selectors.QueueFilters()
    if form.is_valid():
        filters = selectors.QueueFilters(**{k: form.cleaned_data[k] for k in ("stage", "area", "overdue", "mine", "q")})
    return render(request, "casework/queue.html", {
        "form": form, "rows": selectors.queue_rows(request.user, filters), "counts": selectors.stage_counts(request.user),
        "areas": areas, "stage": filters.stage, "nav": "queue",
    })


# --- Case detail and actions --------------------------------------------------------------------------------

def _case(request, code: str):
    application = selectors.case_for(request.user, code)
    if application is None:
        raise Http404  # not in the member's areas: as if it did not exist
    return application


def _forms(application, bound: dict | None = None) -> dict:
    initial = {"expected_state": application.state}
    built = {
        "claim": forms.StateForm(prefix="claim", initial=initial),
        "start_review": forms.StateForm(prefix="start_review", initial=initial),
        "approve": forms.NoteForm(prefix="approve", initial=initial),
        "return": forms.ReturnForm(prefix="return", initial=initial),
        "reject": forms.RejectForm(prefix="reject", initial=initial),
        "decide": forms.DecideRejectionForm(prefix="decide", initial=initial),
        "suspend": forms.ReasonForm(prefix="suspend", initial=initial),
        "resume": forms.NoteForm(prefix="resume", initial=initial),
        "extend": forms.ExtendForm(prefix="extend", initial=initial),
        "send_back": forms.ReasonForm(prefix="send_back", initial=initial),
        "assign": forms.AssignForm(prefix="assign", initial=initial, assignees=selectors.assignees_for(application)),
    }
    for name, handler in CASE_ACTIONS.items():
        built[name] = handler.form_class(prefix=name, initial=initial)
    built.update(bound or {})
    return built


def _detail_context(request, application, *, bound=None, revealed=None) -> dict:
    casefile = selectors.casefile_of(application)
    pending = selectors.pending_rejection(application)
    return {
        "application": application,
        "casefile": casefile,
        "pending": pending,
        "card": selectors.card_of(application),
        "overdue": selectors.is_overdue(application),
        "history": selectors.history(application),
        "corrections": list(application.corrections.all()),
        "bank_account": production_selectors.opened_account(application),
        "batch_item": getattr(application, "batch_item", None),
        "actions": selectors.available_actions(request.user, application, casefile=casefile, pending=pending),
        "forms": _forms(application, bound),
        "facts": [(row, forms.RevealForm(prefix=f"reveal-{row.field}", initial={"field": row.field})
                   if row.field else None) for row in facts.case_facts(application, revealed)],
        "revealed": revealed or {},
        "can_reveal": can(request, "reveal_personal_data"),
        "nav": "queue",
    }


def _audit_read(request, application, event_type: str) -> None:
    """Every staff read of a case's personal data (its page, its photo) is an audit event."""
    services.record_read(staff=request.user, event_type=event_type, subject_id=application.office_code,
                         request=request)


def _render_case(request, application, context: dict) -> HttpResponse:
    """The case page shows the case's personal data: each time it is shown is an audited read."""
    _audit_read(request, application, "casework.case_viewed")
    return render(request, "casework/case.html", context)


@workbench
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    application = _case(request, code)
    return _render_case(request, application, _detail_context(request, application))


@workbench
def case_photo(request: HttpRequest, code: str) -> HttpResponse:
    application = _case(request, code)
    if not application.photo:
        raise Http404
    response = HttpResponse(photos.read(application.photo), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    _audit_read(request, application, "casework.photo_viewed")
    return response


def _run(request, application, action: str, form, call) -> HttpResponse:
    """Validate `form`, run `call(data)`; a refusal is a message on the case page."""
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        context = _detail_context(request, application, bound={action: form})
        context["open_form"] = action
        return _render_case(request, application, context)
    try:
        result = call(form.cleaned_data)
    except services.CaseworkError as error:
        messages.error(request, error.translated())
    else:
        if result:
            messages.success(request, result)
    return redirect("casework:case", code=application.office_code)



@workbench
@require_POST
def case_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    application = _case(request, code)
    user, P = request.user, request.POST

    def state(data):
        return data["expected_state"]

    handlers = {
        "claim": (forms.StateForm, lambda d: services.claim(
            staff=user, application=application, expected_state=state(d), request=request)
            and _("You now hold this case.")),
        "start_review": (forms.StateForm, lambda d: services.start_review(
            staff=user, application=application, expected_state=state(d), request=request)
            and _("Review started.")),
        "approve": (forms.NoteForm, lambda d: services.approve(
            staff=user, application=application, note=d["note"], expected_state=state(d), request=request)
            and _("Approved: the case goes to the partner bank for account pre-opening.")),
        "return": (forms.ReturnForm, lambda d: services.return_for_correction(
            staff=user, application=application, reasons=d["reasons"], expected_state=state(d), request=request)
            and _("Returned to the citizen for correction.")),
        "reject": (forms.RejectForm, lambda d: services.propose_rejection(
            staff=user, application=application, reason_code=d["reason_code"], note=d["note"],
            expected_state=state(d), request=request)
            and _("Rejection proposed. It takes effect when a supervisor confirms it.")),
        "suspend": (forms.ReasonForm, lambda d: services.suspend(
            staff=user, application=application, reason=d["reason"], expected_state=state(d), request=request)
            and _("The case is suspended.")),
        "resume": (forms.NoteForm, lambda d: services.resume(
            staff=user, application=application, reason=d["note"], expected_state=state(d), request=request)
            and _("The case is resumed; its time limit moved by the days it was suspended.")),
        "extend": (forms.ExtendForm, lambda d: services.extend_deadline(
            staff=user, application=application, days=d["days"], reason=d["reason"], expected_state=state(d),
            request=request) and _("The time limit was extended.")),
        "send_back": (forms.ReasonForm, lambda d: services.send_back_to_review(
            staff=user, application=application, reason=d["reason"], expected_state=state(d), request=request)
            and _("The case is back under review.")),
    }
    for name, handler in CASE_ACTIONS.items():
        handlers[name] = (handler.form_class, lambda d, run=handler.run: run(request, application, d))
    if action == "decide":
        form = forms.DecideRejectionForm(P, prefix="decide")
        confirm = P.get("decision") == "confirm"
        return _run(request, application, action, form, lambda d: services.decide_rejection(
            staff=user, application=application, confirm=confirm, note=d["note"], expected_state=state(d),
            request=request) and (_("Rejection confirmed: the case is closed.") if confirm
                                  else _("Rejection declined: the case stays under review.")))
    if action == "assign":
        form = forms.AssignForm(P, prefix="assign", assignees=selectors.assignees_for(application))
        return _run(request, application, action, form, lambda d: services.assign(
            staff=user, application=application, assignee=d["assignee"], reason=d["reason"],
            expected_state=state(d), request=request) and _("The case was assigned."))
    if action == "reveal":
        name = P.get("field", "")
        form = forms.RevealForm(P, prefix=f"reveal-{name}")
        if not form.is_valid():
            messages.error(request, _("Say why you need the full value."))
            return redirect("casework:case", code=application.office_code)
        try:
            value = services.reveal(staff=user, application=application, field_name=form.cleaned_data["field"],
                                    reason=form.cleaned_data["reason"], request=request)
        except services.CaseworkError as error:
            messages.error(request, error.translated())
            return redirect("casework:case", code=application.office_code)
        context = _detail_context(request, application, revealed={form.cleaned_data["field"]: value})
        response = _render_case(request, application, context)
        response["Cache-Control"] = "no-store"
        return response
    if action not in handlers:
        raise Http404
    form_class, call = handlers[action]
    return _run(request, application, action, form_class(P, prefix=action), call)


# --- Dashboard ----------------------------------------------------------------------------------------------

@workbench
def dashboard(request: HttpRequest) -> HttpResponse:
    need(request, "view_dashboard")
    return render(request, "casework/dashboard.html", {"board": selectors.dashboard(request.user),
                                                       "nav": "dashboard"})


class _Echo:
    def write(self, value):
        return value


def _stream_csv(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = spreadsheet.writer(_Echo())  # formulas escaped, like every export

    def generate():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@workbench
def dashboard_csv(request: HttpRequest, what: str) -> StreamingHttpResponse:
    need(request, "view_dashboard")
    stamp = timezone.localdate().isoformat()
    services.record_read(staff=request.user, event_type="casework.dashboard_exported", subject_type="dashboard",
                         subject_id=what, request=request)
    if what == "stages":
        board = selectors.dashboard(request.user)
        rows = ([s.state, s.label, s.count, s.overdue, "" if s.average_days is None else s.average_days,
                 "" if s.p90_days is None else s.p90_days, s.samples] for s in board.stages)
        return _stream_csv(f"stages-{stamp}.csv", ["stage", "label", "cases", "overdue", "average_working_days",
                                                    "p90_working_days", "samples"], rows)
    if what == "overdue":
        today = selectors.today()
        cases = (selectors.cases_visible_to(request.user)
                 .filter(state__in=selectors.OPEN_STATES, due__lt=today).order_by("due").iterator())
        rows = ([a.display_code, a.state, a.submitted_at.date().isoformat(), a.due.isoformat(),
                 (a.due and (today - a.due).days), a.res_district, a.outlet_id or ""] for a in cases)
        return _stream_csv(f"overdue-{stamp}.csv", ["office_code", "stage", "submitted", "time_limit",
                                                     "days_over", "district", "outlet"], rows)
    raise Http404
