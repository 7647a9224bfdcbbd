"""Card application pages: thin — parse the form, call one service or selector, render."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sscard.accounts.decorators import citizen_required
from sscard.domain import photo_rules
from sscard.reference import selectors as reference_selectors

from . import drafts, forms, photos, selectors, services, summaries
from .forms import STEP_NAMES
from .models import Application, ApplicationDraft

# The form the header's language buttons submit on each step page (see _switch_language). The photo step has
# none: a photo is uploaded and checked by its own buttons and then kept on the draft, so a switch loses
# nothing saved (a file merely chosen and not yet uploaded cannot be kept: browsers never refill a file box).
SWITCH_FORMS = {"applicant": "step-form", "personal": "step-form", "delivery": "step-form", "confirm": "submit-form"}

STEP_TITLES = {
    "applicant": gettext_lazy("Applicant"),
    "personal": gettext_lazy("Personal details"),
    "delivery": gettext_lazy("Bank and delivery"),
    "photo": gettext_lazy("Photo"),
    "confirm": gettext_lazy("Check and submit"),
}


def _own(request, code: str) -> Application:
    application = selectors.application_of(request.user, code)
    if application is None:
        raise Http404  # never tell whether somebody else's code exists
    return application


def _private_jpeg(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Service page ------------------------------------------------------------------------------------------

def service(request: HttpRequest) -> HttpResponse:
    settings_row = reference_selectors.service_settings()
    return render(request, "applications/service.html", {
        "settings": settings_row,
        "banks": reference_selectors.active_banks(),
        "outlets": reference_selectors.active_outlets(),
    })


# --- The application form ----------------------------------------------------------------------------------

def _settings():
    return reference_selectors.service_settings()


def _bind(step: str, draft: ApplicationDraft, user, data=None, files=None, settings_row=None):
    """The form of a step: bound to `data`, or to what the draft keeps (to re-check it), or empty."""
    settings_row = settings_row or _settings()
    kept = services.typed_values(draft, step) or draft.data.get(step)  # typed before a language switch first
    bound = data if data is not None else None
    if step == "applicant":
        return forms.ApplicantForm(bound, user=user, settings_row=settings_row, initial=kept or None)
    if step == "personal":
        return forms.PersonalForm(bound, initial=kept or None)
    if step == "delivery":
        return forms.DeliveryForm(bound, initial=kept or None)
    raise ValueError(step)


def _steps_context(current: str, reached: str) -> list[dict]:
    reached_index = STEP_NAMES.index(reached) if reached in STEP_NAMES else 0
    return [{"name": name, "title": STEP_TITLES[name], "number": i + 1, "current": name == current,
             "done": i < reached_index and name != current, "reachable": i <= reached_index,
             "url": reverse("applications:apply_step", args=[name])}
            for i, name in enumerate(STEP_NAMES)]


def _step_context(step: str, draft: ApplicationDraft, settings_row) -> dict:
    return {"step": step, "steps": partial(_steps_context, step, draft.step),  # built only if a page is shown
            "draft": draft, "settings": settings_row, "step_title": STEP_TITLES[step],
            "step_number": STEP_NAMES.index(step) + 1, "step_count": len(STEP_NAMES),
            # The language buttons of the page header submit this form (see _switch_language).
            "language_switch_form": SWITCH_FORMS.get(step)}


def _next(step: str) -> str:
    return STEP_NAMES[STEP_NAMES.index(step) + 1]


# In the session: the office code of the application the person's last draft became. A submitted draft is
# gone for good: its step pages (reached again with the browser's Back button) lead to that application's
# office code page, not to a new draft. "Online application" (`apply`) starts afresh and forgets it.
SUBMITTED_KEY = "applications:submitted"


def _submitted_from_here(request) -> Application | None:
    code = request.session.get(SUBMITTED_KEY)
    return selectors.application_of(request.user, code) if code else None


@citizen_required
def apply(request: HttpRequest) -> HttpResponse:
    """Start an application, or resume it where the person stopped. No draft is made until step 1 is saved."""
    request.session.pop(SUBMITTED_KEY, None)
    draft = selectors.draft_of(request.user)
    return redirect("applications:apply_step",
                    step=draft.step if draft is not None and draft.step in STEP_NAMES else "applicant")


def _draft_for_step(request, step: str) -> ApplicationDraft | HttpResponse:
    """The person's draft, or where a step page without one leads: the office code page of the application
    the draft became (Back after submitting), or step 1, shown without making a draft. Saving step 1 makes
    one (a person who fills step 1 in again after submitting starts a new application)."""
    draft = selectors.draft_of(request.user)
    if draft is not None:
        return draft
    if step == "applicant" and request.method == "POST":  # step 1 saved: a new application begins
        request.session.pop(SUBMITTED_KEY, None)
        return services.get_or_start_draft(user=request.user)
    submitted = _submitted_from_here(request)
    if submitted is not None:
        return redirect("applications:done", code=submitted.office_code)
    if step != "applicant":
        return redirect("applications:apply_step", step="applicant")
    return ApplicationDraft(applicant=request.user)  # not saved: merely viewing step 1 leaves nothing behind


@never_cache
@citizen_required
@require_http_methods(["GET", "POST"])
def apply_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_NAMES:
        raise Http404
    if step == "confirm" and request.method == "POST" and "language" not in request.POST:
        return _submit(request)
    draft = _draft_for_step(request, step)
    if isinstance(draft, HttpResponse):
        if request.method == "POST" and "language" in request.POST:  # e.g. a page left open after submitting
            return to_language_switch(reverse("applications:apply_step", args=[step]))
        return draft
    if STEP_NAMES.index(step) > STEP_NAMES.index(draft.step if draft.step in STEP_NAMES else "applicant"):
        return redirect("applications:apply_step", step=draft.step)
    settings_row = _settings()
    context = _step_context(step, draft, settings_row)
    if step == "photo":
        return _photo_step(request, draft, settings_row, context)
    if request.method == "POST" and "language" in request.POST:
        return _switch_language(request, draft, step, settings_row)
    if step == "confirm":
        return _confirm_page(request, draft, settings_row, context)

    if request.method == "POST":
        form = _bind(step, draft, request.user, data=request.POST, settings_row=settings_row)
        if form.is_valid():
            services.save_draft_step(draft=draft, step=step, data=form.raw(), kept=form.kept(),
                                     next_step=max(_next(step), draft.step, key=STEP_NAMES.index))
            return redirect("applications:apply_step", step=_next(step))
    else:
        form = _bind(step, draft, request.user, settings_row=settings_row)
        if draft.data.get(step) and request.GET.get("check"):
            form = _bind(step, draft, request.user, data=draft.data[step], settings_row=settings_row)
            form.is_valid()
    context["form"] = form
    if step == "applicant":
        context["blocker"] = getattr(form, "blocker", None)
        context["facts"] = summaries.account_facts(request.user)
    return render(request, f"applications/step_{step}.html", context)


def _switch_language(request, draft, step, settings_row):
    """A language button pressed on a step: it submitted the step's form (the buttons name it, see
    `language_switch_form`). Keep what the form holds as the draft's typed values, then hand the same POST
    (307 keeps the method and the body: the CSRF token and the language) to the language switch, which
    comes back to this step, shown in the new language with what was typed."""
    if step == "confirm":  # its tick boxes: "on" when ticked, absent when not
        typed = {name: request.POST[name] for name in CONFIRM_TICKS if name in request.POST}
    else:
        typed = _bind(step, draft, request.user, data=request.POST, settings_row=settings_row).raw()
    services.keep_typed_step(draft=draft, step=step, data=typed)
    return to_language_switch(reverse("applications:apply_step", args=[step]))


def to_language_switch(next_url: str) -> HttpResponse:
    """Hand a page's POST on to the language switch: 307 keeps the method and the body (the CSRF token and the
    language); the switch then comes back to `next_url`."""
    return HttpResponseRedirect(reverse("web:set_language") + "?" + urlencode({"next": next_url}), status=307)


CONFIRM_TICKS = ("declaration", "consent")


def _photo_step(request, draft, settings_row, context):
    required = drafts.photo_required(draft=draft, user=request.user, settings_row=settings_row)
    if request.method == "POST":
        form = forms.PhotoForm(request.POST, request.FILES, settings_row=settings_row, required=required,
                               has_photo=bool(draft.photo))
        if form.is_valid():
            if form.prepared is not None:
                services.save_photo_step(draft=draft, original=photos.store_original(form.prepared.original),
                                         photo=photos.store_card_photo(form.prepared.card))
            else:
                services.save_photo_step(draft=draft)
            if form.prepared is not None and request.POST.get("action") == "preview":
                messages.success(request, _("The photo was cropped and checked. Here is how it will look."))
                return redirect("applications:apply_step", step="photo")
            return redirect("applications:apply_step", step="confirm")
    else:
        form = forms.PhotoForm(settings_row=settings_row, required=required, has_photo=bool(draft.photo))
    context.update(form=form, photo_required=required, has_photo=bool(draft.photo),
                   cache_buster=int(draft.updated_at.timestamp()),
                   original_hours=int(photo_rules.ORIGINAL_RETENTION.total_seconds() // 3600))
    return render(request, "applications/step_photo.html", context)


def _confirm_page(request, draft, settings_row, context, form=None, error=None):
    review = drafts.review(draft=draft, user=request.user, settings_row=settings_row)
    if review.invalid_step is not None:
        messages.error(request, _("Some answers need your attention before you can submit."))
        drafts.send_back_to_step(draft=draft, step=review.invalid_step)
        return redirect(reverse("applications:apply_step", args=[review.invalid_step]) + "?check=1")
    ticked = {name: True for name in services.typed_values(draft, "confirm") or {}}  # kept over a language switch
    context.update(form=form or forms.ConfirmForm(initial={"token": draft.token, **ticked}),
                   summary=summaries.confirmation_summary(review.fields),
                   has_photo=bool(draft.photo), error=error, cache_buster=int(draft.updated_at.timestamp()),
                   expected=reference_selectors.expected_completion(timezone.localdate(), settings_row.processing_days))
    return render(request, "applications/step_confirm.html", context)


def _submit(request):
    """POST of the last step. A resent form (same token) leads to the application it already made."""
    token = _uuid_or_none(request.POST.get("token", ""))
    draft = selectors.draft_of(request.user)
    if draft is None or draft.token != token:  # the draft goes when its application is made
        done = selectors.application_made_with(request.user, token)
        if done is not None:
            return redirect("applications:done", code=done.office_code)
    if draft is None:
        submitted = _submitted_from_here(request)
        if submitted is not None:
            return redirect("applications:done", code=submitted.office_code)
        return redirect("applications:apply")
    settings_row = _settings()
    context = _step_context("confirm", draft, settings_row)
    if draft.step != "confirm":
        return redirect("applications:apply_step", step=draft.step)
    form = forms.ConfirmForm(request.POST)
    if not form.is_valid():
        return _confirm_page(request, draft, settings_row, context, form=form)
    if form.cleaned_data["token"] != draft.token:
        messages.error(request, _("This form was already used. Please check your answers and submit again."))
        return redirect("applications:apply_step", step="confirm")
    # The one-person-one-card rule is checked by submit_application (which must check it anyway); when it
    # refuses, the confirmation page checks the draft again and leads to the applicant step.
    review = drafts.review(draft=draft, user=request.user, settings_row=settings_row, check_blocker=False)
    if review.invalid_step is not None:
        # A concurrent request with the same token may have just submitted: lead to its application.
        done = selectors.application_made_with(request.user, draft.token)
        if done is not None:
            return redirect("applications:done", code=done.office_code)
        return _confirm_page(request, draft, settings_row, context, form=form)
    try:
        submission = services.submit_application(user=request.user, token=draft.token, fields=review.fields,
                                                 request=request)
    except services.ApplicationError as error:
        return _confirm_page(request, draft, settings_row, context, form=form, error=error.translated())
    request.session[SUBMITTED_KEY] = submission.application.office_code
    return redirect("applications:done", code=submission.application.office_code)


def _uuid_or_none(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@citizen_required
@require_POST
def apply_restart(request: HttpRequest) -> HttpResponse:
    services.discard_draft(user=request.user)
    messages.success(request, _("Your unfinished application was discarded."))
    return redirect("applications:apply")


@citizen_required
def draft_photo(request: HttpRequest) -> HttpResponse:
    draft = selectors.draft_of(request.user)
    if draft is None or not draft.photo:
        raise Http404
    return _private_jpeg(photos.read(draft.photo))


# --- After submission --------------------------------------------------------------------------------------
