"""Replacement and renewal pages: the holder's short form from "My card", and the clerk's counter page where a
fee paid at the outlet is recorded. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sscard.accounts.decorators import citizen_required
from sscard.applications.choices import Kind
from sscard.applications.models import Payment
from sscard.applications.payment_views import to_gateway
from sscard.applications.payments import registry
from sscard.casework.services import CaseworkError
from sscard.casework.services.base import audit_case
from sscard.casework.workbench import need, workbench

from . import replacement, selectors
from .forms import ReplacementForm
from .services import CardError


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}" if fen else ""


def _token(value: str | None) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return str(uuid.uuid4())


@never_cache
@citizen_required
@require_http_methods(["GET", "POST"])
def replace(request: HttpRequest, card_number: str, kind: str) -> HttpResponse:
    card = selectors.card_of(request.user, card_number)
    if card is None or kind not in (Kind.REPLACEMENT, Kind.RENEWAL):
        raise Http404
    form = ReplacementForm(request.POST if request.method == "POST" else None, kind=kind)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            application = replacement.apply(user=request.user, card=card, kind=kind,
                                            reason=form.cleaned_data.get("reason", ""),
                                            delivery=form.model_fields(), token=_token(request.POST.get("token")),
                                            request=request)
        except CardError as refused:
            error = refused.translated()
        else:
            messages.success(request, _("Your application was received. Office code: %(code)s.")
                             % {"code": application.display_code})
            payment = Payment.objects.filter(application=application).first()
            if payment is not None:  # an online gateway: straight to its pay page; the counter: instructions
                url = to_gateway(request, payment) if registry.get(payment.gateway).online else ""
                return redirect(url or reverse("applications:pay", args=[application.office_code]))
            return redirect("applications:done", code=application.office_code)
    elif request.method == "GET" and (refused := replacement.refusal(card, kind=kind, reason="lost"
                                                                      if card.state != "active" else "damaged")):
        error = refused.translated()
    title = _("Apply for a replacement card") if kind == Kind.REPLACEMENT else _("Renew the card")
    return render(request, "cards/replace.html", {
        "card": card, "form": form, "error": error, "title": title, "token": _token(request.POST.get("token")),
        "fee": _yuan(replacement.fee_fen(kind))})


# --- The counter ------------------------------------------------------------------------------------------

@workbench
@require_http_methods(["GET"])
def counter_payments(request: HttpRequest) -> HttpResponse:
    """Find the fee of an application by its office code (the clerk's areas only)."""
    need(request, "outlet_counter")
    code = (request.GET.get("code") or "").strip()
    found = replacement.counter_payment(request.user, code) if code else None
    if found is not None:  # a staff read of a case (masked name): audited like the case page
        audit_case(request.user, found[0], "fee_viewed", request=request)
    return render(request, "cards/counter_payments.html", {"code": code, "found": found, "nav": "outlet"})


@workbench
@require_POST
def record_counter_payment(request: HttpRequest, code: str) -> HttpResponse:
    need(request, "outlet_counter")
    found = replacement.counter_payment(request.user, code)
    if found is None:
        raise Http404
    application, _payment = found
    try:
        recorded = replacement.record_counter_payment(staff=request.user, application=application, request=request)
    except (CardError, CaseworkError) as error:
        messages.error(request, error.translated())
    else:
        if recorded:
            messages.success(request, _("The fee of %(code)s is recorded as paid.") % {"code": application.display_code})
        else:
            messages.info(request, _("The fee of %(code)s was already paid.") % {"code": application.display_code})
    return redirect(f"{reverse('casework:counter_payments')}?code={application.office_code}")
