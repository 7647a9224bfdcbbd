"""Everything that writes card applications. One function per business action, each in one transaction
that checks the state machine, writes the state, the history row, the audit event and the notifications."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_access, record_event
from sscard.core.errors import DomainError
from sscard.core.ratelimit import hit
from sscard.domain import casestates, officecode
from sscard.domain.casestates import Role, State, TransitionError
from sscard.notify.services import post_message, send_sms_to_user
from sscard.notify.texts import Joined, Text, is_text, language_of, render, to_json
from sscard.reference import selectors as reference_selectors
from sscard.reference.models import Stage

from . import photos, selectors
from .models import (
    Application,
    ApplicationDraft,
    CorrectionItem,
    IssuedOfficeCode,
    StatusChange,
)
from .notices import stage_notice
from .payments import services as payment_services

logger = logging.getLogger(__name__)

SUBJECT_TYPE = "card_application"

MSG_WRONG_STATE = gettext_noop("This application cannot be changed at its current stage.")
MSG_NO_PROBLEMS = gettext_noop("List at least one problem for the citizen to correct.")


class ApplicationError(DomainError):
    """A business rule refused an action on a card application (see `sscard.core.errors.DomainError`)."""


# --- Drafts ------------------------------------------------------------------------------------------------

def get_or_start_draft(*, user) -> ApplicationDraft:
    draft, _created = ApplicationDraft.objects.get_or_create(applicant=user)
    return draft


# draft.data holds, by step, what the step's form posted (to show the form again) and, under KEPT, the values
# the form validated (JSON), so that the confirmation page and the submission need not validate every step
# again: review_draft checks only what may have changed since.
KEPT = "kept"
KEPT_VERSION = 1  # raise when the kept values change shape: older drafts are then validated again
# Under TYPED, by step, what a step's form held when the person switched the language before pressing
# "Save and continue": not validated, only shown again in the form until the step is saved.
TYPED = "typed"
TYPED_MAX_CHARS = 500  # per field: nothing a step's fields can hold is longer


def save_draft_step(*, draft: ApplicationDraft, step: str, data: dict, next_step: str,
                    kept: dict | None = None) -> ApplicationDraft:
    """Keep what a step's form posted (already validated) and its validated values `kept` (JSON, if the step
    has any), and move the draft on to `next_step`."""
    with transaction.atomic():
        _set_step(draft, step, data, next_step, kept)
        draft.save(update_fields=["data", "step", "updated_at"])
    return draft


def typed_fields(data: dict) -> dict:
    """What a form held, not validated, as plain texts of bounded length (only shown again in the form)."""
    return {name: value[:TYPED_MAX_CHARS] for name, value in data.items() if isinstance(value, str)}


def keep_typed_step(*, draft: ApplicationDraft, step: str, data: dict) -> ApplicationDraft:
    """Keep what a step's form holds, not yet validated, so that the form shows it again (the person switched
    the language in the middle of the step). The step's saved answers and the draft's progress are unchanged.
    For the confirmation step ("confirm"), its two tick boxes: kept until any step is saved again."""
    typed = typed_fields(data)
    with transaction.atomic():
        draft.data = {**draft.data, TYPED: {**(draft.data.get(TYPED) or {}), step: typed}}
        draft.save(update_fields=["data", "updated_at"])
    return draft


def typed_values(draft: ApplicationDraft, step: str) -> dict | None:
    """What the step's form held when the language was switched, if the step was not saved since."""
    return (draft.data.get(TYPED) or {}).get(step)


def save_photo_step(*, draft: ApplicationDraft, photo: str = "", original: str = "") -> ApplicationDraft:
    """The photo step: the new photo, if one was uploaded (the replaced files are deleted once committed),
    and the move on to the confirmation, in one write."""
    update = ["data", "step", "updated_at"]
    with transaction.atomic():
        if photo:
            old = (draft.photo, draft.photo_original)
            draft.photo, draft.photo_original = photo, original
            update += ["photo", "photo_original"]
            transaction.on_commit(lambda: photos.delete(*old))
        _set_step(draft, "photo", {"has_photo": bool(draft.photo)}, "confirm")
        draft.save(update_fields=update)
    return draft


