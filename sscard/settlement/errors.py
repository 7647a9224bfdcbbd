"""The settlement API's error codes: each an HTTP status and a translated message (docs/settlement.md, "Error
codes"). A refused request changes nothing."""

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from sscard.domain import institutions as institution_rules
from sscard.domain import settlement as rules

ERRORS: dict[str, tuple[int, str]] = {
    "unsigned": (401, _("The request is not signed (X-Sscard-Institution, X-Sscard-Key-Id, X-Sscard-Timestamp, "
                        "X-Sscard-Nonce and X-Sscard-Signature are required).")),
    "unknown_key": (401, _("This institution or key id is not known here, or the key was revoked.")),
    "bad_signature": (401, _("The signature of the request is missing or wrong.")),
    "stale_timestamp": (401, _("The request's timestamp is too far from the present time.")),
    "replayed": (401, _("This nonce was used before: every request needs a new one.")),
    "rate_limited": (429, _("Too many requests from this institution: try again shortly.")),
    **{str(code): (403, message) for code, message in institution_rules.MESSAGES.items()
       if code in set(institution_rules.Refusal)},
    "card_not_found": (404, _("No card with this card number and card identifier.")),
    **{str(code): (403, message) for code, message in rules.INELIGIBLE_MESSAGES.items()},
    **{code: (400, message) for code, message in rules.SettlementError.MESSAGES.items()},
    "msgid_required": (400, _("Every request carries the institution's own message id (msgid).")),
    "ecard_used": (403, _("This e-card code has already been used for a settlement: ask the patient to show a "
                          "new code.")),
    "identity_required": (400, _("Give the card number with the card identifier, or an e-card code.")),
    "no_policy": (409, _("No settlement policy is configured for this year.")),
    "visit_not_found": (404, _("No registration with this visit id at this institution.")),
    "visit_other_person": (400, _("This visit was registered for another person.")),
    "visit_kind": (400, _("The visit was registered as another kind (outpatient or inpatient).")),
    "settlement_not_found": (404, _("No settlement with this id.")),
    "other_institution": (403, _("This settlement was made by another institution: only it may cancel it.")),
    "already_cancelled": (409, _("This settlement was cancelled already.")),
    "future_day": (400, _("A day that has not ended yet cannot be reconciled.")),
}


class Refused(Exception):
    """A request refused: `code` (ERRORS), nothing written."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.status, self.message = ERRORS[code]

    def translated(self) -> str:
        return gettext(self.message)
