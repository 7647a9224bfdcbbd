"""The citizen's own applications after submission (office code page, receipt, photo, list, detail, withdrawal,
correction) and the public progress look-up. The form itself is in `views.py`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sscard.accounts.decorators import citizen_required
from sscard.reference import selectors as reference_selectors

from . import forms, photos, receipt, selectors, services, summaries
from .payments import selectors as payment_selectors
from .views import _own, _private_jpeg, _settings, to_language_switch

# In the session, by office code: what the correction page's form held when the person switched the language
# (not validated, not saved; only shown again until the corrections are sent). The photo box cannot be kept:
# browsers never refill a file box, so a chosen photo is chosen again after a switch.
CORRECTION_TYPED_KEY = "applications:correction-typed"


@citizen_required
def done(request: HttpRequest, code: str) -> HttpResponse:
    application = _own(request, code)
    return render(request, "applications/done.html", {"application": application})


@citizen_required
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    application = _own(request, code)
    data = receipt.render_receipt(application, language=receipt.receipt_language(request.user))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{application.display_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
def photo(request: HttpRequest, code: str) -> HttpResponse:
    application = _own(request, code)
    if not application.photo:
        raise Http404
    return _private_jpeg(photos.read(application.photo))


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    applications = list(selectors.applications_of(request.user))
    items = [{"application": a, "timeline": selectors.timeline(a),
              "plain_label": selectors.plain_label(reference_selectors.plain_stage_of(a.state))} for a in applications]
    draft = selectors.draft_of(request.user)
    return render(request, "applications/mine.html", {"items": items, "draft": draft})


@citizen_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    application = _own(request, code)
    return render(request, "applications/detail.html", {
        "application": application,
        "timeline": selectors.timeline(application),
        "plain_label": selectors.plain_label(reference_selectors.plain_stage_of(application.state)),
        "corrections": selectors.open_corrections(application),
        "next_step_by": selectors.next_step_expected(application),
        "payment": payment_selectors.payment_of(application),
    })


@citizen_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    application = _own(request, code)
    form = forms.WithdrawForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(application=application, user=request.user, request=request)
        except services.ApplicationError as exc:
            error = exc.translated()
        else:
            messages.success(request, _("Application %(code)s was withdrawn.") % {"code": application.display_code})
            return redirect("applications:detail", code=application.office_code)
    return render(request, "applications/withdraw.html", {"application": application, "form": form,
                                                          "error": error})


@never_cache
@citizen_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, code: str) -> HttpResponse:
    """Correct a returned (or bank-failed) application and resubmit it under the same office code."""
    application = _own(request, code)
    if request.method == "POST" and "language" in request.POST and not application.needs_correction:
        return to_language_switch(reverse("applications:detail", args=[application.office_code]))
    if not application.needs_correction:
        messages.info(request, _("This application does not need a correction."))
        return redirect("applications:detail", code=application.office_code)
    settings_row = _settings()
    corrections = selectors.open_corrections(application)
    photo_flagged = any(item.section == "photo" for item in corrections)
    personal_initial, delivery_initial = summaries.correction_initial(application)
    typed = request.session.get(CORRECTION_TYPED_KEY, {}).get(application.office_code)
    if typed:  # typed before a language switch first
        personal_initial, delivery_initial = typed["personal"], typed["delivery"]
    if request.method == "POST" and "language" in request.POST:
        # The header's language buttons submit this page's form (`language_switch_form`): keep what it holds.
        kept = {"personal": services.typed_fields(forms.PersonalForm(request.POST, prefix="p").raw()),
                "delivery": services.typed_fields(forms.DeliveryForm(request.POST, prefix="d").raw())}
        request.session[CORRECTION_TYPED_KEY] = {**request.session.get(CORRECTION_TYPED_KEY, {}),
                                                 application.office_code: kept}
        return to_language_switch(reverse("applications:correct", args=[application.office_code]))
    if request.method == "POST":
        personal = forms.PersonalForm(request.POST, prefix="p")
        delivery = forms.DeliveryForm(request.POST, prefix="d")
        photo_form = forms.PhotoForm(request.POST, request.FILES, prefix="f", settings_row=settings_row,
                                     required=photo_flagged, has_photo=False)
        if all([personal.is_valid(), delivery.is_valid(), photo_form.is_valid()]):
            fields = {**personal.model_fields(), **delivery.model_fields()}
            prepared = photo_form.prepared  # a submitted application keeps no original (docs/photos.md)
            try:
                services.resubmit_with_photo(application=application, user=request.user, fields=fields,
                                             card_photo=prepared.card if prepared is not None else None,
                                             request=request)
            except services.ApplicationError as error:
                messages.error(request, error.translated())
                return redirect("applications:detail", code=application.office_code)
            _forget_typed(request, application.office_code)
            messages.success(request, _("Your corrections were sent. The application keeps its office code %(code)s.")
                             % {"code": application.display_code})
            return redirect("applications:detail", code=application.office_code)
    else:
        personal = forms.PersonalForm(prefix="p", initial=personal_initial)
        delivery = forms.DeliveryForm(prefix="d", initial=delivery_initial)
        photo_form = forms.PhotoForm(prefix="f", settings_row=settings_row, required=photo_flagged, has_photo=False)
    return render(request, "applications/correct.html", {
        "application": application, "corrections": corrections, "personal": personal, "delivery": delivery,
        "photo_form": photo_form, "photo_flagged": photo_flagged,
        "forms": [personal, delivery, photo_form],
        "has_errors": any(f.errors for f in (personal, delivery, photo_form)),
        "language_switch_form": "photo-form",  # the language buttons submit the corrections (kept, not sent)
    })


def _forget_typed(request, office_code: str) -> None:
    typed = request.session.get(CORRECTION_TYPED_KEY)
    if typed and office_code in typed:
        request.session[CORRECTION_TYPED_KEY] = {code: values for code, values in typed.items() if code != office_code}


# --- Public progress ---------------------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    result = None
    status = 200
    form = forms.ProgressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result, error, limited = services.progress_lookup(
            request=request, code=form.cleaned_data["code"], id_suffix=form.cleaned_data["id_suffix"])
        if limited:
            status = 429
            form.add_error(None, _("Too many look-ups from your connection. Please wait a minute and try again."))
        elif error is not None:
            status = 200
            form.add_error(error.field or None, _(error.message))
    return render(request, "applications/progress.html", {"form": form, "result": result}, status=status)
