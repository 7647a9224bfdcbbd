"""The citizen's and the public pages of "Query and verification": the downloads of "My social insurance"
(CSV, PDF), the person's authorisations, the public page where a third party uses one, and the employer's
contributions, bills and payments with their CSV. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sscard.accounts.decorators import citizen_required
from sscard.domain.masking import mask_id_number, mask_name

from .. import selectors as records_selectors
from ..services import RecordsError
from ..views import _current
from . import authorisations, exports, forms, selectors


def _year(request) -> int | None:
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() else None


def _attachment(body, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _identity(user) -> tuple[str, str]:
    return mask_name(getattr(user, "real_name", "") or ""), mask_id_number(getattr(user, "id_number", "") or "")


@citizen_required
@never_cache
def mine_csv(request: HttpRequest) -> HttpResponse:
    record = selectors.year_record(request.user.id_number or "", year=_year(request))
    name, number = _identity(request.user)
    return _attachment(exports.person_csv(record, masked_name=name, masked_id_number=number),
                       content_type="text/csv; charset=utf-8", filename=f"records-{record.year or 'none'}.csv")


@citizen_required
@never_cache
def mine_pdf(request: HttpRequest) -> HttpResponse:
    record = selectors.year_record(request.user.id_number or "", year=_year(request))
    name, number = _identity(request.user)
    language = getattr(request.user, "preferred_language", "") or get_language() or "zh-hans"
    return _attachment(exports.person_pdf(record, masked_name=name, masked_id_number=number, language=language),
                       content_type="application/pdf", filename=f"records-{record.year or 'none'}.pdf")


def _render_authorisations(request, form, *, issued=None, status=200) -> HttpResponse:
    return render(request, "records/queries/authorisations.html", {
        "form": form, "issued": issued if issued and issued.code else None,
        "already_issued": issued.authorisation if issued and not issued.code else None,
        "rows": authorisations.authorisations_of(request.user),
        "part_labels": forms.PART_LABELS}, status=status)


@citizen_required
@never_cache
def authorisations_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_authorisations(request, forms.AuthoriseForm())
    form = forms.AuthoriseForm(request.POST)
    if form.is_valid():
        try:
            issued = authorisations.issue(user=request.user, request=request, **form.cleaned_data)
        except RecordsError as error:
            form.add_error(error.field if error.field in form.fields else None, error.translated())
        else:
            # Shown once, on this answer only (never in a URL, a message or the session).
            return _render_authorisations(request, forms.AuthoriseForm(), issued=issued)
    return _render_authorisations(request, form, status=400)


@citizen_required
@require_POST
def authorisation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        authorisations.revoke(user=request.user, pk=pk, request=request)
    except RecordsError as error:
        messages.error(request, error.translated())
    else:
        messages.success(request, _("The authorisation is revoked: the code no longer shows your record."))
    return redirect("records:authorisations")


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Public: a third party enters the code and the person's ID number and sees the scoped record."""
    form = forms.VerifyForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            result = authorisations.verify(request=request, **form.cleaned_data)
        except RecordsError as error:
            form.add_error(None, error.translated())
            status = 429 if error.code == "too_many" else 400
    elif request.method == "POST":
        status = 400
    return render(request, "records/queries/verify.html", {
        "form": form, "result": result, "part_labels": forms.PART_LABELS}, status=status)


def _employer(request):
    current = _current(request, records_selectors.memberships_of(request.user))
    return current.employer if current is not None else None


def _period(request, employer) -> tuple[forms.EmployerFilterForm, int, date | None]:
    """The filter form and the period asked for (`?year=&month=`): the latest year with a bill by default, the
    whole year unless a month is chosen; a bad value is shown next to its field and ignored."""
    form = forms.EmployerFilterForm(request.GET or None)
    years = selectors.employer_years(employer)
    year = years[0] if years else timezone.localdate().year
    month = None
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        if form.cleaned_data["month"]:
            month = date(year, form.cleaned_data["month"], 1)
    return form, year, month


@citizen_required
@never_cache
def employer_records(request: HttpRequest) -> HttpResponse:
    employer = _employer(request)
    if employer is None:
        return redirect("records:workspace")
    form, year, month = _period(request, employer)
    # The page shows one month (the latest billed month of the year unless one is chosen): its size is the
    # employer's staff, not a year of it. The CSV has the month or the whole year.
    month = month or selectors.latest_billed_month(employer, year)
    record = selectors.employer_record(employer, year=year, month=month)
    return render(request, "records/queries/employer.html", {"employer": employer, "form": form,
                                                             "record": record})


@citizen_required
@never_cache
def employer_records_csv(request: HttpRequest) -> HttpResponse:
    employer = _employer(request)
    if employer is None:
        return redirect("records:workspace")
    _form, year, month = _period(request, employer)
    suffix = month.strftime("%Y-%m") if month else str(year)
    return _stream(exports.employer_csv_lines(selectors.employer_rows(employer, year=year, month=month),
                                              employer_name=employer.name, year=year, month=month),
                   filename=f"contributions-{employer.credit_code}-{suffix}.csv")


def _stream(lines, *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
