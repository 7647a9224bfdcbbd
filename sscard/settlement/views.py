"""The settlement app's pages: the person's "My medical settlements" and the staff page of an institution
(agreement and keys; never a secret). Thin: one selector, one template."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from sscard.accounts.decorators import citizen_required, staff_required
from sscard.domain import institutions as institution_rules

from . import selectors
from .keys import MAX_ACTIVE_KEYS

STAFF_PERMISSION = "reference.view_designatedinstitution"


@citizen_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    rows = selectors.settlements_of(getattr(request.user, "id_number", "") or "")
    return render(request, "settlement/mine.html", {"rows": rows})


@staff_required
@never_cache
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(STAFF_PERMISSION):
        raise PermissionDenied
    found = selectors.institution_for_staff(pk)
    if found is None:
        raise Http404
    inst, keys = found
    from django.utils import timezone

    refusals = institution_rules.may_settle(inst.state, inst.agreement_from, inst.agreement_to,
                                            timezone.localdate())
    return render(request, "settlement/staff_institution.html", {
        "institution": inst, "keys": keys, "max_keys": MAX_ACTIVE_KEYS,
        "refusals": [institution_rules.MESSAGES[r] for r in refusals]})
