"""The settlement app's pages: the person's "My medical settlements" and the staff page of an institution
(agreement and keys; a secret only once, on the answer to "Issue a key"). Thin: one selector or service, one
template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sscard.accounts.decorators import citizen_required, staff_required
from sscard.domain import institutions as institution_rules

from . import keys, selectors
from .keys import MAX_ACTIVE_KEYS

STAFF_PERMISSION = "reference.view_designatedinstitution"


@citizen_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    rows = selectors.settlements_of(getattr(request.user, "id_number", "") or "")
    return render(request, "settlement/mine.html", {"rows": rows})


def _reader(request) -> None:
    if not request.user.has_perm(STAFF_PERMISSION):
        raise PermissionDenied


@staff_required
@never_cache
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    found = selectors.institution_for_staff(pk)
    if found is None:
        raise Http404
    inst, inst_keys = found
    refusals = institution_rules.may_settle(inst.state, inst.agreement_from, inst.agreement_to,
                                            timezone.localdate())
    return render(request, "settlement/staff_institution.html", {
        "institution": inst, "keys": inst_keys, "max_keys": MAX_ACTIVE_KEYS,
        "may_manage": request.user.has_perm(keys.MANAGE_PERMISSION),
        "active_keys": sum(1 for k in inst_keys if k.revoked_at is None),
        "refusals": [institution_rules.MESSAGES[r] for r in refusals]})


def _refused(error: keys.KeyManagementError, request, pk: int) -> HttpResponse:
    if error.code == "not_allowed":
        raise PermissionDenied
    if error.code == "not_found":
        raise Http404
    messages.error(request, error.translated())
    return redirect("casework:settlement_institution", pk=pk)


@staff_required
@never_cache
@require_POST
def issue_key(request: HttpRequest, pk: int) -> HttpResponse:
    """Issues a key and shows its secret on this answer, once: not in a redirect, a message, the session or a
    log; the page is not cached (never_cache: no-store)."""
    _reader(request)
    try:
        inst, key_id, secret = keys.issue_key_for_staff(staff=request.user, institution_pk=pk, request=request)
    except keys.KeyManagementError as error:
        return _refused(error, request, pk)
    return render(request, "settlement/staff_key_issued.html", {"institution": inst, "key_id": key_id,
                                                                "secret": secret})


@staff_required
@never_cache
@require_POST
def revoke_key(request: HttpRequest, pk: int, key_id: str) -> HttpResponse:
    _reader(request)
    try:
        keys.revoke_key_for_staff(staff=request.user, institution_pk=int(pk), key_id=key_id, request=request)
    except keys.KeyManagementError as error:
        return _refused(error, request, pk)
    messages.success(request, _("Key %(key)s is revoked: requests signed with it are refused (on every server "
                                "within 30 seconds).") % {"key": key_id})
    return redirect("casework:settlement_institution", pk=pk)
