"""The citizen's consultation pages: the FAQ by category, their questions and the form to ask one (for
themselves, or for an employer they act for), a question's page with the answer and the rating. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sscard.accounts.decorators import citizen_required

from .. import selectors as records_selectors
from ..services import RecordsError
from . import selectors, services


@citizen_required
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    memberships = records_selectors.memberships_of(request.user)
    errors, values = {}, {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("category", "subject", "text", "employer")}
        employer = next((m.employer for m in memberships if str(m.employer_id) == values["employer"]), None)
        try:
            question = services.ask(user=request.user, category_code=values["category"],
                                    subject=values["subject"], text=values["text"], employer=employer,
                                    request=request)
        except RecordsError as error:
            errors[error.field or "form"] = error.translated()
        else:
            messages.success(request, _("Your question is sent. It will be answered by %(deadline)s; you will be "
                                        "told by message and SMS.") % {"deadline": f"{question.deadline:%Y-%m-%d}"})
            return redirect("records:question", question.pk)
    return render(request, "records/consultation/index.html", {
        "faq": selectors.faq(), "categories": selectors.categories(), "questions": selectors.questions_of(request.user),
        "memberships": memberships, "errors": errors, "values": values}, status=400 if errors else 200)


@citizen_required
@never_cache
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for_user(request.user, pk)
    if question is None:
        raise Http404
    errors = {}
    if request.method == "POST":
        try:
            services.rate(user=request.user, question=question, rating=request.POST.get("rating"), request=request)
        except RecordsError as error:
            errors[error.field or "form"] = error.translated()
        else:
            messages.success(request, _("Thank you for rating the answer."))
            return redirect("records:question", question.pk)
    return render(request, "records/consultation/detail.html", {"question": question, "errors": errors,
                                                                 "ratings": range(1, 6)},
                  status=400 if errors else 200)
