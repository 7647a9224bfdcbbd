"""Paying the fee of a replacement or renewal: the holder's page (counter instructions, or the way to the online
gateway and back), and the gateway's signed notification (machine to machine: no session, no CSRF token; the
HMAC signature over the raw body is the authentication, checked before anything is read)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sscard.accounts.decorators import citizen_required

from .models import Payment
from .payments import registry
from .payments import services as payment_services
from .views import _own

# A refused notification: the status the gateway gets (it retries a 5xx, not a 4xx).
REFUSAL_STATUS = {"bad_signature": 403, "unknown_order": 404, "unknown_gateway": 404}


def _payment(request: HttpRequest, code: str):
    application = _own(request, code)
    return application, Payment.objects.filter(application=application).first()


@never_cache
@citizen_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, code: str) -> HttpResponse:
    application, payment = _payment(request, code)
    if payment is None:
        return redirect("applications:detail", code=application.office_code)
    gateway = registry.get(payment.gateway)
    if request.method == "POST" and gateway.online and payment.state == Payment.State.PENDING:
        if url := to_gateway(request, payment):
            return redirect(url)
    return render(request, "applications/pay.html", {"application": application, "payment": payment,
                                                     "online": gateway.online})


def to_gateway(request: HttpRequest, payment: Payment) -> str:
    """Open the order at the online gateway: the URL to send the holder to, or "" (the reason is a message)."""
    code = payment.application.office_code
    try:
        return payment_services.start_online(
            payment=payment, actor=request.user, request=request,
            return_url=request.build_absolute_uri(reverse("applications:payment_return", args=[code])),
            notify_url=request.build_absolute_uri(reverse("applications:payment_notify", args=[payment.gateway])))
    except payment_services.PaymentError as error:
        messages.error(request, error.translated())
        return ""


@never_cache
@citizen_required
def payment_return(request: HttpRequest, code: str) -> HttpResponse:
    """Where the gateway sends the holder back: ask it about the order if its notification is not in yet."""
    application, payment = _payment(request, code)
    if payment is not None:
        payment_services.refresh(payment=payment, request=request)
        payment.refresh_from_db()
        if payment.state == Payment.State.PAID:
            messages.success(request, _("Thank you: the fee is paid. Your application goes on."))
        else:
            messages.info(request, _("The payment has not been confirmed yet. This page shows it once it is."))
    return redirect("applications:pay", code=application.office_code)


@csrf_exempt
@require_POST
def notify(request: HttpRequest, gateway: str) -> HttpResponse:
    try:
        payment, recorded = payment_services.handle_notification(gateway_id=gateway, body=request.body,
                                                                 headers=request.headers, request=request)
    except payment_services.PaymentError as error:
        return JsonResponse({"result": "refused", "code": error.code}, status=REFUSAL_STATUS.get(error.code, 400))
    return JsonResponse({"result": "ok", "order_id": payment.order_id, "recorded": recorded})
