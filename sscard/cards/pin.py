"""The social security PIN and enabling a sealed card (启用), issue 12.

- `enable_card`: the holder, after confirming receipt, re-verifies by SMS code and sets the PIN (twice): the card
  goes sealed → active through `services.change_card_state` (channel online) and gets its `CardPin`, in one
  transaction; a PIN rule broken leaves the card sealed.
- `verify_pin`, `change_pin` (old PIN + new twice), `reset_pin` (SMS code + the holder's ID number + new twice,
  unlocks a locked PIN). 6 wrong tries in a row lock the PIN; tries are counted by a conditional update of the
  row (`failed_attempts < 6`), so concurrent wrong tries cannot count past 6, and they stay counted when the
  caller fails.
- At the counter (`unlock_at_counter`, `enable_at_counter`): the clerk checked the holder's ID document; the
  PIN becomes the manufacturer's initial PIN (`settings.INITIAL_PIN`) with `is_initial`.

PINs are stored only as keyed digests (`pin_keys`); no PIN is logged, audited or put in an error. Each refusal
is a `PinError` with a stable `code`, an English msgid and the form `field` it belongs to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.accounts import smscodes
from sscard.accounts.models import SmsPurpose
from sscard.audit.services import record_event
from sscard.casework import selectors as case_selectors
from sscard.casework.services.base import require
from sscard.domain import cardstates
from sscard.domain import pin as pin_rules
from sscard.domain.cardstates import CardState, Channel
from sscard.notify.services import send_sms_to_user
from sscard.notify.texts import Text

from . import pin_keys
from .models import Card, CardPin
from .services import CardError, change_card_state

MAX_TRIES = 6

MSG_NOT_YOURS = gettext_noop("This card is not yours.")
MSG_NOT_RECEIVED = gettext_noop("Confirm that you have received the card before enabling it.")
MSG_NO_PIN = gettext_noop("This card has no PIN yet: enable the card first.")
MSG_WRONG = gettext_noop("The PIN is wrong. %(left)d tries are left before the PIN is locked.")
MSG_LOCKED_NOW = gettext_noop("The PIN is wrong. After 6 wrong tries the PIN is now locked: reset it online with an "
                              "SMS code and your ID number, or at a service outlet.")
MSG_LOCKED = gettext_noop("The PIN is locked after 6 wrong tries. Reset it online with an SMS code and your ID "
                          "number, or at a service outlet.")
MSG_ID_NUMBER = gettext_noop("This is not the ID number of the card's holder.")
MSG_KEY_RETIRED = gettext_noop("The PIN cannot be checked at present. Reset it online or at a service outlet.")
MSG_VOID = gettext_noop("This card is no longer valid: it has been replaced, has expired or has been cancelled.")
MSG_AREA = gettext_noop("This card was not issued in your area.")
MSG_DOCUMENT = gettext_noop("Check the holder's ID document in person and enter its number.")
MSG_ID_MISMATCH = gettext_noop("The ID number presented does not match the cardholder's.")
SMS_LOCKED = gettext_noop("Social security card %(number)s: the PIN was entered wrongly 6 times and is now locked. "
                          "Reset it in \"My social security card\" or at a service outlet. If this was not you, "
                          "contact the service hotline.")


class PinError(CardError):
    """A PIN action refused: `code` stable, `message` a msgid, `field` the form field it belongs to."""

    def __init__(self, code: str, message: str, params: dict | None = None, *, field: str = "__all__"):
        super().__init__(code, message, params)
        self.field = field


def _own(user, card: Card) -> None:
    if card.holder_id != getattr(user, "pk", None):
        raise PinError("not_yours", MSG_NOT_YOURS)


def _check_rules(card: Card, pin: str, repeat: str) -> None:
    try:
        pin_rules.check_new_pin(pin, repeat, id_number=card.holder_id_number)
    except pin_rules.PinRuleError as error:
        raise PinError(error.code, error.message,
                       field="pin_repeat" if error.code == pin_rules.MISMATCH.code else "pin") from None


def _audit(event_type: str, card: Card, *, actor=None, request=None, **data) -> None:
    record_event(event_type=event_type, actor=actor, request=request, subject_type="card",
                 subject_id=card.card_number, data=data)


def _set(row: CardPin, card: Card, pin: str, *, is_initial: bool) -> None:
    row.key_id, row.digest = pin_keys.digest(card_number=card.card_number, pin=pin)
    row.is_initial = is_initial
    row.failed_attempts = 0
    row.locked_at = None
    row.changed_at = timezone.now()
    row.save()


def _new_row(card: Card, pin: str, *, is_initial: bool) -> CardPin:
    row = CardPin(card=card)
    _set(row, card, pin, is_initial=is_initial)
    return row


def _locked_row(card: Card) -> CardPin:
    row = CardPin.objects.select_for_update().filter(card_id=card.pk).first()
    if row is None:
        raise PinError("no_pin", MSG_NO_PIN)
    return row


# --- Enabling the card ----------------------------------------------------------------------------------------

def check_enable(card: Card) -> None:
    """The card may be enabled online: sealed (the state machine's own message otherwise), received."""
    try:
        cardstates.check_transition(card.state, CardState.ACTIVE, Channel.ONLINE)
    except cardstates.TransitionError as error:
        raise PinError(error.code, error.message) from None
    if card.delivered_at is None:
        raise PinError("not_received", MSG_NOT_RECEIVED)


def enable_card(*, user, card: Card, sms_code: str, pin: str, pin_repeat: str, request=None) -> Card:
    """The holder enables a sealed, received card online: SMS code (purpose card_enable), then the PIN. The
    checks that change nothing come first; the code is used up, the state changed and the PIN stored together."""
    _own(user, card)
    check_enable(card)
    _check_rules(card, pin, pin_repeat)
    smscodes.check_code(phone=user.phone, purpose=SmsPurpose.CARD_ENABLE, code=sms_code)
    with transaction.atomic():
        smscodes.consume_code(phone=user.phone, purpose=SmsPurpose.CARD_ENABLE, code=sms_code)
        card = change_card_state(card=card, to_state=CardState.ACTIVE, actor=user, channel=Channel.ONLINE,
                                 reason="enabled online", expected_state=CardState.SEALED, request=request)
        _new_row(card, pin, is_initial=False)
        _audit("card.pin_set", card, actor=user, request=request, channel=Channel.ONLINE, initial=False)
    return card


def enable_at_counter(*, staff, card: Card, id_number: str, document_checked: bool, request=None) -> Card:
    """A clerk enables a sealed card at the counter, the holder's ID document checked in person, without the
    holder choosing a PIN: the PIN is the manufacturer's initial one (`is_initial`)."""
    _counter_checks(staff, card, id_number, document_checked)
    try:
        cardstates.check_transition(card.state, CardState.ACTIVE, Channel.COUNTER)
    except cardstates.TransitionError as error:
        raise PinError(error.code, error.message) from None
    with transaction.atomic():
        card = change_card_state(card=card, to_state=CardState.ACTIVE, actor=staff, channel=Channel.COUNTER,
                                 reason="enabled at the counter", expected_state=CardState.SEALED,
                                 request=request)
        if card.delivered_at is None:
            card.delivered_at = timezone.now()
            card.save(update_fields=["delivered_at"])
        _new_row(card, settings.INITIAL_PIN, is_initial=True)
        _audit("card.pin_set", card, actor=staff, request=request, channel=Channel.COUNTER, initial=True)
    return card


# --- Checking the PIN -------------------------------------------------------------------------------------------

def _compare(row: CardPin, card: Card, pin: str) -> bool:
    """Whether `pin` is right; a right PIN digested with an older key is re-digested with the current one."""
    try:
        ok = pin_keys.matches(card_number=card.card_number, pin=pin, key_id=row.key_id, stored=row.digest)
    except pin_keys.UnknownPinKey:
        raise PinError("pin_key_retired", MSG_KEY_RETIRED) from None
    if ok and row.key_id != pin_keys.current_key_id():
        row.key_id, row.digest = pin_keys.digest(card_number=card.card_number, pin=pin)
        row.save(update_fields=["key_id", "digest"])
    return ok


def _count_wrong_try(row: CardPin, card: Card, *, actor=None, request=None) -> PinError:
    """Count one wrong try (never past MAX_TRIES, whatever runs concurrently) and lock at MAX_TRIES. Returns
    the error to raise once the counting is committed."""
    CardPin.objects.filter(pk=row.pk, failed_attempts__lt=MAX_TRIES).update(
        failed_attempts=F("failed_attempts") + 1)
    attempts = CardPin.objects.values_list("failed_attempts", flat=True).get(pk=row.pk)
    if attempts < MAX_TRIES:
        return PinError("pin_wrong", MSG_WRONG, {"left": MAX_TRIES - attempts}, field="old_pin")
    if CardPin.objects.filter(pk=row.pk, locked_at__isnull=True).update(locked_at=timezone.now()):
        _audit("card.pin_locked", card, actor=actor, request=request, failed_attempts=MAX_TRIES)
        send_sms_to_user(user=card.holder, purpose="card_pin",
                         text=Text(SMS_LOCKED, {"number": card.card_number}))
        return PinError("pin_locked_now", MSG_LOCKED_NOW, field="old_pin")
    return PinError("pin_locked", MSG_LOCKED, field="old_pin")


def _checked(card: Card, pin: str, *, actor=None, request=None):
    """Inside a transaction: the locked PIN row if `pin` is right (tries reset), else the error to raise after
    the transaction (the wrong try is counted and committed)."""
    row = _locked_row(card)
    if row.locked_at is not None:
        raise PinError("pin_locked", MSG_LOCKED, field="old_pin")
    if not pin_rules.is_well_formed(pin):  # not a PIN at all: not counted as a try
        raise PinError("pin_format", pin_rules.MSG_FORMAT, field="old_pin")
    if not _compare(row, card, pin):
        return None, _count_wrong_try(row, card, actor=actor, request=request)
    if row.failed_attempts:
        row.failed_attempts = 0
        row.save(update_fields=["failed_attempts"])
    return row, None


def verify_pin(*, card: Card, pin: str, actor=None, request=None) -> None:
    """Check the card's PIN (for the services that ask for it). Raises `PinError`; a wrong try is counted."""
    with transaction.atomic():
        _row, error = _checked(card, pin, actor=actor, request=request)
    if error is not None:
        raise error


def change_pin(*, user, card: Card, old_pin: str, pin: str, pin_repeat: str, request=None) -> None:
    """The holder changes the PIN: the new one (twice) is checked against the rules first (that costs no try),
    then the old one (a wrong one counts a try)."""
    _own(user, card)
    _check_usable(card)
    _check_rules(card, pin, pin_repeat)
    with transaction.atomic():
        row, error = _checked(card, old_pin, actor=user, request=request)
        if row is not None:
            _set(row, card, pin, is_initial=False)
            _audit("card.pin_changed", card, actor=user, request=request, channel=Channel.ONLINE)
    if error is not None:
        raise error


def _check_usable(card: Card) -> None:
    if card.state in cardstates.FINAL:
        raise PinError("card_void", MSG_VOID)


def reset_pin(*, user, card: Card, sms_code: str, id_number: str, pin: str, pin_repeat: str,
              request=None) -> None:
    """The holder resets a forgotten or locked PIN online: SMS code (purpose card_pin_reset), the holder's ID
    number, the new PIN twice. Unlocks a locked PIN."""
    _own(user, card)
    _check_usable(card)
    if not CardPin.objects.filter(card_id=card.pk).exists():
        raise PinError("no_pin", MSG_NO_PIN)
    _check_rules(card, pin, pin_repeat)
    smscodes.check_code(phone=user.phone, purpose=SmsPurpose.CARD_PIN_RESET, code=sms_code)
    if (id_number or "").strip().upper() != card.holder_id_number.upper():
        raise PinError("id_number_wrong", MSG_ID_NUMBER, field="id_number")
    with transaction.atomic():
        smscodes.consume_code(phone=user.phone, purpose=SmsPurpose.CARD_PIN_RESET, code=sms_code)
        row = _locked_row(card)
        was_locked = row.locked_at is not None
        _set(row, card, pin, is_initial=False)
        _audit("card.pin_reset", card, actor=user, request=request, channel=Channel.ONLINE, unlocked=was_locked)


# --- At the counter ---------------------------------------------------------------------------------------------

def visible_card(staff, card_number: str) -> Card | None:
    """The card with this number if its case is in the clerk's areas (the back office's one gate)."""
    return (Card.objects.filter(card_number=(card_number or "").strip().upper(),
                                application__in=case_selectors.cases_visible_to(staff).values("pk"))
            .select_related("application", "bank").first())


def _counter_checks(staff, card: Card, id_number: str, document_checked: bool) -> None:
    require(staff, "outlet_counter")
    if not case_selectors.cases_visible_to(staff).filter(pk=card.application_id).exists():
        raise PinError("area", MSG_AREA)
    if not document_checked or not (id_number or "").strip():
        raise PinError("document_not_checked", MSG_DOCUMENT, field="id_number")
    if id_number.strip().upper() != card.holder_id_number.upper():
        raise PinError("id_mismatch", MSG_ID_MISMATCH, field="id_number")


def unlock_at_counter(*, staff, card: Card, id_number: str, document_checked: bool, request=None) -> None:
    """A clerk, having checked the holder's ID document in person, unlocks (or resets) the PIN: the tries are
    cleared and the PIN becomes the manufacturer's initial one (`is_initial`)."""
    _counter_checks(staff, card, id_number, document_checked)
    _check_usable(card)
    with transaction.atomic():
        row = _locked_row(card)
        was_locked = row.locked_at is not None
        _set(row, card, settings.INITIAL_PIN, is_initial=True)
        _audit("card.pin_unlocked", card, actor=staff, request=request, channel=Channel.COUNTER,
               was_locked=was_locked, initial=True)
