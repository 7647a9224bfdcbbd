"""Staff workbench pages: thin — parse the form, call one service or selector, render."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sscard.accounts.decorators import staff_required
from sscard.applications import photos
from sscard.audit.services import record_event
from sscard.cards.models import Card
from sscard.domain import spreadsheet
from sscard.domain.casestates import State
from sscard.domain.masking import mask_phone
from sscard.reference.models import Manufacturer, PartnerBank

from . import forms, selectors, services
from .lines import ImportRejected
from .models import BankExchange, ProductionBatch
from .roles import perm

OPEN = set(selectors.OPEN_STATES)


def workbench(view):
    """Signed-in staff with a back office role (permission `use_workbench`)."""

    @wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(perm("use_workbench")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _can(request, codename: str) -> bool:
    return request.user.has_perm(perm(codename))


def _need(request, codename: str) -> None:
    if not _can(request, codename):
        raise PermissionDenied


# --- Queues -------------------------------------------------------------------------------------------------

@workbench
def queue(request: HttpRequest) -> HttpResponse:
    areas = selectors.areas_of(request.user)
    form = forms.QueueFilterForm(request.GET or None, areas=areas)
    filters = selectors.QueueFilters()
    if form.is_valid():
        filters = selectors.QueueFilters(**{k: form.cleaned_data[k] for k in ("stage", "area", "overdue", "mine", "q")})
    cases = list(selectors.queue(request.user, filters)[:200])
    today = selectors.today()
    rows = [{"application": a, "overdue": a.state in OPEN and a.due < today,
             "assigned": getattr(getattr(selectors.casefile_of(a), "assigned_to", None), "real_name", "")
             or getattr(getattr(selectors.casefile_of(a), "assigned_to", None), "username", "")}
            for a in cases]
    return render(request, "casework/queue.html", {
        "form": form, "rows": rows, "counts": selectors.stage_counts(request.user), "areas": areas,
        "stage": filters.stage, "nav": "queue",
    })


# --- Case detail and actions --------------------------------------------------------------------------------

def _case(request, code: str):
    application = selectors.case_for(request.user, code)
    if application is None:
        raise Http404  # not in the member's areas: as if it did not exist
    return application


def _assignees(application):
    User = get_user_model()
    candidates = User.objects.filter(is_staff=True, is_active=True, groups__name__startswith="casework:").distinct()
    return User.objects.filter(pk__in=[u.pk for u in candidates
                                       if selectors.cases_visible_to(u).filter(pk=application.pk).exists()
                                       and u.has_perm(perm("claim_case"))])


def _available(request, application, casefile, pending) -> set[str]:
    """The actions to offer (the services check everything again)."""
    state, can = application.state, lambda c: _can(request, c)
    suspended = casefile is not None and casefile.suspended_since is not None
    assigned_to = casefile.assigned_to_id if casefile else None
    card = Card.objects.filter(application=application).first()
    in_batch = hasattr(application, "batch_item")
    received = casefile is not None and casefile.received_at_outlet is not None
    actions = set()
    if state in OPEN:
        if can("claim_case") and assigned_to != request.user.pk:
            actions.add("claim")
        if can("assign_case"):
            actions.add("assign")
        if can("manage_deadline"):
            actions.add("resume" if suspended else "suspend")
            actions.add("extend")
    if can("review_case") and not pending and not suspended:
        if state in (State.SUBMITTED, State.RESUBMITTED) and assigned_to == request.user.pk:
            actions.add("start_review")
        if state == State.UNDER_REVIEW:
            actions.update({"approve", "return", "reject"})
        if state in (State.RESUBMITTED, State.BANK_FAILED):
            actions.add("reject")
    if pending and can("confirm_rejection") and pending.proposed_by_id != request.user.pk:
        actions.add("decide")
    if state == State.IN_PRODUCTION:
        if can("send_back_to_review") and not in_batch:
            actions.add("send_back")
        if can("dispatch_post") and application.delivery == "post" and card is not None:
            actions.add("tracking")
        if can("outlet_counter") and application.delivery == "pickup" and received:
            actions.add("ready")
    if state == State.READY_FOR_PICKUP and can("outlet_counter"):
        actions.add("hand_over")
    return actions


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
        "tracking": forms.TrackingForm(prefix="tracking", initial=initial),
        "ready": forms.StateForm(prefix="ready", initial=initial),
        "hand_over": forms.HandOverForm(prefix="hand_over", initial=initial),
        "assign": forms.AssignForm(prefix="assign", initial=initial, assignees=_assignees(application)),
    }
    built.update(bound or {})
    return built


def _detail_context(request, application, *, bound=None, revealed=None) -> dict:
    casefile = selectors.casefile_of(application)
    pending = selectors.pending_rejection(application)
    card = Card.objects.filter(application=application).first()
    return {
        "application": application,
        "casefile": casefile,
        "pending": pending,
        "card": card,
        "overdue": selectors.is_overdue(application),
        "history": selectors.history(application),
        "corrections": list(application.corrections.all()),
        "bank_account": selectors.opened_account(application),
        "batch_item": getattr(application, "batch_item", None),
        "actions": _available(request, application, casefile, pending),
        "forms": _forms(application, bound),
        "revealed": revealed or {},
        "can_reveal": _can(request, "reveal_personal_data"),
        "reveal_forms": {name: forms.RevealForm(prefix=f"reveal-{name}", initial={"field": name})
                         for name in services.REVEALABLE},
        "masked_phone": mask_phone(application.applicant.phone or ""),
        "masked_recipient_phone": mask_phone(application.recipient_phone or ""),
        "nav": "queue",
    }


def _audit_read(request, application, event_type: str) -> None:
    """Every staff read of a case's personal data (its page, its photo) is an audit event."""
    record_event(event_type=event_type, actor=request.user, request=request, subject_type=services.SUBJECT,
                 subject_id=application.office_code)


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
        "tracking": (forms.TrackingForm, lambda d: services.record_tracking(
            staff=user, application=application, tracking_number=d["tracking_number"], expected_state=state(d),
            request=request) and _("Posted: the citizen was told the tracking number.")),
        "ready": (forms.StateForm, lambda d: services.mark_ready(
            staff=user, application=application, expected_state=state(d), request=request)
            and _("Ready for pick-up: the citizen was told where and when to collect the card.")),
        "hand_over": (forms.HandOverForm, lambda d: services.hand_over(
            staff=user, application=application, collector=d["collector"], id_number=d["id_number"],
            agent_name=d["agent_name"], authorisation_checked=d["authorisation_checked"],
            expected_state=state(d), request=request) and _("The card was handed over.")),
    }
    if action == "decide":
        form = forms.DecideRejectionForm(P, prefix="decide")
        confirm = P.get("decision") == "confirm"
        return _run(request, application, action, form, lambda d: services.decide_rejection(
            staff=user, application=application, confirm=confirm, note=d["note"], expected_state=state(d),
            request=request) and (_("Rejection confirmed: the case is closed.") if confirm
                                  else _("Rejection declined: the case stays under review.")))
    if action == "assign":
        form = forms.AssignForm(P, prefix="assign", assignees=_assignees(application))
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


