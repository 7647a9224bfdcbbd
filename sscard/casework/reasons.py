"""Coded reasons for returning an application for correction and for rejecting it.

Each return reason names the section of the form the citizen must correct (the applications app's
CorrectionItem sections). Codes are stable (stored, exported); labels are translated.
"""

from django.utils.translation import gettext_lazy as _

# code -> (section of the application, label)
RETURN_REASONS: dict[str, tuple[str, object]] = {
    "photo_quality": ("photo", _("Photo does not meet the card photo standard")),
    "photo_mismatch": ("photo", _("Photo does not show the applicant")),
    "address_incomplete": ("address", _("Residential address incomplete or unclear")),
    "document_expired": ("personal", _("Identity document expired or validity date wrong")),
    "personal_mismatch": ("personal", _("Personal details do not match the identity record")),
    "bank_unavailable": ("bank", _("Chosen partner bank cannot open an account for this applicant")),
    "delivery_incomplete": ("delivery", _("Delivery address or outlet incomplete")),
    "other": ("other", _("Other problem")),
}
RETURN_CHOICES = [(code, label) for code, (_section, label) in RETURN_REASONS.items()]

REJECTION_REASONS: dict[str, object] = {
    "duplicate": _("Duplicate application: the person already holds a card or has another application"),
    "identity_unverified": _("Identity could not be verified"),
    "not_eligible": _("The person is not eligible for a card in this area"),
    "false_information": _("False or forged information"),
    "deceased": _("The person is recorded as deceased"),
}
REJECTION_CHOICES = list(REJECTION_REASONS.items())


def return_label(code: str) -> str:
    return str(RETURN_REASONS[code][1]) if code in RETURN_REASONS else code


def rejection_label(code: str) -> str:
    return str(REJECTION_REASONS.get(code, code))