def _set_step(draft: ApplicationDraft, step: str, data: dict, next_step: str, kept: dict | None = None) -> None:
    kept_steps = {name: value for name, value in (draft.data.get(KEPT) or {}).items() if name != step}
    if kept is not None:
        kept_steps[step] = {"version": KEPT_VERSION, "values": kept}
    # The step's typed values are now saved; ticks of the confirmation go too: they were given for the answers
    # as they were (a declaration and a consent are given again for changed answers).
    typed_steps = {name: value for name, value in (draft.data.get(TYPED) or {}).items()
                   if name not in (step, "confirm")}
    draft.data = {**draft.data, step: data, KEPT: kept_steps, TYPED: typed_steps}
    draft.step = next_step


def kept_values(draft: ApplicationDraft, step: str) -> dict | None:
    """The values validated when the step was posted; None for a draft that kept none (saved before they were
    kept, or in an older shape): its answers are then validated again."""
    kept = (draft.data.get(KEPT) or {}).get(step)
    if not isinstance(kept, dict) or kept.get("version") != KEPT_VERSION:
        return None
    return kept["values"]


def discard_draft(*, user) -> None:
    with transaction.atomic():
        draft = ApplicationDraft.objects.filter(applicant=user).first()
        if draft is None:
            return
        names = (draft.photo, draft.photo_original)
        draft.delete()
        transaction.on_commit(lambda: photos.delete(*names))


# --- Submission --------------------------------------------------------------------------------------------

@dataclass
class Submission:
    application: Application
    created: bool


def _issue_office_code() -> str:
    """A new office code, recorded for ever so it is never issued again. Safe under concurrency: the
    primary key decides, a collision (about 1 in 10^14 per pair) is retried."""
    for _attempt in range(8):
        code = officecode.generate()
        try:
            with transaction.atomic():
                IssuedOfficeCode.objects.create(code=code)
        except IntegrityError:
            continue
        return code
    raise RuntimeError("could not issue a unique office code")


def _mine_link() -> str:
    return reverse("applications:mine")


def _notify(application: Application, *, subject, body, sms, link: str = "") -> None:
    """The in-site message (its link: `link`, or the application's page) and SMS to the applicant: texts
    (`sscard.notify.texts`) in the applicant's language, whoever's action caused them."""
    user = application.applicant
    link = link or reverse("applications:detail", args=[application.office_code])
    post_message(user=user, subject=subject, body=body, link=link)
    send_sms_to_user(user=user, text=sms, purpose="card_application")


def submit_application(*, user, token, fields: dict, request=None) -> Submission:
    """Turn a completed, validated draft into an application with an office code.

    Atomic and idempotent: the same token (a double click, a resent form, concurrent requests) gives back
    the one application it made; a second application for the same person is refused by a unique index
    even when two requests race.
    """
    token = uuid.UUID(str(token))
    existing = Application.objects.filter(idempotency_key=token).first()
    if existing is not None:
        if existing.applicant_id != user.pk:
            raise ApplicationError("token", MSG_WRONG_STATE)
        return Submission(existing, False)
    id_number = fields["subject_id_number"].upper()
    blocker = selectors.blocking_reason(id_number, user=user, kind=(kind := fields.get("kind", "first")))
    if blocker is not None:
        if blocker.application is not None and blocker.application.idempotency_key == token:
            return Submission(blocker.application, False)  # just made by a concurrent request with this token
        raise ApplicationError(blocker.kind, blocker.message, blocker.params, blocker.application)

    settings_row = reference_selectors.service_settings()
    now = timezone.now()
    try:
        with transaction.atomic():
            code = _issue_office_code()
            application = Application.objects.create(
                office_code=code,
                applicant=user,
                idempotency_key=token,
                declared_at=now,
                submitted_at=now,
                state=State.SUBMITTED,
                expected_completion=reference_selectors.expected_completion(timezone.localdate(now),
                                                                  settings_row.processing_days),
                **{**fields, "subject_id_number": id_number},
            )
            StatusChange.objects.create(application=application, from_state="", to_state=State.SUBMITTED,
                                        actor=user, role=Role.CITIZEN, at=now)
            record_event(event_type="card_application.submitted", actor=user, subject_type=SUBJECT_TYPE,
                         subject_id=code, request=request,
                         data={"for_child": application.for_child, "bank": application.bank.code,
                               "delivery": application.delivery, "photo": bool(application.photo)})
            drafts = ApplicationDraft.objects.filter(applicant=user, token=token)
            # The card photo moves to the application; the uploaded original is not kept (docs/photos.md).
            originals = [name for name in drafts.values_list("photo_original", flat=True) if name]
            drafts.delete()
            transaction.on_commit(lambda: photos.delete(*originals))
            display = application.display_code
            date_text = application.expected_completion.isoformat()
            _notify(
                application,
                subject=Text(gettext_noop("Card application received: office code %(code)s"), {"code": display}),
                body=Text(gettext_noop("Your social security card application was received. Office code: %(code)s. "
                                       "Expected completion: %(date)s. Use the office code to follow its progress."),
                          {"code": display, "date": date_text}),
                sms=Text(gettext_noop("[Social security card] Application received. Office code %(code)s, expected "
                                      "completion %(date)s. Check progress online with this code."),
                         {"code": display, "date": date_text}),
            )
    except IntegrityError:
        existing = Application.objects.filter(idempotency_key=token).first()
        if existing is not None and existing.applicant_id == user.pk:
            return Submission(existing, False)
        blocker = selectors.blocking_reason(id_number, user=user, kind=kind)
        if blocker is not None:
            raise ApplicationError(blocker.kind, blocker.message, blocker.params, blocker.application) from None
        raise
    return Submission(application, True)


