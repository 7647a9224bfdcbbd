"""Staff administration: members of staff, their back office roles and their areas."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from sscard.audit.services import record_event
from sscard.reference.models import Outlet

from ..models import StaffArea
from ..roles import ROLE_LABELS, group_name

# --- Staff --------------------------------------------------------------------------------------------------

def _area_from(spec) -> dict:
    if isinstance(spec, Outlet):
        return {"kind": StaffArea.Kind.OUTLET, "outlet": spec}
    kind, _sep, value = (spec if isinstance(spec, str) else ":".join(map(str, spec))).partition(":")
    if kind == StaffArea.Kind.OUTLET:
        # By its Chinese name (the original column), whatever language is active: `name` is translated.
        outlet = Outlet.objects.get(pk=int(value)) if value.isdigit() else Outlet.objects.get(name_zh_hans=value)
        return {"kind": kind, "outlet": outlet}
    if kind not in (StaffArea.Kind.CITY, StaffArea.Kind.DISTRICT) or not (value.isdigit() and len(value) == 6):
        raise ValueError(f"an area is city:<6-digit code>, district:<6-digit code> or outlet:<id>, not {spec!r}")
    return {"kind": kind, "region_code": value}


def create_staff_member(*, username: str, password: str, real_name: str, roles: list[str],
                        areas: list | tuple = ()):
    """A member of staff with back office roles and areas (demo data, the admin's set-up scripts).

    `roles`: any of reviewer, production, clerk, supervisor, auditor. `areas`: "city:420100",
    "district:420106", "outlet:<id or name>", ("district", "420106") or an Outlet.
    """
    from sscard.accounts.services import create_staff

    unknown = set(roles) - set(ROLE_LABELS)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; known: {sorted(ROLE_LABELS)}")
    specs = [_area_from(spec) for spec in areas]
    with transaction.atomic():
        user = create_staff(username=username, password=password, real_name=real_name)
        set_roles_and_areas(user=user, roles=roles, areas=specs)
    return user


def set_roles_and_areas(*, user, roles: list[str], areas: list[dict], actor=None) -> None:
    with transaction.atomic():
        groups = [Group.objects.get(name=group_name(role)) for role in roles]
        user.groups.remove(*user.groups.filter(name__startswith="casework:"))
        user.groups.add(*groups)
        user.staff_areas.all().delete()
        for spec in areas:
            StaffArea.objects.create(user=user, **spec)
        record_event(event_type="casework.staff_roles_set", actor=actor, subject_type="user",
                     subject_id=str(user.pk),
                     data={"roles": sorted(roles),
                           "areas": [f"{a['kind']}:{a.get('region_code') or a['outlet'].pk}" for a in areas]})
    for attr in ("_casework_roles", "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attr, None)
