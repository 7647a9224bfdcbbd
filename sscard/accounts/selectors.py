import hashlib

from django.contrib.auth import get_user_model

from sscard.domain.idnumber import IdNumberError, parse_id_number
from sscard.domain.phone import PhoneError, normalize_phone

from .catalogue import personal_space_entries, service_catalogue


def citizen_by_identifier(identifier: str):
    """The citizen whose ID number or mobile phone is `identifier`, or None."""
    User = get_user_model()
    value = (identifier or "").strip()
    try:
        phone = normalize_phone(value)
    except PhoneError:
        phone = None
    if phone:
        return User.objects.filter(phone=phone, is_staff=False).first()
    try:
        number = parse_id_number(value).number
    except IdNumberError:
        number = value.upper()
    return User.objects.filter(id_number=number, is_staff=False).first()


def lockout_key(request, credentials) -> str:
    """The key repeated login failures are counted under (django-axes).

    The same account is locked whichever identifier (ID number or phone) is tried; an unknown identifier is
    counted under a hash of it, so no personal data lands in the lockout table.
    """
    identifier = ""
    if credentials:
        identifier = credentials.get("identifier") or credentials.get("username") or ""
    if not identifier and request is not None:
        identifier = request.POST.get("identifier", "")
    user = citizen_by_identifier(identifier) if identifier else None
    if user is not None:
        return f"user:{user.pk}"
    digest = hashlib.sha256(identifier.strip().upper().encode()).hexdigest()[:24]
    return f"unknown:{digest}"


def homepage(user) -> dict:
    """What "My homepage" shows: the citizen's service items of the one service catalogue."""
    return {"service_items": service_catalogue(personal=True)}


def personal_space(user) -> dict:
    """What the personal space shows: its entries (profile, messages, applications, card) and the
    unread-message count; its main entry, "My homepage", is in the page."""
    from sscard.notify.selectors import unread_count

    return {"space_items": personal_space_entries(), "unread": unread_count(user)}
