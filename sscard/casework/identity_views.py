"""Staff pages for squatted ID numbers (issue 9): thin — parse the form, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sscard.accounts.errors import FieldErrors

from . import identity, identity_selectors
from .identity_forms import DecideCorrectionForm, ProposeCorrectionForm
from .roles import perm
from .services.base import MSG_PERMISSION, CaseworkError
from .views import workbench

CODENAMES = ("resolve_id_number", "confirm_id_number")


def _refused(request, message: str) -> HttpResponse:
    """A refusal the member of staff can read (not a bare 403)."""
    return render(request, "casework/refused.html", {"message": message, "nav": "identity"}, status=403)


def _may_use(request) -> bool:
    return any(request.user.has_perm(perm(c)) for c in CODENAMES)


def _page(request, form, status: int = 200) -> HttpResponse:
    return render(request, "casework/identity.html", {
        "form": form, "corrections": identity_selectors.corrections_visible_to(request.user)[:100],
        "can_propose": request.user.has_perm(perm("resolve_id_number")), "nav": "identity"}, status=status)


@workbench
def corrections(request: HttpRequest) -> HttpResponse:
    if not _may_use(request):
        return _refused(request, _(MSG_PERMISSION))
    outlets = identity_selectors.outlets_of(request.user)
    return _page(request, ProposeCorrectionForm(outlets=outlets))


@workbench
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(perm("resolve_id_number")):
        return _refused(request, _(MSG_PERMISSION))
    sending_code = "send_code" in request.POST
    form = ProposeCorrectionForm(request.POST, outlets=identity_selectors.outlets_of(request.user),
                                 sending_code=sending_code)
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _page(request, form, status=400)
    data = form.cleaned_data
    try:
        if sending_code:
            identity.send_phone_code(staff=request.user, phone=data["phone"])
            messages.success(request, _("A code was sent to the person's mobile phone. Enter it when they read "
                                        "it to you."))
            return _page(request, ProposeCorrectionForm(outlets=form.fields["outlet"].queryset,
                                                        initial=request.POST.dict()))
        correction = identity.propose_correction(
            staff=request.user, outlet=data["outlet"], id_number=data["id_number"], real_name=data["real_name"],
            document_type=data["document_type"], document_seen=data["document_seen"], phone=data["phone"],
            sms_code=data["sms_code"], note=data["note"], request=request)
    except FieldErrors as error:
        for field, field_messages in error.errors.items():
            for message in field_messages:
                form.add_error(None if field == "__all__" else field, message)
        messages.error(request, _("Please correct the form below."))
        return _page(request, form, status=400)
    except CaseworkError as error:
        messages.error(request, error.translated())
        return _page(request, form, status=400)
    messages.success(request, _("Correction proposed. It takes effect when a supervisor confirms it."))
    return redirect("casework:id_number_correction", pk=correction.pk)


def _correction(request, pk: int):
    correction = identity_selectors.correction_for(request.user, pk)
    if correction is None:
        raise Http404  # not in the member's areas: as if it did not exist
    return correction


@workbench
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_use(request):
        return _refused(request, _(MSG_PERMISSION))
    correction = _correction(request, pk)
    identity.record_view(staff=request.user, correction=correction, request=request)
    can_decide = (correction.outcome == correction.Outcome.PENDING
                  and request.user.has_perm(perm("confirm_id_number"))
                  and correction.proposed_by_id != request.user.pk)
    return render(request, "casework/identity_detail.html", {
        "correction": correction, "can_decide": can_decide, "form": DecideCorrectionForm(), "nav": "identity",
        **identity_selectors.facts(correction)})


@workbench
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(perm("confirm_id_number")):
        return _refused(request, _(MSG_PERMISSION))
    correction = _correction(request, pk)
    form = DecideCorrectionForm(request.POST)
    confirm = request.POST.get("decision") == "confirm"
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
    else:
        try:
            identity.decide_correction(staff=request.user, correction=correction, confirm=confirm,
                                       note=form.cleaned_data["note"], request=request)
        except CaseworkError as error:
            messages.error(request, error.translated())
        else:
            messages.success(request, _("Confirmed: the wrong account is closed, the ID number belongs to the "
                                        "person's new account, and both were notified.") if confirm
                             else _("Declined: nothing was changed."))
    return redirect("casework:id_number_correction", pk=correction.pk)