# --- State changes -----------------------------------------------------------------------------------------

def _change_state(application: Application, *, to_state: str, role: str, actor=None, note="",
                  request=None, event_type: str = "card_application.state_changed",
                  extra: dict | None = None, link: str = "") -> StatusChange:
    """Inside a transaction, on a row locked by the caller. `note`: staff's own words (kept as written) or a
    text (`sscard.notify.texts`, stored as key and parameters and shown in each reader's language). `link`:
    where the citizen's message leads (the application's page unless a higher layer names its own, e.g. the
    card page once the card is out)."""
    try:
        casestates.check_transition(application.state, to_state, role)
    except TransitionError as error:
        raise ApplicationError(error.code, error.message) from None
    payment_services.before_state_change(application=application, to_state=to_state, actor=actor, error=ApplicationError)
    from_state = application.state
    now = timezone.now()
    application.state = to_state
    application.save(update_fields=["state", "updated_at"])
    note_text = to_json(note) if is_text(note) else None
    written = render(note, language_of(application.applicant)) if note_text is not None else note
    change = StatusChange.objects.create(application=application, from_state=from_state, to_state=to_state,
                                         actor=actor, role=role, at=now, note=written, note_text=note_text)
    record_event(event_type=event_type, actor=actor, subject_type=SUBJECT_TYPE,
                 subject_id=application.office_code, request=request,
                 data={"from": from_state, "to": to_state, "role": role, **(extra or {})})
    stage = Stage.objects.filter(code=to_state).first()
    if stage is not None and stage.notify_citizen and to_state != State.SUBMITTED:
        plain = selectors.PLAIN_LABELS.get(stage.plain_stage, stage.plain_stage)  # a lazy msgid: translated when read
        subject, body, sms = stage_notice(to_state, code=application.display_code, stage=plain)
        _notify(application, subject=subject, body=Joined((body, note), "\n"), sms=Joined((sms, note), " "),
                link=link)
    return change


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("applicant").get(pk=application.pk)


def change_state(*, application: Application, to_state: str, role: str, actor=None, note: str = "",
                 request=None, link: str = "") -> StatusChange:
    """Move an application to `to_state` as `role` (staff and system steps; the back office builds on it).
    `link`: where the citizen's message about it leads, if not to the application's page."""
    with transaction.atomic():
        locked = _locked(application)
        change = _change_state(locked, to_state=to_state, role=role, actor=actor, note=note, request=request,
                               link=link)
    application.refresh_from_db()
    return change


def withdraw(*, application: Application, user, request=None) -> StatusChange:
    """The citizen withdraws their own application (only before production starts)."""
    if application.applicant_id != user.pk:
        raise ApplicationError("not_found", MSG_WRONG_STATE)
    with transaction.atomic():
        locked = _locked(application)
        change = _change_state(locked, to_state=State.WITHDRAWN, role=Role.CITIZEN, actor=user,
                               request=request, event_type="card_application.withdrawn")
    application.refresh_from_db()
    return change


