"""Reads for squatted ID numbers (issue 9). `corrections_visible_to` is the one gate to them."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from sscard.applications.models import Application
from sscard.domain import casestates
from sscard.reference.models import Outlet

from .models import IdentityCorrection, StaffArea
from .roles import perm


def outlets_of(staff) -> QuerySet[Outlet]:
    """The outlets in the staff member's areas (an outlet; a district's outlets; a city's outlets)."""
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("use_workbench"))):
        return Outlet.objects.none()
    if staff.has_perm(perm("view_all_areas")):
        return Outlet.objects.all()
    query = Q(pk__in=[])
    for area in staff.staff_areas.all():
        if area.kind == StaffArea.Kind.OUTLET:
            query |= Q(pk=area.outlet_id)
        elif area.kind == StaffArea.Kind.DISTRICT:
            query |= Q(district_code=area.region_code)
        else:
            query |= Q(district_code__startswith=area.region_code[:4])
    return Outlet.objects.filter(query)


def corrections_visible_to(staff) -> QuerySet[IdentityCorrection]:
    """The corrections proposed at an outlet in the staff member's areas; pending ones first."""
    pending_first = Case(When(outcome=IdentityCorrection.Outcome.PENDING, then=Value(0)), default=Value(1),
                         output_field=IntegerField())
    return (IdentityCorrection.objects.filter(outlet__in=outlets_of(staff))
            .select_related("outlet", "wrong_account", "right_account", "proposed_by", "decided_by")
            .order_by(pending_first, "-proposed_at", "-id"))


def correction_for(staff, pk: int) -> IdentityCorrection | None:
    return corrections_visible_to(staff).filter(pk=pk).first()


def blocking_applications(correction: IdentityCorrection) -> QuerySet[Application]:
    """The wrong account's applications for the ID number that still block the holder's own (one person,
    one card): in progress, or ended in a card. Closing the account does not close them; the review queue does."""
    return (Application.objects.filter(applicant_id=correction.wrong_account_id,
                                       subject_id_number=correction.id_number,
                                       state__in=casestates.ACTIVE | casestates.CARD_ISSUED)
            .order_by("submitted_at"))


def facts(correction: IdentityCorrection) -> dict:
    """What the detail page shows beside the correction itself, masked."""
    from sscard.accounts.models import DocumentType
    from sscard.domain.masking import mask_name

    wrong = correction.wrong_account
    labels = dict(DocumentType.choices)
    return {"document_type_label": labels.get(correction.document_type, correction.document_type),
            "wrong_name": mask_name(wrong.real_name), "wrong_phone": wrong.masked_phone,
            "wrong_joined": wrong.date_joined, "wrong_active": wrong.is_active,
            "blocking": list(blocking_applications(correction))}
