"""Delivery of the card: posted with a tracking number, or received at an outlet, announced and handed over
at the counter; the citizen confirms online that a posted card arrived.

The cards app sits above casework: these staff actions go through the back office's gate of a case
(`sscard.casework.services.base`: permission, row lock, area, expected stage) and its state moves.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.applications import services as app_services
from sscard.applications.models import Application
from sscard.audit.services import record_event
from sscard.casework import formats
from sscard.casework import selectors as case_selectors
from sscard.casework.lines import ImportRejected, LineError
from sscard.casework.models import ProductionBatch
from sscard.casework.services.base import (
    L_NOT_VISIBLE,
    MSG_STAGE,
    CaseworkError,
    ImportResult,
    TranslatedError,
    audit_case,
    lock_casefile,
    machine_role,
    move,
    note_action,
    open_case,
    record_import_run,
    require,
    stage_label,
)
from sscard.domain import casestates, idnumber
from sscard.domain.casestates import State
from sscard.domain.masking import mask_id_number, mask_name
from sscard.notify.texts import Localized, Text
from sscard.reference.models import Outlet

from . import services as card_services
from .models import Card

MSG_NOT_POST = gettext_noop("This card is to be collected at an outlet, not posted.")
MSG_NOT_PICKUP = gettext_noop("This card is to be posted, not collected at an outlet.")
MSG_NO_CARD = gettext_noop("The card has not been produced yet.")
MSG_NOT_RECEIVED = gettext_noop("The card has not been received at the outlet yet: receive its batch first.")
MSG_NOTHING_TO_RECEIVE = gettext_noop("No card of this batch is waiting to be received at your outlets.")
MSG_ID_MISMATCH = gettext_noop("The ID number presented does not match the cardholder's. Do not hand the card over.")
MSG_AGENT = gettext_noop("For an authorised agent, enter the agent's name and a valid ID number, and confirm that the "
               "written authorisation was checked.")
MSG_NOT_YOURS = gettext_noop("This card is not yours.")
L_NOT_POSTABLE = gettext_noop("Case %(code)s cannot be posted: %(why)s")
L_TRACKING_OTHER = gettext_noop("Case %(code)s was already posted with another tracking number.")


# --- Delivery -----------------------------------------------------------------------------------------------

def _card(application: Application) -> Card | None:
    return Card.objects.filter(application=application).first()


# History notes are texts (sscard.notify.texts): stored as key and parameters, read in the reader's language.

def _post_note(tracking: str) -> Text:
    return Text(gettext_noop("Posted. Tracking number: %(number)s. When the card arrives, confirm its receipt in "
                             "\"My homepage\" › \"My social security card\"."), {"number": tracking})


def _card_link(application: Application) -> str:
    """Where the citizen's message about the card leaving or waiting leads: the card page (to confirm the
    receipt, see where to collect it), once the card exists; else the application's page."""
    return reverse("cards:mine") if _card(application) is not None else ""


def record_tracking(*, staff, application: Application, tracking_number: str,
                    expected_state: str | None = None, request=None):
    """The card leaves by post: the tracking number is recorded and the citizen told."""
    tracking_number = tracking_number.strip()
    if not formats.TRACKING_RE.match(tracking_number):
        raise CaseworkError("tracking", formats.MSG_TRACKING)
    with transaction.atomic():
        locked = open_case(staff, application, "dispatch_post", expected_state)
        _check_postable(locked)
        change = _post(staff, locked, tracking_number, request)
    application.refresh_from_db()
    return change


def _check_postable(locked: Application) -> None:
    if locked.delivery != "post":
        raise CaseworkError("not_post", MSG_NOT_POST)
    if locked.state == State.IN_PRODUCTION and _card(locked) is None:
        raise CaseworkError("no_card", MSG_NO_CARD)


def _post(staff, locked: Application, tracking: str, request):
    casefile = lock_casefile(locked)
    change = move(staff, locked, State.POSTED, note=_post_note(tracking), request=request, link=_card_link(locked))
    casefile.tracking_number = tracking
    casefile.save(update_fields=["tracking_number"])
    audit_case(staff, locked, "posted", {"tracking_number": tracking}, request=request)
    return change


def import_tracking(*, staff, data: bytes, request=None) -> ImportResult:
    require(staff, "dispatch_post")
    lines = formats.parse_tracking(data)
    result = ImportResult()
    with transaction.atomic():
        visible = case_selectors.cases_visible_to(staff)
        errors, todo = [], []
        for line in lines:
            locked = visible.select_for_update(of=("self",)).filter(office_code=line.office_code).first()
            if locked is None:
                errors.append(LineError(line.line, L_NOT_VISIBLE, {"code": line.office_code}))
                continue
            casefile = case_selectors.casefile_of(locked)
            if locked.state in (State.POSTED, State.COLLECTED) and casefile is not None and casefile.tracking_number:
                if casefile.tracking_number == line.tracking_number:
                    result.unchanged += 1
                else:
                    errors.append(LineError(line.line, L_TRACKING_OTHER, {"code": line.office_code}))
                continue
            try:
                _check_postable(locked)
                machine_role(staff, locked.state, State.POSTED)
            except CaseworkError as error:
                errors.append(LineError(line.line, L_NOT_POSTABLE, {"code": line.office_code,
                                                                     "why": TranslatedError(error)}))
                continue
            todo.append((line, locked))
        if errors:
            raise ImportRejected(errors)
        for line, locked in todo:
            _post(staff, locked, line.tracking_number, request)
            result.applied += 1
        record_import_run(staff, "tracking", "", data, result, request)
    return result




