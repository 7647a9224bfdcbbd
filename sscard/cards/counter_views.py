"""The counter card page of the staff workbench (/staff/counter/...): a clerk looks a card up by its number
or by the holder's ID number (cards of the clerk's areas only), reads it (an audited read) and acts on it
through the registered counter actions (`counter_actions.py`); supervisors confirm or decline the
cancellations requested at the counters of their areas (/staff/counter/cancellations/). Thin: parse, call
one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sscard.casework.workbench import can, need, workbench
from sscard.core.errors import DomainError
from sscard.domain import cardstates
from sscard.domain.cardstates import CardState

from . import cancellation, counter, loss, selectors
from .counter_actions import COUNTER_ACTIONS, CounterAction, actions_for, moves_to, register_counter_action
from .counter_forms import (
    CancellationRequestForm,
    CardStateForm,
    CounterSearchForm,
    DecideCancellationForm,
    FormalLossForm,
)
from .models import CardState as CardStateChoices


@workbench
def search(request: HttpRequest) -> HttpResponse:
    """Look a card up. One card found: its page; none (or only elsewhere): the same "not found" answer."""
    need(request, "outlet_counter")
    form, cards = CounterSearchForm(request.GET or None), None
    if form.is_valid():
        cards = selectors.find_cards_at_counter(request.user, form.cleaned_data["q"])
        counter.record_search(staff=request.user, query=form.cleaned_data["q"], found=len(cards), request=request)
        if len(cards) == 1:
            return redirect("casework:counter_card", cards[0].card_number)
    return render(request, "cards/counter/search.html", {"form": form, "cards": cards, "nav": "counter"})


def _card_page(request: HttpRequest, card, bound: tuple[str, object] | None = None, status: int = 200):
    actions = actions_for(card, request.user)
    forms = {a.name: a.form_class(prefix=a.name, initial={"expected_state": card.state}) for a in actions}
    if bound is not None:
        forms[bound[0]] = bound[1]
    allowed = [CardStateChoices(s).label for s in cardstates.allowed_targets(card.state, cardstates.Channel.COUNTER)]
    return render(request, "cards/counter/card.html", {
        "card": card, "actions": [(a, forms[a.name]) for a in actions], "allowed": allowed,
        "pending": selectors.pending_cancellation(card), "nav": "counter"}, status=status)


def _card(request: HttpRequest, number: str):
    card = selectors.card_at_counter(request.user, number)
    if card is None:
        raise Http404  # not in the clerk's areas: as if it did not exist
    return card


@workbench
def card(request: HttpRequest, number: str) -> HttpResponse:
    need(request, "outlet_counter")
    found = _card(request, number)
    counter.record_card_view(staff=request.user, card=found, request=request)
    return _card_page(request, found)


@workbench
@require_POST
def card_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    need(request, "outlet_counter")
    found = _card(request, number)
    handler = COUNTER_ACTIONS.get(action)
    if handler is None:
        raise Http404
    form = handler.form_class(request.POST, prefix=handler.name)
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _card_page(request, found, bound=(handler.name, form), status=400)
    try:
        done = handler.run(request, found, form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.translated())
    else:
        messages.success(request, done)
    return redirect("casework:counter_card", found.card_number)


# --- The counter's own actions (others register theirs the same way when their app loads) -----------------

def _formal_loss(request, card, data) -> str:
    loss.report_formal_loss(staff=request.user, card=card, reason=data["reason"],
                            expected_state=data["expected_state"], request=request)
    return _("Card %(number)s is formally reported lost. The holder can apply for a replacement card.") % {
        "number": card.card_number}


def _withdraw_loss(request, card, data) -> str:
    counter.withdraw_loss_at_counter(staff=request.user, card=card, expected_state=data["expected_state"],
                                     request=request)
    return _("The loss report of card %(number)s is withdrawn: the card can be used again.") % {
        "number": card.card_number}


def _request_cancellation(request, card, data) -> str:
    cancellation.request_cancellation(staff=request.user, card=card, reason=data["reason"], note=data["note"],
                                      request=request)
    return _("The cancellation of card %(number)s is requested. It takes effect when a supervisor confirms it.") % {
        "number": card.card_number}


def _withdrawable(card, staff) -> bool:
    return card.state in cardstates.LOST and moves_to(CardState.ACTIVE)(card, staff)


def _cancellable(card, staff) -> bool:
    return moves_to(CardState.CANCELLED)(card, staff) and selectors.pending_cancellation(card) is None


register_counter_action(CounterAction(name="formal_loss", template="cards/counter/_formal_loss.html",
                                      form_class=FormalLossForm, available=moves_to(CardState.FORMALLY_LOST),
                                      run=_formal_loss, order=10))
register_counter_action(CounterAction(name="withdraw_loss", template="cards/counter/_withdraw_loss.html",
                                      form_class=CardStateForm,
                                      available=_withdrawable, run=_withdraw_loss, order=20))
register_counter_action(CounterAction(name="cancel", template="cards/counter/_cancel.html",
                                      form_class=CancellationRequestForm, available=_cancellable,
                                      run=_request_cancellation, order=90))


# --- Cancellations waiting for a supervisor ---------------------------------------------------------------

@workbench
def cancellations(request: HttpRequest) -> HttpResponse:
    if not (can(request, "confirm_cancellation") or can(request, "outlet_counter")):
        raise PermissionDenied
    rows = selectors.cancellations_visible_to(request.user)[:200]
    return render(request, "cards/counter/cancellations.html", {
        "rows": rows, "can_decide": can(request, "confirm_cancellation"), "form": DecideCancellationForm(),
        "nav": "cancellations"})


@workbench
@require_POST
def cancellation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    need(request, "confirm_cancellation")
    row = selectors.cancellation_for(request.user, pk)
    if row is None:
        raise Http404  # not in the member's areas: as if it did not exist
    form = DecideCancellationForm(request.POST)
    confirm = request.POST.get("decision") == "confirm"
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return redirect("casework:cancellations")
    try:
        cancellation.decide_cancellation(staff=request.user, cancellation=row, confirm=confirm,
                                         note=form.cleaned_data["note"], request=request)
    except DomainError as error:
        messages.error(request, error.translated())
    else:
        messages.success(request, (_("Confirmed: card %(number)s is cancelled and the holder was told by SMS.")
                                   if confirm else _("Declined: card %(number)s was not changed."))
                         % {"number": row.card.card_number})
    return redirect("casework:cancellations")
