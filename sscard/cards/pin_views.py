"""The counter's PIN page (/staff/pin/): a clerk looks a card up by its number (only cards of cases in the
clerk's areas), checks the holder's ID document in person and unlocks the PIN (back to the initial PIN) or
enables a sealed card with the initial PIN. Thin: parse, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sscard.audit.services import record_event
from sscard.casework.workbench import need, workbench

from . import forms, pin
from .services import CardError


@workbench
def counter(request: HttpRequest) -> HttpResponse:
    need(request, "outlet_counter")
    lookup = forms.CardLookupForm(request.GET or None)
    card = None
    if lookup.is_bound and lookup.is_valid():
        card = pin.visible_card(request.user, lookup.cleaned_data["card_number"])
        if card is None:
            lookup.add_error("card_number", _("No card with this number was issued in your areas."))
        else:
            record_event(event_type="card.viewed_at_counter", actor=request.user, request=request,
                         subject_type="card", subject_id=card.card_number, data={"page": "pin"})
    return render(request, "cards/pin_counter.html", {"lookup": lookup, "card": card,
                                                      "form": forms.CounterPinForm(), "nav": "pin"})


@workbench
@require_POST
def counter_action(request: HttpRequest, card_number: str, step: str) -> HttpResponse:
    need(request, "outlet_counter")
    actions = {"unlock": (pin.unlock_at_counter, _("The PIN of card %(number)s is unlocked: it is the initial PIN "
                                                   "again. Tell the holder to change it.")),
               "enable": (pin.enable_at_counter, _("Card %(number)s is enabled with the initial PIN. Tell the holder "
                                                   "to change it."))}
    if step not in actions:
        raise Http404
    card = pin.visible_card(request.user, card_number)
    if card is None:
        raise Http404  # not a card of the clerk's areas
    action, done = actions[step]
    form = forms.CounterPinForm(request.POST)
    if form.is_valid():
        try:
            action(staff=request.user, card=card, id_number=form.cleaned_data["id_number"],
                   document_checked=form.cleaned_data["document_checked"], request=request)
        except CardError as error:
            messages.error(request, error.translated())
        else:
            messages.success(request, done % {"number": card.card_number})
    else:
        messages.error(request, _("Check the holder's ID document in person and enter its number."))
    return redirect(reverse("casework:pin_counter") + f"?card_number={card.card_number}")
