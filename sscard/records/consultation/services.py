"""Consultation: a citizen asks a question (in their personal space, or for the employer they act for), a records
officer answers it within the configured number of working days (`consultation_days`, default 5), the asker
rates the answer once (1 to 5). The asker is told of the answer by in-site message and SMS."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain import objections as rules
from sscard.domain import workdays
from sscard.notify.services import post_message, send_sms_to_user
from sscard.notify.texts import Text
from sscard.reference.models import ConsultationCategory
from sscard.reference.selectors import holiday_sets, service_settings

from .. import selectors
from ..models import Employer, Enrolment
from ..roles import perm
from ..services import MSG_AREA, MSG_PERMISSION, MSG_REQUIRED, RecordsError, acting_membership
from .models import Question

MSG_NOT_CITIZEN = gettext_noop("Only a citizen with a real-name account can ask a question here.")
MSG_CATEGORY = gettext_noop("Choose a category.")
MSG_ANSWERED = gettext_noop("This question is already answered.")
MSG_NOT_ANSWERED = gettext_noop("This question is not answered yet.")
MSG_RATED = gettext_noop("You have already rated this answer.")
MSG_NOT_ASKER = gettext_noop("Only the person who asked can rate the answer.")

SUBJECT_ANSWERED = gettext_noop("Your question is answered")
BODY_ANSWERED = gettext_noop("Your question \"%(subject)s\" is answered. Read the answer and rate it on the "
                             "consultation page.")
SMS_ANSWERED = gettext_noop("Your question on the social security portal is answered.")


def answer_deadline(day):
    holidays, makeup = holiday_sets()
    return workdays.add_working_days(day, service_settings().consultation_days, holidays, makeup)


def ask(*, user, category_code: str, subject: str, text: str, employer: Employer | None = None,
        request=None) -> Question:
    if not (user.is_authenticated and getattr(user, "is_citizen", False)):
        raise RecordsError("not_citizen", MSG_NOT_CITIZEN)
    if employer is not None:
        acting_membership(user=user, employer=employer)
    category = ConsultationCategory.objects.filter(code=category_code or "", active=True).first()
    if category is None:
        raise RecordsError("category", MSG_CATEGORY, field="category")
    subject, text = (subject or "").strip()[:120], (text or "").strip()[:4000]
    for field, value in (("subject", subject), ("text", text)):
        if not value:
            raise RecordsError("required", MSG_REQUIRED, field=field)
    now = timezone.now()
    with transaction.atomic():
        question = Question.objects.create(asker=user, employer=employer, routed_to=employer or _employer_of(user),
                                           category=category, subject=subject, text=text,
                                           deadline=answer_deadline(timezone.localdate(now)), created_at=now)
        record_event(event_type="records.question_asked", actor=user, request=request, subject_type="question",
                     subject_id=str(question.pk), data={"category": category.code,
                                                        "employer": employer.credit_code if employer else ""})
    return question


def _employer_of(user) -> Employer | None:
    """The employer of the person's open enrolment (the latest), whose area answers their own questions."""
    id_number = getattr(user, "id_number", "") or ""
    enrolment = (Enrolment.objects.filter(id_number=id_number, end_month__isnull=True).select_related("employer")
                 .order_by("-start_month", "-pk").first()) if id_number else None
    return enrolment.employer if enrolment else None


def questions_visible_to(staff):
    """The questions a records officer answers: those routed to an employer of their areas
    (`employers_visible_to`, the area gate: an employer's questions, and a person's own questions by the employer
    they work for) and the questions of persons with no employer on record (every officer)."""
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("answer_question"))):
        return Question.objects.none()
    from django.db.models import Q

    return Question.objects.filter(Q(routed_to__isnull=True)
                                   | Q(routed_to__in=selectors.employers_visible_to(staff)))


def answer(*, staff, question: Question, text: str, request=None) -> Question:
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("answer_question"))):
        raise RecordsError("permission", MSG_PERMISSION)
    text = (text or "").strip()[:4000]
    if not text:
        raise RecordsError("required", MSG_REQUIRED, field="answer")
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if not questions_visible_to(staff).filter(pk=locked.pk).exists():
            raise RecordsError("area", MSG_AREA)
        if locked.state != Question.State.OPEN:
            raise RecordsError("answered", MSG_ANSWERED)
        locked.state, locked.answer, locked.answered_by, locked.answered_at = (
            Question.State.ANSWERED, text, staff, timezone.now())
        locked.save(update_fields=["state", "answer", "answered_by", "answered_at"])
        params = {"subject": locked.subject}
        post_message(user=locked.asker, subject=Text(SUBJECT_ANSWERED), body=Text(BODY_ANSWERED, params),
                     link=f"/records/consultation/{locked.pk}/")
        send_sms_to_user(user=locked.asker, purpose="records_consultation", text=Text(SMS_ANSWERED))
        record_event(event_type="records.question_answered", actor=staff, request=request,
                     subject_type="question", subject_id=str(locked.pk),
                     data={"seconds": locked.response_seconds})
    return locked


def rate(*, user, question: Question, rating, request=None) -> Question:
    value = rules.valid_rating(rating)
    if value is None:
        raise RecordsError("rating", rules.MSG_RATING, field="rating")
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.asker_id != getattr(user, "pk", None):
            raise RecordsError("not_asker", MSG_NOT_ASKER)
        if locked.state != Question.State.ANSWERED:
            raise RecordsError("not_answered", MSG_NOT_ANSWERED)
        if locked.rating is not None:
            raise RecordsError("rated", MSG_RATED, field="rating")
        locked.rating, locked.rated_at = value, timezone.now()
        locked.save(update_fields=["rating", "rated_at"])
        record_event(event_type="records.answer_rated", actor=user, request=request, subject_type="question",
                     subject_id=str(locked.pk), data={"rating": value})
    return locked
