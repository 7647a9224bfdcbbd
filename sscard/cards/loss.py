"""Loss reports: the holder's temporary loss report online (effective at once, withdrawable, lapses by itself
after `ServiceSettings.temporary_loss_days`), and the formal loss report at a counter (not withdrawable).

Every change goes through `services.change_card_state` (state machine, row lock, history, audit event).
A card whose PIN is still the manufacturer's initial one (`CardPin.is_initial`, set at the counter) cannot be
reported lost online: its holder goes to the counter. A loss cannot be withdrawn once a replacement has been
applied for, and does not lapse then either (the replacement voids the card when the new one is issued). The
bank hears of every change through `effects.after_state_change` (`bank_outbox.py`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.casework import selectors as case_selectors
from sscard.casework.services.base import require
from sscard.domain import casestates
from sscard.domain.cardstates import CardState, Channel
from sscard.notify.services import send_sms_to_user
from sscard.notify.texts import Text
from sscard.reference.selectors import service_settings

from .models import Card, CardPin, CardReplacement
from .services import CardError, change_card_state

MSG_NOT_YOURS = gettext_noop("This card is not yours.")
MSG_AREA = gettext_noop("This card was not issued in your area.")
MSG_INITIAL_PIN = gettext_noop("The PIN of this card is still the initial one, so its loss cannot be reported online. "
                               "Report it at a service outlet.")
MSG_REPLACEMENT_APPLIED = gettext_noop("A replacement of this card has been applied for (office code %(code)s): "
                                       "the loss report can no longer be withdrawn.")

SMS_REPORTED = gettext_noop("Social security card %(number)s: your temporary loss report is in effect. It lapses "
                            "by itself on %(until)s unless you report the loss formally at a service outlet.")
SMS_LAPSED = gettext_noop("Social security card %(number)s: your temporary loss report has lapsed after %(days)s "
                          "days; the card can be used again. If it is still lost, report it again or formally at "
                          "a service outlet.")

REASON_LAPSED = "lapsed"


def _own(user, card: Card) -> None:
    if card.holder_id != getattr(user, "pk", None):
        raise CardError("not_yours", MSG_NOT_YOURS)


def lapse_date(reported_at: datetime) -> datetime:
    return reported_at + timedelta(days=service_settings().temporary_loss_days)


def report_temporary_loss(*, user, card: Card, expected_state: str | None = None, request=None) -> Card:
    """The holder reports the card lost online: in effect at once; the holder is told by SMS when it lapses."""
    _own(user, card)
    with transaction.atomic():
        if CardPin.objects.filter(card_id=card.pk, is_initial=True).exists():
            raise CardError("initial_pin", MSG_INITIAL_PIN)
        card = change_card_state(card=card, to_state=CardState.TEMPORARILY_LOST, actor=user,
                                 channel=Channel.ONLINE, reason="reported online",
                                 expected_state=expected_state, request=request)
        until = timezone.localdate(lapse_date(timezone.now()))
        send_sms_to_user(user=card.holder, purpose="card_loss",
                         text=Text(SMS_REPORTED, {"number": card.card_number, "until": until.isoformat()}))
    return card


def withdraw_temporary_loss(*, user, card: Card, expected_state: str | None = None, request=None) -> Card:
    """The holder withdraws a temporary loss report online (解挂). A formal loss is refused by the machine."""
    _own(user, card)
    with transaction.atomic():
        Card.objects.select_for_update().filter(pk=card.pk).first()  # a replacement applied for meanwhile waits
        in_progress = replacement_in_progress(card)
        if in_progress is not None:
            raise CardError("replacement_applied", MSG_REPLACEMENT_APPLIED, {"code": in_progress.display_code})
        return change_card_state(card=card, to_state=CardState.ACTIVE, actor=user, channel=Channel.ONLINE,
                                 reason="withdrawn online", expected_state=expected_state, request=request)


def replacement_in_progress(card: Card):
    """The replacement or renewal of `card` still in progress (its application), if any."""
    link = (CardReplacement.objects.filter(old_card=card, application__state__in=sorted(casestates.ACTIVE))
            .select_related("application").first())
    return link.application if link else None


def report_formal_loss(*, staff, card: Card, reason: str = "", expected_state: str | None = None,
                       request=None) -> Card:
    """A counter clerk records a formal loss report (正式挂失): only for a card of a case in the clerk's areas."""
    require(staff, "outlet_counter")
    if not case_selectors.cases_visible_to(staff).filter(pk=card.application_id).exists():
        raise CardError("area", MSG_AREA)
    return change_card_state(card=card, to_state=CardState.FORMALLY_LOST, actor=staff, channel=Channel.COUNTER,
                             reason=reason or "formal loss report at the counter", expected_state=expected_state,
                             request=request)


def lapse_temporary_losses(*, now: datetime | None = None) -> int:
    """Put back in use every card whose temporary loss report is older than the configured number of days, and
    tell its holder by SMS (in the holder's language). A card changed meanwhile is left alone. Returns how many
    lapsed."""
    now = now or timezone.now()
    days = service_settings().temporary_loss_days
    due = (Card.objects.filter(state=CardState.TEMPORARILY_LOST)
           .annotate(reported_at=Max("changes__at", filter=Q(changes__to_state=CardState.TEMPORARILY_LOST)))
           .filter(reported_at__lte=now - timedelta(days=days))
           .exclude(replacements__application__state__in=sorted(casestates.ACTIVE))  # a replacement is coming
           .select_related("holder"))
    lapsed = 0
    for card in due:
        try:
            with transaction.atomic():
                card = change_card_state(card=card, to_state=CardState.ACTIVE, channel=Channel.SYSTEM,
                                         reason=REASON_LAPSED, expected_state=CardState.TEMPORARILY_LOST)
                send_sms_to_user(user=card.holder, purpose="card_loss",
                                 text=Text(SMS_LAPSED, {"number": card.card_number, "days": days}))
        except CardError:
            continue
        lapsed += 1
    return lapsed
