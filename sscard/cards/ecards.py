"""The electronic social security card (电子社保卡): issue, show, revoke, and the online status check.

- `issue_ecard`: the holder issues it on "My card" after an SMS code sent to the account's phone, for an
  active card only; at most one live e-card per card (also a database constraint).
- `current_token`: a fresh signed token (`sscard.domain.ecard`, claim `card` = the e-card's random id, never the
  card number), valid `ServiceSettings.ecard_token_seconds`; the "My e-card" page shows it as a QR code.
- `revoke_live_ecard`: called by `effects.after_state_change`: any state change of the physical card kills its
  e-card, inside the change's transaction.
- `online_status`: what a terminal asks (public API): the offline verification, then revocation. A hot path:
  rate-limited, written to the access log (no audit chain lock), one indexed read.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.accounts import smscodes
from sscard.accounts.models import SmsPurpose
from sscard.audit.services import record_access, record_event
from sscard.casework import selectors as case_selectors
from sscard.casework.services.base import require
from sscard.core import ratelimit
from sscard.core.errors import DomainError
from sscard.domain import ecard
from sscard.domain.cardstates import CardState
from sscard.reference.selectors import service_settings

from .ecard_keys import key_store
from .models import Card, ECard, ECardTokenUse

MSG_NOT_YOURS = gettext_noop("This card is not yours.")
MSG_NOT_ACTIVE = gettext_noop("An electronic card can only be issued for an active card.")
MSG_EXISTS = gettext_noop("This card already has an electronic card: it is shown on the My e-card page.")
MSG_NO_PHONE = gettext_noop("Your account has no verified mobile number: add one in your profile first.")

# Online status answers: the offline reason codes of `ecard.Reason`, or valid.
STATUS_VALID = "valid"
# Online only (the offline verifier cannot know it): a valid token that a counter or terminal has already used.
STATUS_REPLAYED = "replayed"
STATUS_LIST_MAX = 10_000
ECARD_ID_BYTES = 12  # 16 URL-safe characters, random


class ECardError(DomainError):
    """An e-card action refused: `code` stable, `message` a msgid."""


def _own(user, card: Card) -> None:
    if card.holder_id != getattr(user, "pk", None):
        raise ECardError("not_yours", MSG_NOT_YOURS)


def _precheck(user, card: Card) -> None:
    """What can be refused before an SMS code is sent or checked (the holder's own card, so no oracle)."""
    _own(user, card)
    if card.state != CardState.ACTIVE:
        raise ECardError("not_active", MSG_NOT_ACTIVE)
    if live_ecard(card) is not None:
        raise ECardError("ecard_exists", MSG_EXISTS)
    if not user.phone:
        raise ECardError("no_phone", MSG_NO_PHONE)


def live_ecard(card: Card) -> ECard | None:
    return card.ecards.filter(revoked_at__isnull=True).first()


def request_issue_code(*, user, card: Card, request=None) -> None:
    """Send the SMS code that `issue_ecard` asks for, to the account's phone (limits as every SMS code)."""
    _precheck(user, card)
    smscodes.issue_code(phone=user.phone, purpose=SmsPurpose.ECARD_ISSUE, field="sms_code", request=request)


def issue_ecard(*, user, card: Card, sms_code: str, request=None) -> ECard:
    """Issue the e-card of `card` to its holder `user`, who proves the phone with `sms_code`. Raises
    `ECardError` (not yours, not active, already issued) or the SMS code's `FieldErrors` (field sms_code)."""
    _precheck(user, card)
    smscodes.check_code(phone=user.phone, purpose=SmsPurpose.ECARD_ISSUE, code=sms_code)
    try:
        with transaction.atomic():
            # The card's row lock orders this against any state change (change_card_state takes it too).
            locked = Card.objects.select_for_update().get(pk=card.pk)
            if locked.state != CardState.ACTIVE:
                raise ECardError("not_active", MSG_NOT_ACTIVE)
            if locked.ecards.filter(revoked_at__isnull=True).exists():
                raise ECardError("ecard_exists", MSG_EXISTS)
            smscodes.consume_code(phone=user.phone, purpose=SmsPurpose.ECARD_ISSUE, code=sms_code)
            issued = ECard.objects.create(card=locked, ecard_id=secrets.token_urlsafe(ECARD_ID_BYTES),
                                          issued_at=timezone.now())
            record_event(event_type="card.ecard_issued", actor=user, request=request, subject_type="card",
                         subject_id=locked.card_number, data={"ecard": issued.ecard_id})
    except IntegrityError:  # a concurrent issue won the constraint
        raise ECardError("ecard_exists", MSG_EXISTS) from None
    return issued


def revoke_live_ecard(*, card: Card, reason: str, actor=None, at=None) -> int:
    """Revoke the card's live e-card (inside the caller's transaction). Returns how many were revoked (0 or 1)."""
    at = at or timezone.now()
    live = list(ECard.objects.filter(card=card, revoked_at__isnull=True).values_list("ecard_id", flat=True))
    if not live:
        return 0
    ECard.objects.filter(card=card, revoked_at__isnull=True).update(revoked_at=at, revoked_reason=reason[:32])
    record_event(event_type="card.ecard_revoked", actor=actor, subject_type="card", subject_id=card.card_number,
                 data={"ecard": live[0], "reason": reason})
    return len(live)


@dataclass(frozen=True)
class Token:
    token: str
    issued_at: int
    expires_at: int
    lifetime_s: int


def current_token(*, user, card: Card, now: int | None = None) -> Token | None:
    """A fresh token of the card's live e-card (None without one). Short-lived; not audited (each refresh)."""
    _own(user, card)
    live = live_ecard(card) if card.state == CardState.ACTIVE else None
    if live is None:
        return None
    now = int(time.time()) if now is None else now
    lifetime = service_settings().ecard_token_seconds
    store = key_store()
    claims = ecard.make_claims(card=live.ecard_id, issuer=settings.ECARD_ISSUER, now=now, lifetime_s=lifetime,
                               holder=card.application.masked_name, token_id=secrets.token_bytes(8))
    return Token(token=ecard.sign(claims, store.private_key, store.kid), issued_at=now, expires_at=now + lifetime,
                 lifetime_s=lifetime)


# --- Verification: terminals (online status) and counters ------------------------------------------------

@dataclass(frozen=True)
class Status:
    status: str  # "valid" or a reason code of `ecard.Reason`
    kid: str | None = None
    claims: dict | None = None
    ecard: ECard | None = None
    ecard_id: str = ""  # the token's e-card id, once its signature is verified

    @property
    def valid(self) -> bool:
        return self.status == STATUS_VALID


def _revocation(ecard_id: str, *, with_card: bool):
    """(revoked?, the e-card row or None): an e-card id we never issued counts as revoked. Without `with_card`
    (the terminals' hot path) one indexed read of one column."""
    if not with_card:
        rows = list(ECard.objects.filter(ecard_id=ecard_id).values_list("revoked_at", flat=True)[:1])
        return (not rows or rows[0] is not None), None
    row = ECard.objects.filter(ecard_id=ecard_id).select_related("card", "card__application").first()
    return (row is None or row.revoked_at is not None), row


def check_token(token: str, *, now: int | None = None, with_card: bool = False) -> Status:
    """Verify `token` with this site's keys, then against revocation (with the e-card's row and card when
    `with_card`). No logging: callers log."""
    now = int(time.time()) if now is None else now
    found: dict = {}

    def revoked(claims: dict) -> bool:
        found["id"] = claims["card"]
        is_revoked, found["row"] = _revocation(claims["card"], with_card=with_card)
        return is_revoked

    result = ecard.verify(token, key_store().public_keys, now, check_revoked=revoked)
    if not result.ok:  # a revoked token is signed by us: its row (if any) says which card
        return Status(str(result.reason), kid=result.kid, ecard=found.get("row"), ecard_id=found.get("id", ""))
    return Status(STATUS_VALID, kid=result.kid, claims=result.claims, ecard=found.get("row"),
                  ecard_id=found.get("id", ""))


def use_token(result: Status, *, by: str) -> Status:
    """Accept a verified token once: record its token id; a token already used is `replayed` (a copy of a code
    shown earlier, or the same code presented twice). Invalid results are returned unchanged."""
    if not result.valid or not (result.claims or {}).get("cti"):
        return result
    try:
        with transaction.atomic():
            ECardTokenUse.objects.create(cti=result.claims["cti"], ecard_id=result.ecard_id, used_at=timezone.now(),
                                         by=by)
    except IntegrityError:
        return Status(STATUS_REPLAYED, kid=result.kid, claims=result.claims, ecard=result.ecard,
                      ecard_id=result.ecard_id)
    return result


def status_of_ecard_id(ecard_id: str) -> str:
    """The status of an e-card by id alone (no token): valid or revoked (unknown ids are revoked)."""
    return ecard.Reason.REVOKED.value if _revocation(ecard_id, with_card=False)[0] else STATUS_VALID


def online_status(*, request, token: str = "", ecard_id: str = "", use: bool = False) -> Status | None:
    """The public status check: None when the client's rate limit is used up. Written to the access log. With
    `use` (a terminal accepting the token for a service) a valid token is accepted once (`use_token`)."""
    limit = settings.ECARD_STATUS_PER_MINUTE
    if not ratelimit.hit(request, "ecard_status", limit):
        record_access(event_type="card.ecard_status_rate_limited", request=request, subject_type="ecard")
        return None
    if token:
        result = check_token(token)
        if use:
            result = use_token(result, by="terminal")
    else:
        result = Status(status_of_ecard_id(ecard_id), ecard_id=ecard_id)
    record_access(event_type="card.ecard_status", request=request, subject_type="ecard", subject_id=result.ecard_id,
                  data={"outcome": result.status, "by": "use" if use else "token" if token else "id"})
    return result


@dataclass(frozen=True)
class CounterCheck:
    status: Status
    card: Card | None  # the card, when its e-card row is known and the card is in the clerk's areas
    outside_areas: bool  # a card of ours, issued outside the clerk's areas: only the token's own data shown


def verify_at_counter(*, staff, token: str, request=None) -> CounterCheck:
    """A counter clerk checks a token a citizen shows: the verifier's result and, for a card of the clerk's
    areas (the back office's gate), the card with its state; audited as a staff read."""
    require(staff, "outlet_counter")
    result = use_token(check_token(token.strip(), with_card=True), by="counter")
    card, outside = None, False
    if result.ecard is not None:
        visible = case_selectors.cases_visible_to(staff).filter(pk=result.ecard.card.application_id).exists()
        card, outside = (result.ecard.card, False) if visible else (None, True)
    data = {"outcome": result.status}
    if result.ecard is not None:
        data["ecard"] = result.ecard.ecard_id
    record_event(event_type="card.ecard_verified_at_counter", actor=staff, request=request,
                 subject_type="card" if card is not None else "ecard",
                 subject_id=card.card_number if card is not None else "", data=data)
    return CounterCheck(status=result, card=card, outside_areas=outside)


def revoked_since(since) -> list[tuple[str, object]]:
    """(e-card id, revoked at) of the e-cards revoked at or after `since`, oldest first (the status list)."""
    return list(ECard.objects.filter(revoked_at__gte=since).order_by("revoked_at", "pk")
                .values_list("ecard_id", "revoked_at")[:STATUS_LIST_MAX])
