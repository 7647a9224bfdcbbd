"""The records officer's pages of "Query and verification" under /staff/records/ (namespace "casework"): a
person's records, looked up by ID number with a reason (POST only: the ID number stays out of URLs and logs;
an audited read through the area gate), and bulk exports (request, a supervisor's decision, one download)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..retirement.forms import RetirementForm
from ..services import RecordsError
from ..staff_views import records_staff
from . import exports, forms, selectors, staff


def _add(form, error: RecordsError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.translated())


@records_staff
def person(request: HttpRequest) -> HttpResponse:
    form = forms.LookupForm(request.POST or None)
    read, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                read = staff.read_person(staff=request.user, request=request, **form.cleaned_data)
            except RecordsError as error:
                _add(form, error)
                status = 404 if error.code == "not_found" else 400
            else:
                status = 200
                form = forms.LookupForm()  # the ID number is not echoed back in full
    return render(request, "records/queries/staff_person.html", {
        "form": form, "read": read, "retire_form": RetirementForm(), "nav": "records_persons"}, status=status)


def _render_exports(request, form, status=200) -> HttpResponse:
    return render(request, "records/queries/staff_exports.html", {
        "form": form, "rows": staff.exports_visible_to(request.user)[:200], "decide_form": forms.ExportDecideForm(),
        "nav": "records_exports"}, status=status)


@records_staff
def exports_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_exports(request, forms.ExportRequestForm(initial={"employer": request.GET.get("employer")}))
    form = forms.ExportRequestForm(request.POST)
    if form.is_valid():
        try:
            staff.request_export(staff=request.user, employer_pk=form.cleaned_data["employer"],
                                 year=form.cleaned_data["year"], reason=form.cleaned_data["reason"],
                                 request=request)
        except RecordsError as error:
            _add(form, error)
        else:
            messages.success(request, _("The export is requested. A supervisor must approve it before you can "
                                        "download it."))
            return redirect("casework:records_exports")
    return _render_exports(request, form, status=400)


@records_staff
@require_POST
def export_decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ExportDecideForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        staff.decide_export(staff=request.user, pk=pk, approve=request.POST.get("decision") == "approve", note=note,
                            request=request)
    except RecordsError as error:
        messages.error(request, error.translated())
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect("casework:records_exports")


@records_staff
@require_POST
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        export = staff.take_export(staff=request.user, pk=pk, request=request)
    except RecordsError as error:
        messages.error(request, error.translated())
        return redirect("casework:records_exports")
    employer = export.employer
    lines = exports.employer_csv_lines(selectors.employer_rows(employer, year=export.year),
                                       employer_name=employer.name, year=export.year)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="export-{export.pk}-{employer.credit_code}-{export.year}.csv"'
    return response