# --- Bank pre-opening ---------------------------------------------------------------------------------------

def _import_feedback(request, result: services.ImportResult) -> None:
    if result.applied:
        messages.success(request, _("Imported: %(applied)s line(s) applied, %(unchanged)s already done.")
                         % {"applied": result.applied, "unchanged": result.unchanged})
    else:
        messages.info(request, _("Nothing changed: every line of this file was already imported."))


@workbench
def bank(request: HttpRequest) -> HttpResponse:
    _need(request, "bank_exchange")
    waiting = selectors.awaiting_bank(request.user)
    per_bank = []
    for partner in PartnerBank.objects.all():
        count = waiting.filter(bank=partner).count()
        if count:
            per_bank.append({"bank": partner, "count": count})
    return render(request, "casework/bank.html", {
        "per_bank": per_bank, "exchanges": selectors.exchanges_visible_to(request.user)[:50], "nav": "bank"})


@workbench
@require_POST
def bank_export(request: HttpRequest) -> HttpResponse:
    _need(request, "bank_exchange")
    partner = get_object_or_404(PartnerBank, pk=request.POST.get("bank"))
    try:
        exchange = services.export_bank_request(staff=request.user, bank=partner, request=request)
    except services.CaseworkError as error:
        messages.error(request, error.translated())
        return redirect("casework:bank")
    messages.success(request, _("Request %(number)s created. Download it and send it to the bank.")
                     % {"number": exchange.number})
    return redirect("casework:exchange", number=exchange.number)


