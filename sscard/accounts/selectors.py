import hashlib

from django.contrib.auth import get_user_model

from sscard.domain.idnumber import IdNumberError, parse_id_number
from sscard.domain.phone import PhoneError, normalize_phone


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
    """What "My homepage" shows: the service items and the unread-message count."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from sscard.notify.selectors import unread_count

    items = [
        {"title": _("Social security card application"), "url": reverse("applications:service"),
         "description": _("Apply online for your social security card (first card free).")},
        {"title": _("My applications"), "url": reverse("applications:mine"),
         "description": _("See the stage and timeline of your applications.")},
        {"title": _("Progress by office code"), "url": reverse("applications:progress"),
         "description": _("Follow an application with its office code.")},
        {"title": _("My messages"), "url": reverse("notify:inbox"),
         "description": _("Notices about your account and applications.")},
        {"title": _("My profile"), "url": reverse("accounts:profile"),
         "description": _("Your registered details and mobile number.")},
    ]
    return {"service_items": items, "unread": unread_count(user)}
