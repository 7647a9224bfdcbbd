"""Workbench pages of bank pre-opening and production batches: thin — parse, call one service or selector,
render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sscard.reference.models import Manufacturer, PartnerBank

from .. import selectors
from ..models import BankExchange, ProductionBatch
from ..services import CaseworkError
from ..workbench import audited_download, can, need, upload, workbench
from . import selectors as production_selectors
from . import services

# --- Bank pre-opening ---------------------------------------------------------------------------------------

@workbench
def bank(request: HttpRequest) -> HttpResponse:
    need(request, "bank_exchange")
    waiting = production_selectors.awaiting_bank(request.user)
    per_bank = []
    for partner in PartnerBank.objects.all():
        count = waiting.filter(bank=partner).count()
        if count:
            per_bank.append({"bank": partner, "count": count})
    return render(request, "casework/bank.html", {
        "per_bank": per_bank, "exchanges": production_selectors.exchanges_visible_to(request.user)[:50], "nav": "bank"})


@workbench
@require_POST
def bank_export(request: HttpRequest) -> HttpResponse:
    need(request, "bank_exchange")
    partner = get_object_or_404(PartnerBank, pk=request.POST.get("bank"))
    try:
        exchange = services.export_bank_request(staff=request.user, bank=partner, request=request)
    except CaseworkError as error:
        messages.error(request, error.translated())
        return redirect("casework:bank")
    messages.success(request, _("Request %(number)s created. Download it and send it to the bank.")
                     % {"number": exchange.number})
    return redirect("casework:exchange", number=exchange.number)


def _exchange(request, number: str) -> BankExchange:
    exchange = production_selectors.exchange_for(request.user, number)
    if exchange is None:
        raise Http404  # holds cases outside the member's areas: as if it did not exist
    return exchange


def _batch(request, number: str) -> ProductionBatch:
    batch = production_selectors.batch_for(request.user, number)
    if batch is None:
        raise Http404  # holds cases outside the member's areas: as if it did not exist
    return batch


@workbench
def exchange_detail(request: HttpRequest, number: str) -> HttpResponse:
    need(request, "bank_exchange")
    exchange = _exchange(request, number)
    form, errors, done = upload(request, lambda data: services.import_bank_response(
        staff=request.user, exchange=exchange, data=data, request=request))
    if done:
        return redirect("casework:exchange", number=exchange.number)
    items = exchange.items.select_related("application").filter(
        application__in=selectors.cases_visible_to(request.user))
    return render(request, "casework/exchange.html", {"exchange": exchange, "items": items, "form": form,
                                                      "errors": errors, "nav": "bank"})



@workbench
def exchange_file(request: HttpRequest, number: str) -> HttpResponse:
    need(request, "bank_exchange")
    exchange = _exchange(request, number)
    return audited_download(request, services.read_bank_request(exchange), "text/csv; charset=utf-8",
                             f"{exchange.number}-request.csv", event_type="casework.bank_request_downloaded",
                             subject_type="bank_exchange", subject_id=exchange.number)


# --- Production ---------------------------------------------------------------------------------------------

@workbench
def production(request: HttpRequest) -> HttpResponse:
    need(request, "production_batch")
    return render(request, "casework/production.html", {
        "groups": production_selectors.ready_by_manufacturer(request.user), "batches": production_selectors.batches_visible_to(request.user)[:50],
        "nav": "production"})


@workbench
@require_POST
def batch_create(request: HttpRequest) -> HttpResponse:
    need(request, "production_batch")
    maker = get_object_or_404(Manufacturer, pk=request.POST.get("manufacturer"))
    try:
        batch = services.create_batch(staff=request.user, manufacturer=maker, request=request)
    except CaseworkError as error:
        messages.error(request, error.translated())
        return redirect("casework:production")
    messages.success(request, _("Batch %(number)s created. Download its archive and send it to the "
                                "manufacturer.") % {"number": batch.number})
    return redirect("casework:batch", number=batch.number)


@workbench
def batch_detail(request: HttpRequest, number: str) -> HttpResponse:
    if not (can(request, "production_batch") or can(request, "outlet_counter")):
        raise PermissionDenied
    if request.method == "POST":
        need(request, "production_batch")
    batch = _batch(request, number)
    form, errors, done = upload(request, lambda data: services.import_batch_result(
        staff=request.user, batch=batch, data=data, request=request))
    if done:
        return redirect("casework:batch", number=batch.number)
    items = (batch.items.select_related("application", "card")
             .filter(application__in=selectors.cases_visible_to(request.user)))
    return render(request, "casework/batch.html", {
        "batch": batch, "items": items, "form": form, "errors": errors, "nav": "production",
        "can_import": can(request, "production_batch")})


@workbench
def batch_archive(request: HttpRequest, number: str) -> HttpResponse:
    need(request, "production_batch")
    batch = _batch(request, number)
    return audited_download(request, services.read_batch_archive(batch), "application/zip",
                             f"{batch.number}.zip", event_type="casework.batch_downloaded",
                             subject_type="production_batch", subject_id=batch.number)
