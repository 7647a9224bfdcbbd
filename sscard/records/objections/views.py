"""The citizen's objection pages: their objections (raised by them, about their record, or about the employer
they act for), a new objection to months of their own record (/records/objections/new/) or of the employer's
employees (/records/employer/objections/new/), and an objection's page with its lines and history. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sscard.accounts.decorators import citizen_required

from .. import selectors as records_selectors
from ..services import RecordsError
from . import selectors, services


@citizen_required
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "records/objections/index.html", {"objections": selectors.objections_of(request.user)})


def _year(request) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    this_year = timezone.localdate().year
    return int(value) if value.isdigit() and 1990 <= int(value) <= this_year else this_year


def _new(request: HttpRequest, *, employer) -> HttpResponse:
    year = _year(request)
    errors, chosen, reason = {}, set(), ""
    if request.method == "POST":
        chosen = set(request.POST.getlist("entries"))
        reason = request.POST.get("reason", "")
        try:
            objection = services.submit(user=request.user, entry_ids=chosen, reason=reason,
                                        files=request.FILES.getlist("evidence"), employer=employer,
                                        request=request)
        except RecordsError as error:
            errors[error.field or "form"] = error.translated()
        else:
            messages.success(request, _("Your objection %(number)s is submitted. The agency decides it by "
                                        "%(deadline)s; you will be told by message and SMS.")
                             % {"number": objection.number, "deadline": f"{objection.deadline:%Y-%m-%d}"})
            return redirect("records:objection", objection.pk)
    rows = selectors.choosable_rows(id_number=None if employer else request.user.id_number, employer=employer,
                                    year=year)
    return render(request, "records/objections/new.html", {
        "rows": rows, "year": year, "years": range(timezone.localdate().year, 1989, -1)[:30],
        "employer": employer, "errors": errors, "chosen": chosen, "reason": reason,
        "max_mb": services.service_settings().upload_max_mb}, status=400 if errors else 200)


@citizen_required
@never_cache
def new(request: HttpRequest) -> HttpResponse:
    return _new(request, employer=None)


@citizen_required
@never_cache
def employer_new(request: HttpRequest) -> HttpResponse:
    from ..views import _current

    current = _current(request, records_selectors.memberships_of(request.user))
    if current is None:
        return redirect("records:workspace")
    return _new(request, employer=current.employer)


@citizen_required
@never_cache
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_for_user(request.user, pk)
    if objection is None:
        raise Http404
    return render(request, "records/objections/detail.html", {
        "objection": objection, "lines": selectors.line_rows(objection),
        "history": objection.history.all(), "evidence": objection.evidence.only("filename", "size", "created_at"),
        "overdue": selectors.overdue(objection)})
