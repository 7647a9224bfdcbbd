"""The staff workbench's delivery pages (post, outlet counter) and the delivery actions of the case page:
thin — parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sscard.casework import forms
from sscard.casework.services import CaseworkError
from sscard.casework.workbench import need, register_case_action, upload, workbench

from . import delivery, post_sheets, selectors


@workbench
def post(request: HttpRequest) -> HttpResponse:
    need(request, "dispatch_post")
    form, errors, done = upload(request, lambda data: delivery.import_tracking(
        staff=request.user, data=data, request=request))
    if done:
        return redirect("casework:post")
    return render(request, "cards/post.html", {"form": form, "errors": errors,
                                               "waiting": selectors.waiting_for_post(request.user),
                                               "nav": "post"})


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@workbench
def post_labels(request: HttpRequest) -> HttpResponse:
    """The address labels of the cards waiting to be posted in the member's areas (PDF, audited)."""
    need(request, "dispatch_post")
    rows = post_sheets.mailings(request.user)
    post_sheets.record_download(staff=request.user, kind="labels", rows=rows, request=request)
    return _download(post_sheets.labels_pdf(rows), "application/pdf",
                     f"post-labels-{timezone.localdate().isoformat()}.pdf")


@workbench
def post_list(request: HttpRequest) -> HttpResponse:
    """The list for the carrier of the same cards (CSV, formulas escaped, audited)."""
    need(request, "dispatch_post")
    rows = post_sheets.mailings(request.user)
    post_sheets.record_download(staff=request.user, kind="list", rows=rows, request=request)
    return _download(post_sheets.carrier_csv(rows), "text/csv; charset=utf-8",
                     f"post-list-{timezone.localdate().isoformat()}.csv")


@workbench
def outlet(request: HttpRequest) -> HttpResponse:
    need(request, "outlet_counter")
    return render(request, "cards/outlet.html", {
        "batches": selectors.outlet_batches(request.user), "ready": selectors.ready_at_counter(request.user),
        "nav": "outlet"})


@workbench
@require_POST
def outlet_batch(request: HttpRequest, number: str, step: str) -> HttpResponse:
    need(request, "outlet_counter")
    batch = selectors.batch_at_counter(request.user, number)
    if batch is None:
        raise Http404  # no card of this batch is for the member's areas
    try:
        if step == "receive":
            count = delivery.receive_batch_at_outlet(staff=request.user, batch=batch, request=request)
            messages.success(request, _("%(count)s card(s) received at the counter.") % {"count": count})
        elif step == "ready":
            count = delivery.mark_batch_ready(staff=request.user, batch=batch, request=request)
            messages.success(request, _("%(count)s card(s) marked ready; the citizens were notified.")
                             % {"count": count})
        else:
            raise Http404
    except CaseworkError as error:
        messages.error(request, error.translated())
    return redirect("casework:outlet")


# --- Delivery actions on the case page (/staff/cases/<code>/<action>) ---------------------------------------

def _tracking(request, application, data) -> str:
    delivery.record_tracking(staff=request.user, application=application, tracking_number=data["tracking_number"],
                             expected_state=data["expected_state"], request=request)
    return _("Posted: the citizen was told the tracking number.")


def _ready(request, application, data) -> str:
    delivery.mark_ready(staff=request.user, application=application, expected_state=data["expected_state"],
                        request=request)
    return _("Ready for pick-up: the citizen was told where and when to collect the card.")


def _hand_over(request, application, data) -> str:
    delivery.hand_over(staff=request.user, application=application, collector=data["collector"],
                       id_number=data["id_number"], agent_name=data["agent_name"],
                       authorisation_checked=data["authorisation_checked"], expected_state=data["expected_state"],
                       request=request)
    return _("The card was handed over.")


def register_case_actions() -> None:
    """Called when the cards app loads: the case page offers these actions when `available_actions` does."""
    register_case_action("tracking", forms.TrackingForm, _tracking)
    register_case_action("ready", forms.StateForm, _ready)
    register_case_action("hand_over", forms.HandOverForm, _hand_over)
