"""The records officer's consultation queue (/staff/records/questions/, nearest deadline first, overdue marked),
a question's page (an audited read) with the answer form; and the records panel of the supervisor dashboard
(/staff/records/dashboard/: consultation counts, response times, ratings, objections by state)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sscard.accounts.decorators import staff_required
from sscard.audit.services import record_event
from sscard.casework.roles import perm as casework_perm
from sscard.domain.masking import mask_name

from ..roles import perm
from ..services import RecordsError
from ..staff_views import records_staff
from . import selectors, services
from .models import Question


def _answerer(view):
    @records_staff
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(perm("answer_question")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@_answerer
def queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", Question.State.OPEN)
    today = timezone.localdate()
    rows = selectors.queue_for_staff(request.user, state=state)
    return render(request, "records/consultation/staff_queue.html", {
        "rows": [(q, q.state == Question.State.OPEN and today > q.deadline) for q in rows], "state": state,
        "states": Question.State.choices, "nav": "records_questions"})


@_answerer
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for_staff(request.user, pk)
    if question is None:
        raise Http404
    errors = {}
    if request.method == "POST":
        try:
            services.answer(staff=request.user, question=question, text=request.POST.get("answer", ""),
                            request=request)
        except RecordsError as error:
            errors[error.field or "form"] = error.translated()
        else:
            messages.success(request, _("The answer is sent."))
            return redirect("casework:records_question", question.pk)
    else:
        record_event(event_type="records.question_viewed", actor=request.user, request=request,
                     subject_type="question", subject_id=str(question.pk))
    return render(request, "records/consultation/staff_detail.html", {
        "question": question, "asker": mask_name(question.asker.real_name or ""), "errors": errors,
        "overdue": question.state == Question.State.OPEN and timezone.localdate() > question.deadline,
        "nav": "records_questions"}, status=400 if errors else 200)


@staff_required
@never_cache
def dashboard(request: HttpRequest) -> HttpResponse:
    if not (request.user.has_perm(casework_perm("view_dashboard")) or request.user.has_perm(perm("view_records"))):
        raise PermissionDenied
    return render(request, "records/consultation/staff_dashboard.html", {
        "board": selectors.board(request.user), "nav": "records_dashboard"})
