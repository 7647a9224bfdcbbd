"""Reads of the consultation: the asker's questions, the FAQ (translated reference data) and the supervisor's
figures (counts, response times, ratings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Q
from django.utils import timezone

from sscard.domain import objections as rules
from sscard.reference.models import ConsultationCategory, FaqEntry

from .. import selectors
from ..objections.models import STATE_LABELS, Objection
from .models import Question
from .services import questions_visible_to


def questions_of(user) -> list[Question]:
    return list(Question.objects.filter(asker=user).select_related("category", "employer")
                .order_by("-created_at")[:200])


def question_for_user(user, pk: int) -> Question | None:
    return Question.objects.filter(asker=user, pk=pk).select_related("category", "employer").first()


def question_for_staff(staff, pk: int) -> Question | None:
    return questions_visible_to(staff).select_related("category", "employer", "asker").filter(pk=pk).first()


def queue_for_staff(staff, *, state: str = "open") -> list[Question]:
    rows = questions_visible_to(staff)
    if state in Question.State.values:
        rows = rows.filter(state=state)
    return list(rows.select_related("category", "employer").order_by("deadline", "pk")[:500])


def categories() -> list[ConsultationCategory]:
    return list(ConsultationCategory.objects.filter(active=True))


def faq() -> list[FaqEntry]:
    return list(FaqEntry.objects.filter(active=True, category__active=True).select_related("category"))


@dataclass(frozen=True)
class Board:
    questions_open: int
    questions_overdue: int
    questions_answered: int
    answered_late: int
    mean_response_hours: float | None
    rated: int
    mean_rating: float | None
    ratings: dict  # 1..5 -> count
    objections: list  # (state, label, count) of every state
    objections_overdue: int


def board(staff, today: date | None = None) -> Board:
    """The records panel of the supervisor dashboard: consultation and objections (of the staff's areas for
    employers' items; a person's questions everywhere)."""
    today = today or timezone.localdate()
    areas = selectors.employers_in_areas(staff)
    questions = Question.objects.filter(Q(routed_to__isnull=True) | Q(routed_to__in=areas))
    answered = list(questions.filter(state=Question.State.ANSWERED).values_list("created_at", "answered_at",
                                                                                 "deadline"))
    seconds = [(a - c).total_seconds() for c, a, _d in answered]
    ratings = dict(questions.filter(rating__isnull=False).values_list("rating").annotate(n=Count("pk")))
    rated = sum(ratings.values())
    mean = questions.filter(rating__isnull=False).aggregate(m=Avg("rating"))["m"]
    objections = Objection.objects.filter(employer__in=areas)
    counts = dict(objections.values_list("state").annotate(n=Count("pk")))
    return Board(
        questions_open=questions.filter(state=Question.State.OPEN).count(),
        questions_overdue=questions.filter(state=Question.State.OPEN, deadline__lt=today).count(),
        questions_answered=len(answered),
        answered_late=sum(1 for _c, a, d in answered if timezone.localdate(a) > d),
        mean_response_hours=round(sum(seconds) / len(seconds) / 3600, 1) if seconds else None,
        rated=rated, mean_rating=round(float(mean), 2) if mean is not None else None,
        ratings={n: ratings.get(n, 0) for n in range(rules.MIN_RATING, rules.MAX_RATING + 1)},
        objections=[(state, STATE_LABELS[state], counts.get(state, 0)) for state in rules.STATES],
        objections_overdue=objections.filter(state__in=rules.OPEN_STATES, deadline__lt=today).count(),
    )
