"""The holder's cards: "My social security card" (我的社保卡, an entry of "My homepage"), where to collect a
card that is ready, and the online confirmation that a posted card arrived."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sscard.accounts.decorators import citizen_required
from sscard.casework.services import CaseworkError
from sscard.domain.casestates import State
from sscard.reference.selectors import service_settings

from . import delivery, loss, replacement, selectors
from .services import CardError


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    cards = list(selectors.cards_of(request.user))
    for card in cards:  # what the page offers: replacement, renewal, or the one in progress
        card.in_progress = replacement.replacement_in_progress(card)
        card.offers = replacement.offers(card)
    return render(request, "cards/mine.html", {"cards": cards, "posted": State.POSTED,
                                               "ready": State.READY_FOR_PICKUP,
                                               "loss_days": service_settings().temporary_loss_days,
                                               "renewal_days": service_settings().renewal_window_days})


@citizen_required
@require_POST
def confirm_receipt(request: HttpRequest, card_number: str) -> HttpResponse:
    card = selectors.card_of(request.user, card_number)
    if card is None:
        raise Http404
    try:
        delivery.confirm_receipt(user=request.user, application=card.application, request=request)
    except CaseworkError as error:
        messages.error(request, error.translated())
    else:
        messages.success(request, _("Thank you: the receipt of card %(number)s is confirmed.")
                         % {"number": card.card_number})
    return redirect("cards:mine")


def _loss_action(request: HttpRequest, card_number: str, action, done: str) -> HttpResponse:
    card = selectors.card_of(request.user, card_number)
    if card is None:
        raise Http404
    try:
        action(user=request.user, card=card, expected_state=request.POST.get("expected_state") or card.state,
               request=request)
    except CardError as error:
        messages.error(request, error.translated())
    else:
        messages.success(request, done % {"number": card.card_number})
    return redirect("cards:mine")


@citizen_required
@require_POST
def report_loss(request: HttpRequest, card_number: str) -> HttpResponse:
    return _loss_action(request, card_number, loss.report_temporary_loss,
                        _("Card %(number)s is reported lost: it is blocked from now on."))


@citizen_required
@require_POST
def withdraw_loss(request: HttpRequest, card_number: str) -> HttpResponse:
    return _loss_action(request, card_number, loss.withdraw_temporary_loss,
                        _("The loss report of card %(number)s is withdrawn: the card can be used again."))
