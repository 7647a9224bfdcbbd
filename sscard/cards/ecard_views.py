"""The electronic card's pages: the public keys for terminals (/.well-known/sscard-ecard-keys.json), the holder's
"My e-card" page (issue after an SMS code; then the QR code, refreshed by cards/ecard.js through the citizen
API), and the counter's verification page (/staff/ecard/verify). Thin: parse, call `ecards`, render."""

from datetime import UTC, datetime

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from sscard.accounts.decorators import citizen_required
from sscard.accounts.errors import FieldErrors
from sscard.accounts.forms import SmsCodeField
from sscard.casework.workbench import need, workbench
from sscard.domain.masking import mask_phone

from . import ecards, qr, selectors
from .ecard_keys import key_store


@require_safe
@cache_control(public=True, max_age=300)
def public_keys(request: HttpRequest) -> JsonResponse:
    return JsonResponse(key_store().jwks())


class IssueForm(forms.Form):
    sms_code = SmsCodeField()


class VerifyForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("E-card code (scan the QR code or paste its text)"),
                            max_length=2048, widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off",
                                                                          "spellcheck": "false"}))


def _apply(form, error: FieldErrors) -> None:
    for field, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_ecard(request: HttpRequest, card_number: str) -> HttpResponse:
    card = selectors.card_of(request.user, card_number)
    if card is None:
        raise Http404
    form = IssueForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "send_code":
                ecards.request_issue_code(user=request.user, card=card, request=request)
                messages.success(request, _("A verification code was sent to %(phone)s. It is valid for 5 minutes.")
                                 % {"phone": mask_phone(request.user.phone)})
            else:
                form = IssueForm(request.POST)
                if form.is_valid():
                    ecards.issue_ecard(user=request.user, card=card, sms_code=form.cleaned_data["sms_code"],
                                       request=request)
                    messages.success(request, _("Your electronic social security card is issued."))
                    return redirect("cards:ecard", card_number=card.card_number)
        except FieldErrors as error:
            _apply(form, error)
        except ecards.ECardError as error:
            messages.error(request, error.translated())
    token = ecards.current_token(user=request.user, card=card)
    context = {"card": card, "form": form, "token": token, "phone": mask_phone(request.user.phone or "")}
    if token is not None:
        context["qr_svg"] = qr.svg(token.token, title=_("QR code of your electronic social security card"))
    return render(request, "cards/ecard.html", context)


@workbench
@require_http_methods(["GET", "POST"])
def verify_at_counter(request: HttpRequest) -> HttpResponse:
    need(request, "outlet_counter")
    form = VerifyForm(request.POST or None)
    check = valid_until = None
    if request.method == "POST" and form.is_valid():
        check = ecards.verify_at_counter(staff=request.user, token=form.cleaned_data["token"], request=request)
        if check.status.valid:
            valid_until = datetime.fromtimestamp(check.status.claims["exp"], UTC)
    return render(request, "cards/ecard_verify.html", {"form": form, "check": check, "nav": "ecard_verify",
                                                       "reasons": REASON_TEXTS, "valid_until": valid_until})


REASON_TEXTS = {
    "valid": gettext_lazy("Valid: the e-card is genuine, current and not revoked."),
    "unreadable": gettext_lazy("Unreadable: this is not an e-card code, or it was damaged or cut."),
    "unknown_key": gettext_lazy("Unknown key: the code was not signed with a key of this service."),
    "bad_signature": gettext_lazy("Bad signature: the code was altered or forged."),
    "expired": gettext_lazy("Expired: the code is too old. Ask the holder to show the page again."),
    "not_yet_valid": gettext_lazy("Not yet valid: the code's time is in the future (check the clocks)."),
    "replayed": gettext_lazy("Already used: this code was shown before. Ask the holder to show a fresh code."),
    "revoked": gettext_lazy("Revoked: the e-card no longer exists (the card was reported lost, replaced, "
                            "cancelled or changed state)."),
}