def _exchange(request, number: str) -> BankExchange:
    exchange = selectors.exchange_for(request.user, number)
    if exchange is None:
        raise Http404  # holds cases outside the member's areas: as if it did not exist
    return exchange


def _batch(request, number: str) -> ProductionBatch:
    batch = selectors.batch_for(request.user, number)
    if batch is None:
        raise Http404  # holds cases outside the member's areas: as if it did not exist
    return batch


@workbench
def exchange_detail(request: HttpRequest, number: str) -> HttpResponse:
    _need(request, "bank_exchange")
    exchange = _exchange(request, number)
    form, errors, done = _upload(request, lambda data: services.import_bank_response(
        staff=request.user, exchange=exchange, data=data, request=request))
    if done:
        return redirect("casework:exchange", number=exchange.number)
    items = exchange.items.select_related("application").filter(
        application__in=selectors.cases_visible_to(request.user))
    return render(request, "casework/exchange.html", {"exchange": exchange, "items": items, "form": form,
                                                      "errors": errors, "nav": "bank"})


def _upload(request: HttpRequest, importer):
    """Handle an uploaded exchange file: returns (form, line errors, imported?). All-or-nothing imports say
    what is wrong line by line; a refused action says why."""
    if request.method != "POST":
        return forms.UploadForm(), [], False
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, [], False
    try:
        result = importer(form.read())
    except ImportRejected as rejected:
        messages.error(request, _("The file was not imported: nothing changed. Fix the lines below "
                                  "and import it again."))
        return form, rejected.errors, False
    except services.CaseworkError as error:
        messages.error(request, error.translated())
        return form, [], False
    _import_feedback(request, result)
    return form, [], True