def confirm_receipt(*, user, application: Application, request=None):
    """The citizen confirms online that the posted card arrived: the case is completed."""
    if application.applicant_id != user.pk:
        raise CaseworkError("not_yours", MSG_NOT_YOURS)
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if locked.state != State.POSTED:
            raise CaseworkError("not_allowed", MSG_STAGE, {"stage": stage_label(locked.state)})
        try:
            change = app_services.change_state(application=locked, to_state=State.COLLECTED,
                                               role=casestates.Role.SYSTEM, actor=user,
                                               note=Text(gettext_noop("Receipt confirmed online by the cardholder.")),
                                               request=request)
        except app_services.ApplicationError as error:
            raise CaseworkError(error.code, error.message, error.params) from None
        card = _card(locked)
        if card is not None:
            card_services.mark_delivered(card=card, actor=user, request=request)
    application.refresh_from_db()
    return change


def receive_batch_at_outlet(*, staff, batch: ProductionBatch, request=None) -> int:
    """The clerk receives a batch: its produced pick-up cards for the clerk's outlets are at the counter."""
    require(staff, "outlet_counter")
    with transaction.atomic():
        cases = list(case_selectors.cases_visible_to(staff).select_for_update(of=("self",))
                     .filter(batch_item__batch=batch, batch_item__card__isnull=False, delivery="pickup",
                             state=State.IN_PRODUCTION))
        now, count = timezone.now(), 0
        for application in cases:
            casefile = lock_casefile(application)
            if casefile.received_at_outlet is None:
                casefile.received_at_outlet = now
                casefile.save(update_fields=["received_at_outlet"])
                note_action(staff, application, "received_at_outlet", data={"batch": batch.number}, audit=False)
                count += 1
        if not count:
            raise CaseworkError("empty", MSG_NOTHING_TO_RECEIVE)
        record_event(event_type="casework.batch_received", actor=staff, request=request,
                     subject_type="production_batch", subject_id=batch.number, data={"cards": count})
    return count


def _ready_note(outlet: Outlet) -> Text:
    # The outlet's name, address and hours (translated reference data) as they read in each language.
    return Text(gettext_noop("Your card is ready for collection at %(outlet)s, %(address)s. Opening hours: %(hours)s. "
                             "Bring your ID card (an agent brings their own ID card and your written authorisation)."),
                {"outlet": Localized.capture(lambda: outlet.label),
                 "address": Localized.capture(lambda: outlet.address),
                 "hours": Localized.capture(lambda: outlet.hours)})


def mark_ready(*, staff, application: Application, expected_state: str | None = None, request=None):
    """The card is at the counter: the citizen is told where and when to collect it."""
    with transaction.atomic():
        locked = open_case(staff, application, "outlet_counter", expected_state)
        if locked.delivery != "pickup" or locked.outlet is None:
            raise CaseworkError("not_pickup", MSG_NOT_PICKUP)
        casefile = lock_casefile(locked)
        if locked.state == State.IN_PRODUCTION and casefile.received_at_outlet is None:
            raise CaseworkError("not_received", MSG_NOT_RECEIVED)
        change = move(staff, locked, State.READY_FOR_PICKUP, note=_ready_note(locked.outlet), request=request,
                      link=_card_link(locked))
    application.refresh_from_db()
    return change


def mark_batch_ready(*, staff, batch: ProductionBatch, request=None) -> int:
    require(staff, "outlet_counter")
    count = 0
    cases = (case_selectors.cases_visible_to(staff)
             .filter(batch_item__batch=batch, delivery="pickup", state=State.IN_PRODUCTION,
                     casefile__received_at_outlet__isnull=False))
    with transaction.atomic():
        for application in cases:
            mark_ready(staff=staff, application=application, expected_state=State.IN_PRODUCTION, request=request)
            count += 1
    return count


HOLDER, AGENT = "holder", "agent"


def hand_over(*, staff, application: Application, collector: str, id_number: str, agent_name: str = "",
              authorisation_checked: bool = False, expected_state: str | None = None, request=None):
    """Hand the card over at the counter after checking the identity of the holder or the authorised agent.

    A holder whose ID number does not match is refused, and the refusal is an audit event that stays: the
    block commits it and the error is raised after the block (like `smscodes.check_code` and its tries)."""
    presented = idnumber.normalize_id_number(id_number)
    refused = None
    with transaction.atomic():
        locked = open_case(staff, application, "outlet_counter", expected_state)
        if collector == HOLDER and presented != locked.subject_id_number.upper():
            audit_case(staff, locked, "handover_refused", {"collector": collector}, request=request)
            refused = CaseworkError("id_mismatch", MSG_ID_MISMATCH)
        else:
            change = _hand_over(staff, locked, collector, presented, agent_name, authorisation_checked, request)
    if refused is not None:
        raise refused
    application.refresh_from_db()
    return change


def _hand_over(staff, locked: Application, collector: str, presented: str, agent_name: str,
               authorisation_checked: bool, request):
    if collector == HOLDER:
        note = Text(gettext_noop("Card handed over to the cardholder at the counter."))
    else:
        if not agent_name.strip() or not authorisation_checked or not idnumber.is_valid_id_number(presented):
            raise CaseworkError("agent", MSG_AGENT)
        note = Text(gettext_noop("Card handed over to an authorised agent (%(name)s, ID %(id)s) at the counter."), {
            "name": mask_name(agent_name.strip()), "id": mask_id_number(presented)})
    change = move(staff, locked, State.COLLECTED, note=note, request=request)
    casefile = lock_casefile(locked)
    casefile.handed_over_at = timezone.now()
    casefile.save(update_fields=["handed_over_at"])
    card = _card(locked)
    if card is not None:
        card_services.mark_delivered(card=card, actor=staff, request=request)
    audit_case(staff, locked, "handed_over", {"collector": collector, "card": card.card_number if card else ""},
           request=request)
    return change
