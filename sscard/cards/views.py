"""The holder's cards: "My social security card" (我的社保卡, an entry of "My homepage"), where to collect a
card that is ready, the online confirmation that a posted card arrived, enabling the card and its PIN."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sscard.accounts import services as account_services
from sscard.accounts.decorators import citizen_required
from sscard.accounts.errors import FieldErrors
from sscard.accounts.models import SmsPurpose
from sscard.casework.services import CaseworkError
from sscard.domain.casestates import State
from sscard.domain.masking import mask_phone
from sscard.reference.selectors import service_settings

from . import delivery, forms, loss, pin, replacement, selectors
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


# --- Enabling the card and its PIN ------------------------------------------------------------------------------

def _apply(form, errors: dict[str, list[str]]) -> None:
    for field, field_messages in errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _pin_page(request: HttpRequest, card, *, form_class, action, purpose: str | None, title: str, intro: str,
              button: str, done: str) -> HttpResponse:
    """A PIN form of "My card": "Send code" (to the account's phone) or submit; every refusal is put next to
    the field it is about; the PINs typed are never shown again."""
    form = form_class()
    if request.method == "POST" and request.POST.get("action") == "send_code" and purpose:
        form = form_class(initial={k: v for k, v in request.POST.items() if k == "id_number"})
        try:
            account_services.request_sms_code(phone=request.user.phone, purpose=purpose, request=request)
        except FieldErrors as error:
            form.full_clean()  # unbound: prepares the form to carry the errors
            form.cleaned_data = {}
            _apply(form, {"sms_code" if k == "phone" else k: v for k, v in error.errors.items()})
        else:
            messages.success(request, _("A verification code was sent to %(phone)s. It is valid for 5 minutes.")
                             % {"phone": mask_phone(request.user.phone or "")})
    elif request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                action(user=request.user, card=card, request=request, **form.cleaned_data)
            except pin.PinError as error:
                _apply(form, {error.field: [error.translated()]})
            except CardError as error:
                _apply(form, {"__all__": [error.translated()]})
            except FieldErrors as error:
                _apply(form, error.errors)
            else:
                messages.success(request, done % {"number": card.card_number})
                return redirect("cards:mine")
    return render(request, "cards/pin_form.html", {"card": card, "form": form, "title": title, "intro": intro,
                                                   "button": button, "send_code": bool(purpose)})


def _card_or_404(request: HttpRequest, card_number: str):
    card = selectors.card_of(request.user, card_number)
    if card is None:
        raise Http404
    return card


@citizen_required
@require_http_methods(["GET", "POST"])
def enable(request: HttpRequest, card_number: str) -> HttpResponse:
    card = _card_or_404(request, card_number)
    try:
        pin.check_enable(card)
    except CardError as error:
        messages.error(request, error.translated())
        return redirect("cards:mine")
    return _pin_page(
        request, card, form_class=forms.EnableCardForm, action=pin.enable_card, purpose=SmsPurpose.CARD_ENABLE,
        title=_("Enable card %(number)s") % {"number": card.card_number},
        intro=_("We send a code to your mobile phone to check that it is you. Then choose the 6-digit social "
                "security PIN of the card: not one digit repeated, not a run such as 123456 or 654321, and not 6 "
                "digits in a row of your ID number."),
        button=_("Enable the card"), done=_("Card %(number)s is enabled: you can use it now."))


@citizen_required
@require_http_methods(["GET", "POST"])
def change_pin(request: HttpRequest, card_number: str) -> HttpResponse:
    card = _card_or_404(request, card_number)
    return _pin_page(
        request, card, form_class=forms.ChangePinForm, action=pin.change_pin, purpose=None,
        title=_("Change the PIN of card %(number)s") % {"number": card.card_number},
        intro=_("Enter the current PIN, then the new one twice. After 6 wrong tries the PIN is locked."),
        button=_("Change the PIN"), done=_("The PIN of card %(number)s has been changed."))


@citizen_required
@require_http_methods(["GET", "POST"])
def reset_pin(request: HttpRequest, card_number: str) -> HttpResponse:
    card = _card_or_404(request, card_number)
    return _pin_page(
        request, card, form_class=forms.ResetPinForm, action=pin.reset_pin, purpose=SmsPurpose.CARD_PIN_RESET,
        title=_("Reset the PIN of card %(number)s") % {"number": card.card_number},
        intro=_("Forgot the PIN, or is it locked? Enter the cardholder's ID number and the code we send to your mobile "
                "phone, then choose a new PIN. This also unlocks a locked PIN."),
        button=_("Reset the PIN"), done=_("The PIN of card %(number)s has been reset."))