def _audited_download(request: HttpRequest, data: bytes, content_type: str, filename: str, *, event_type: str,
                      subject_type: str, subject_id: str) -> HttpResponse:
    """A file of personal data leaves the agency: never cached, always audited."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    record_event(event_type=event_type, actor=request.user, request=request, subject_type=subject_type,
                 subject_id=subject_id)
    return response


@workbench
def exchange_file(request: HttpRequest, number: str) -> HttpResponse:
    _need(request, "bank_exchange")
    exchange = _exchange(request, number)
    return _audited_download(request, services.read_bank_request(exchange), "text/csv; charset=utf-8",
                             f"{exchange.number}-request.csv", event_type="casework.bank_request_downloaded",
                             subject_type="bank_exchange", subject_id=exchange.number)


# --- Production ---------------------------------------------------------------------------------------------

@workbench
def production(request: HttpRequest) -> HttpResponse:
    _need(request, "production_batch")
    return render(request, "casework/production.html", {
        "groups": selectors.ready_by_manufacturer(request.user), "batches": selectors.batches_visible_to(request.user)[:50],
        "nav": "production"})


@workbench
@require_POST
def batch_create(request: HttpRequest) -> HttpResponse:
    _need(request, "production_batch")
    maker = get_object_or_404(Manufacturer, pk=request.POST.get("manufacturer"))
    try:
        batch = services.create_batch(staff=request.user, manufacturer=maker, request=request)
    except services.CaseworkError as error:
        messages.error(request, error.translated())
        return redirect("casework:production")
    messages.success(request, _("Batch %(number)s created. Download its archive and send it to the "
                                "manufacturer.") % {"number": batch.number})
    return redirect("casework:batch", number=batch.number)


@workbench
def batch_detail(request: HttpRequest, number: str) -> HttpResponse:
    if not (_can(request, "production_batch") or _can(request, "outlet_counter")):
        raise PermissionDenied
    if request.method == "POST":
        _need(request, "production_batch")
    batch = _batch(request, number)
    form, errors, done = _upload(request, lambda data: services.import_batch_result(
        staff=request.user, batch=batch, data=data, request=request))
    if done:
        return redirect("casework:batch", number=batch.number)
    items = (batch.items.select_related("application", "card")
             .filter(application__in=selectors.cases_visible_to(request.user)))
    return render(request, "casework/batch.html", {
        "batch": batch, "items": items, "form": form, "errors": errors, "nav": "production",
        "can_import": _can(request, "production_batch")})


@workbench
def batch_archive(request: HttpRequest, number: str) -> HttpResponse:
    _need(request, "production_batch")
    batch = _batch(request, number)
    return _audited_download(request, services.read_batch_archive(batch), "application/zip",
                             f"{batch.number}.zip", event_type="casework.batch_downloaded",
                             subject_type="production_batch", subject_id=batch.number)


# --- Delivery -----------------------------------------------------------------------------------------------

@workbench
def post(request: HttpRequest) -> HttpResponse:
    _need(request, "dispatch_post")
    form, errors, done = _upload(request, lambda data: services.import_tracking(
        staff=request.user, data=data, request=request))
    if done:
        return redirect("casework:post")
    waiting = (selectors.cases_visible_to(request.user)
               .filter(state=State.IN_PRODUCTION, delivery="post", batch_item__card__isnull=False))
    return render(request, "casework/post.html", {"form": form, "errors": errors, "waiting": waiting,
                                                  "nav": "post"})


@workbench
def outlet(request: HttpRequest) -> HttpResponse:
    _need(request, "outlet_counter")
    ready = (selectors.cases_visible_to(request.user).filter(state=State.READY_FOR_PICKUP)
             .order_by("submitted_at"))
    return render(request, "casework/outlet.html", {
        "batches": selectors.outlet_batches(request.user), "ready": ready, "nav": "outlet"})


@workbench
@require_POST
def outlet_batch(request: HttpRequest, number: str, step: str) -> HttpResponse:
    _need(request, "outlet_counter")
    batch = selectors.batch_at_counter(request.user, number)
    if batch is None:
        raise Http404  # no card of this batch is for the member's areas
    try:
        if step == "receive":
            count = services.receive_batch_at_outlet(staff=request.user, batch=batch, request=request)
            messages.success(request, _("%(count)s card(s) received at the counter.") % {"count": count})
        elif step == "ready":
            count = services.mark_batch_ready(staff=request.user, batch=batch, request=request)
            messages.success(request, _("%(count)s card(s) marked ready; the citizens were notified.")
                             % {"count": count})
        else:
            raise Http404
    except services.CaseworkError as error:
        messages.error(request, error.translated())
    return redirect("casework:outlet")


# --- Dashboard ----------------------------------------------------------------------------------------------

@workbench
def dashboard(request: HttpRequest) -> HttpResponse:
    _need(request, "view_dashboard")
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
    _need(request, "view_dashboard")
    stamp = timezone.localdate().isoformat()
    record_event(event_type="casework.dashboard_exported", actor=request.user, request=request,
                 subject_type="dashboard", subject_id=what)
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



