"""Replacement (lost or damaged) and renewal of a card: an application of its own kind through the same
pipeline as a first card (review where configured, bank, production batch, post or outlet, office code and
progress), with the fee from the service settings paid through a payment gateway.

The holder's data come from the application of the old card (the card photo too: a copy of it), so only the
reason and the delivery are asked. `CardReplacement` links the new application to the old card; when the new
card is issued (`services.create_sealed_card`) the old card is void at once.
While a replacement is in progress the loss of the old card can neither be withdrawn nor lapse (`loss`).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.applications import photos
from sscard.applications import services as app_services
from sscard.applications.choices import Kind
from sscard.applications.models import Application, Payment
from sscard.applications.payments import services as payment_services
from sscard.casework import selectors as case_selectors
from sscard.casework.services.base import require
from sscard.domain import officecode, replacement
from sscard.reference.selectors import service_settings

from . import loss
from .models import Card, CardReplacement
from .services import CardError

MSG_NOT_YOURS = gettext_noop("This card is not yours.")
MSG_IN_PROGRESS = gettext_noop("A replacement or renewal of this card is already in progress (office code "
                               "%(code)s).")
MSG_AREA = gettext_noop("This application was not made in your area.")
MSG_NO_COUNTER_FEE = gettext_noop("This application has no fee to be paid at the counter.")

# Copied from the old card's application: the holder's data (asked again only if the holder corrects them).
HOLDER_FIELDS = (
    "for_child", "relationship", "subject_name", "subject_id_number", "subject_sex", "subject_birth_date",
    "ethnicity", "nationality", "document_valid_until", "document_long_term", "occupation", "employer",
    "res_province", "res_city", "res_district", "res_detail",
)


def replacement_in_progress(card: Card) -> Application | None:
    """The replacement or renewal of `card` that is still in progress, if any."""
    return loss.replacement_in_progress(card)


def fee_fen(kind: str, settings_row=None) -> int:
    settings_row = settings_row or service_settings()
    return settings_row.renewal_fee_fen if kind == Kind.RENEWAL else settings_row.replacement_fee_fen


def refusal(card: Card, *, kind: str, reason: str = "", today: date | None = None) -> CardError | None:
    """Why `card` may not be replaced (`kind="replacement"`, `reason` lost or damaged) or renewed now; None."""
    in_progress = replacement_in_progress(card)
    if in_progress is not None:
        return CardError("in_progress", MSG_IN_PROGRESS, {"code": in_progress.display_code}, subject=in_progress)
    found = replacement.check(kind=kind, reason=reason if kind == Kind.REPLACEMENT else "", state=card.state,
                              expiry_date=card.expiry_date, today=today or timezone.localdate(),
                              window_days=service_settings().renewal_window_days)
    return None if found is None else CardError(found.code, found.message, found.params)


def offers(card: Card, *, today: date | None = None) -> dict[str, bool]:
    """What "My card" offers for `card`: replace (lost or damaged), renew."""
    if replacement_in_progress(card) is not None:
        return {"replace": False, "renew": False}
    return replacement.offers(state=card.state, expiry_date=card.expiry_date, today=today or timezone.localdate(),
                              window_days=service_settings().renewal_window_days)


def apply(*, user, card: Card, kind: str, reason: str = "", delivery: dict, token=None, request=None) -> Application:
    """The holder applies for a replacement or renewal of `card`. `delivery`: the delivery fields the form
    validated (`DeliveryForm.model_fields()` without the bank: the new card is of the old card's bank). The
    card's row is locked while checking, so two concurrent submissions make one application."""
    if card.holder_id != getattr(user, "pk", None):
        raise CardError("not_yours", MSG_NOT_YOURS)
    token = token or uuid.uuid4()
    existing = Application.objects.filter(idempotency_key=token, applicant=user).first()
    if existing is not None:
        return existing
    old = card.application
    photo = ""
    if old.photo:
        try:
            photo = photos.store_card_photo(photos.read(old.photo))
        except OSError:
            photo = ""
    try:
        with transaction.atomic():
            locked = Card.objects.select_for_update().get(pk=card.pk)
            existing = Application.objects.filter(idempotency_key=token, applicant=user).first()
            if existing is not None:
                photos.delete(photo)
                return existing
            if (error := refusal(locked, kind=kind, reason=reason)) is not None:
                raise error
            fields = {name: getattr(old, name) for name in HOLDER_FIELDS}
            fields.update({key: value for key, value in delivery.items() if key != "bank"})
            fields.update(bank=locked.bank, kind=kind, photo=photo, photo_original="",
                          replacement_reason=reason if kind == Kind.REPLACEMENT else "")
            try:
                application = app_services.submit_application(user=user, token=token, fields=fields,
                                                              request=request).application
            except app_services.ApplicationError as error:
                raise CardError(error.code, error.message, error.params) from None
            CardReplacement.objects.create(application=application, old_card=locked)
            amount = fee_fen(kind)
            if amount > 0:
                payment_services.open_payment(application=application, amount_fen=amount, actor=user,
                                              request=request)
    except Exception:
        photos.delete(photo)
        raise
    return application


# --- The counter: a clerk records a fee paid in cash or by card at the outlet ------------------------------

def counter_payment(staff, code: str) -> tuple[Application, Payment] | None:
    """The application with office code `code` in the clerk's areas and its fee payable at the counter."""
    application = (case_selectors.cases_visible_to(staff).filter(office_code=officecode.normalize(code))
                   .select_related("payment").first())
    if application is None:
        return None
    payment = getattr(application, "payment", None)
    if payment is None or payment.gateway != "counter":
        return None
    return application, payment


def record_counter_payment(*, staff, application: Application, request=None) -> bool:
    """A clerk records that the fee of `application` was paid at the counter (role `outlet_counter`, the
    clerk's areas only). True when recorded now, False when it was paid already."""
    require(staff, "outlet_counter")
    if not case_selectors.cases_visible_to(staff).filter(pk=application.pk).exists():
        raise CardError("area", MSG_AREA)
    payment = Payment.objects.filter(application=application, gateway="counter").first()
    if payment is None:
        raise CardError("no_fee", MSG_NO_COUNTER_FEE)
    try:
        return payment_services.mark_paid(payment=payment, via="counter", actor=staff, request=request)
    except payment_services.PaymentError as error:
        raise CardError(error.code, error.message, error.params) from None