def return_for_correction(*, application: Application, actor, problems: list[tuple[str, str]],
                          role: str = Role.REVIEWER, note: str = "", request=None) -> StatusChange:
    """Staff return an application, listing every problem at once (一次性告知)."""
    # A problem is staff's own words or a text (a coded reason and its note, read in the citizen's language).
    problems = [(section, message if is_text(message) else message.strip()) for section, message in problems
                if message and (is_text(message) or message.strip())]
    if not problems:
        raise ApplicationError("no_problems", MSG_NO_PROBLEMS)
    valid = set(CorrectionItem.Section.values)
    with transaction.atomic():
        locked = _locked(application)
        change = _change_state(locked, to_state=State.RETURNED, role=role, actor=actor,
                               note=note or Joined(tuple(m for _s, m in problems), "\n"), request=request,
                               event_type="card_application.returned", extra={"problems": len(problems)})
        CorrectionItem.objects.bulk_create([
            CorrectionItem(application=locked, change=change,
                           section=section if section in valid else CorrectionItem.Section.OTHER,
                           message=render(message, language_of(locked.applicant))[:300])
            for section, message in problems
        ])
    application.refresh_from_db()
    return change


CORRECTABLE_FIELDS = {
    "ethnicity", "nationality", "document_valid_until", "document_long_term", "occupation", "employer",
    "res_province", "res_city", "res_district", "res_detail", "bank", "delivery", "outlet", "recipient_name",
    "recipient_phone", "post_province", "post_city", "post_district", "post_detail",
}


def resubmit(*, application: Application, user, fields: dict, photo: str = "", request=None) -> StatusChange:
    """The citizen corrects a returned (or bank-failed) application and resubmits it under the same office
    code. `fields` holds validated values of CORRECTABLE_FIELDS; `photo` a new stored card photo, if any (an
    application keeps no uploaded original: docs/photos.md)."""
    if application.applicant_id != user.pk:
        raise ApplicationError("not_found", MSG_WRONG_STATE)
    unknown = set(fields) - CORRECTABLE_FIELDS
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked(application)
        if not casestates.citizen_can_resubmit(locked.state):
            raise ApplicationError("state", MSG_WRONG_STATE)
        changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
        for name, value in fields.items():
            setattr(locked, name, value)
        if photo:  # the earlier photo files stay: they are part of what was submitted before
            locked.photo = photo
            changed.append("photo")
        locked.save()
        now = timezone.now()
        locked.corrections.filter(resolved_at__isnull=True).update(resolved_at=now)
        change = _change_state(locked, to_state=State.RESUBMITTED, role=Role.CITIZEN, actor=user,
                               request=request, event_type="card_application.resubmitted",
                               extra={"changed": changed})
    application.refresh_from_db()
    return change


def resubmit_with_photo(*, application: Application, user, fields: dict, card_photo=None,
                        request=None) -> StatusChange:
    """`resubmit` with a new card photo (pixels prepared by the photo form), stored first and deleted again
    if the resubmission is refused."""
    new_photo = photos.store_card_photo(card_photo) if card_photo is not None else ""
    try:
        return resubmit(application=application, user=user, fields=fields, photo=new_photo, request=request)
    except ApplicationError:
        photos.delete(new_photo)
        raise


# --- Public progress look-up (a read, but audited and rate-limited) ----------------------------------------

def progress_lookup(*, request, code: str, id_suffix: str):
    """Rate-limited look-up shared by the page and the API, written to the access log (sealed into the audit
    chain every minute; see sscard.audit.services). Returns (result, error, limited)."""
    limit = reference_selectors.service_settings().progress_lookups_per_minute
    if not hit(request, "progress", limit):
        record_access(event_type="card_application.progress_rate_limited", request=request,
                      subject_type=SUBJECT_TYPE)
        return None, None, True
    try:
        result = selectors.progress(code, id_suffix)
    except selectors.ProgressLookupError as error:
        record_access(event_type="card_application.progress_lookup", request=request, subject_type=SUBJECT_TYPE,
                      data={"outcome": error.code})
        return None, error, False
    record_access(event_type="card_application.progress_lookup", request=request, subject_type=SUBJECT_TYPE,
                  subject_id=officecode.normalize(result.office_code), data={"outcome": "found"})
    return result, None, False
