"""A completed draft checked again before it is confirmed or submitted, and sent back to the step that needs
attention.

The draft keeps what each step's form posted and, for the personal and delivery steps, the values it
validated (`services.kept_values`). The applicant step is checked again as a whole, through its form: the
form is the one definition of the step's input, and its rules (`applications.eligibility`) depend on what
may change while a draft waits (the date, the account, the settings, other applications). A draft saved
before validated values were kept has those steps' answers validated again through their forms too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from sscard.reference import selectors as reference_selectors

from . import services
from .forms import ApplicantForm, DeliveryForm, PersonalForm
from .models import ApplicationDraft

STEP_FORMS = {"personal": PersonalForm, "delivery": DeliveryForm}


@dataclass
class DraftReview:
    """A completed draft checked again: the application's fields, or the first step that needs attention."""

    fields: dict | None = None
    invalid_step: str | None = None


def review_draft(*, draft: ApplicationDraft, subject: dict, subject_age: int, personal: dict, delivery: dict,
                 settings_row, today: date | None = None) -> DraftReview:
    """Check a draft again before it is confirmed or submitted, from the values kept when each step was
    validated: what may have changed since is checked again — the document's validity (the date moves on),
    the bank and the outlet (still active), and whether a photo is needed (the subject's age, the settings).
    `subject` and `subject_age` come from the applicant step, checked again by the caller (its rules depend
    on the account, the date, the settings and the one-person-one-card rule)."""
    today = today or timezone.localdate()
    until = date.fromisoformat(personal["document_valid_until"]) if personal["document_valid_until"] else None
    if until is not None and until < today:
        return DraftReview(invalid_step="personal")
    bank = reference_selectors.active_banks().filter(pk=delivery["bank"]).first()
    if bank is None:
        return DraftReview(invalid_step="delivery")
    outlet = None
    if delivery["outlet"] is not None:
        outlet = reference_selectors.active_outlets().filter(pk=delivery["outlet"]).first()
        if outlet is None:
            return DraftReview(invalid_step="delivery")
    if settings_row.photo_required_for(subject_age) and not draft.photo:
        return DraftReview(invalid_step="photo")
    fields = {**subject, **personal, **delivery, "document_valid_until": until, "bank": bank, "outlet": outlet,
              "photo": draft.photo}  # not the uploaded original: it is deleted at submission (docs/photos.md)
    return DraftReview(fields=fields)


def check_applicant(*, draft: ApplicationDraft, user, settings_row, check_blocker: bool = True) -> ApplicantForm:
    """The applicant step checked again as a whole (a bound form; `errors` tells)."""
    applicant = ApplicantForm(draft.data.get("applicant") or {}, user=user, settings_row=settings_row,
                              check_blocker=check_blocker)
    applicant.is_valid()
    return applicant


def photo_required(*, draft: ApplicationDraft, user, settings_row) -> bool:
    """Whether the subject needs a photo (their age and the settings); True while the applicant step is not
    valid."""
    applicant = check_applicant(draft=draft, user=user, settings_row=settings_row,
                                check_blocker=False)  # the subject's age is all it needs
    if applicant.errors:
        return True
    return settings_row.photo_required_for(applicant.subject_age())


def review(*, draft: ApplicationDraft, user, settings_row, check_blocker: bool = True) -> DraftReview:
    """Check a completed draft again: the applicant step as a whole, the other steps from the values kept
    when they were validated (see `review_draft`). `check_blocker=False` leaves the one-person-one-card rule
    to the submission, which checks it anyway."""
    applicant = check_applicant(draft=draft, user=user, settings_row=settings_row, check_blocker=check_blocker)
    if applicant.errors:
        return DraftReview(invalid_step="applicant")
    kept = {}
    for step in ("personal", "delivery"):
        kept[step] = services.kept_values(draft, step)
        if kept[step] is None:  # a draft saved before validated values were kept: validate its answers again
            form = STEP_FORMS[step](draft.data.get(step) or {})
            if not form.is_valid():
                return DraftReview(invalid_step=step)
            kept[step] = form.kept()
    return review_draft(draft=draft, subject=applicant.subject_fields(), subject_age=applicant.subject_age(),
                        personal=kept["personal"], delivery=kept["delivery"], settings_row=settings_row)


def send_back_to_step(*, draft: ApplicationDraft, step: str) -> None:
    """The draft needs attention at `step`: the form leads the person back there."""
    with transaction.atomic():
        ApplicationDraft.objects.filter(pk=draft.pk).update(step=step, updated_at=timezone.now())
