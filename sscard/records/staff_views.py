"""The records officer's pages under /staff/records/ (namespace "casework" of the staff workbench, see
`sscard/staff_urls.py`): the employer registry of their areas, an employer's file (an audited read), the
decision on a registration; the declarations and the bills in arrears of their areas, an employer's month (an
audited read) with the correction of its paid rows, the bank payment file import and the staff entry of a
payment. An employer outside the member's areas is not found (404)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sscard.accounts.decorators import staff_required
from sscard.audit.services import record_event
from sscard.domain.enrolment import EnrolmentRuleError, parse_month

from . import corrections, forms, payments, selectors, services
from .models import Employer
from .roles import perm


def records_staff(view):
    """Signed-in staff with the permission to read the records (`records.view_records`)."""

    @wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(perm("view_records")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


@records_staff
def employers(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", Employer.State.PENDING)
    rows = selectors.employers_visible_to(request.user)
    if state in Employer.State.values:
        rows = rows.filter(state=state)
    return render(request, "records/staff_employers.html", {
        "rows": rows.order_by("created_at")[:200], "state": state, "states": Employer.State.choices,
        "nav": "records"})


def _render_employer(request, employer: Employer, form, status=200) -> HttpResponse:
    return render(request, "records/staff_employer.html", {
        "employer": employer, "form": form, "nav": "records",
        "can_decide": request.user.has_perm(perm("review_employer")) and employer.state == Employer.State.PENDING,
        "members": selectors.members_of(employer), "months": selectors.months_declared(employer)}, status=status)


@records_staff
def employer(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.employer_for_staff(request.user, pk)
    if found is None:
        raise Http404
    record_event(event_type="records.employer_viewed", actor=request.user, request=request,
                 subject_type="employer", subject_id=found.credit_code)
    return _render_employer(request, found, forms.DecideForm())


@records_staff
@require_POST
def employer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.employer_for_staff(request.user, pk)
    if found is None:
        raise Http404
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide_employer(staff=request.user, employer=found,
                                     approve=form.cleaned_data["decision"] == "approve",
                                     reason=form.cleaned_data["reason"], request=request)
        except services.RecordsError as error:
            form.add_error("reason" if error.field == "reason" else None, error.translated())
        else:
            messages.success(request, _("The decision is recorded and the representative is told."))
            return redirect("casework:records_employer", pk=found.pk)
    return _render_employer(request, found, form, status=400)


# --- Declarations, arrears and payments ----------------------------------------------------------------------

def _payments_staff(view):
    """Records staff who may record payments (`records.record_payment`)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(perm("record_payment")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return records_staff(wrapper)


@records_staff
def declarations(request: HttpRequest) -> HttpResponse:
    from .ledger_models import Declaration

    state = request.GET.get("state", "")
    state = state if state in Declaration.State.values else ""
    return render(request, "records/staff_declarations.html", {
        "rows": selectors.declarations_visible_to(request.user, state=state), "state": state,
        "states": Declaration.State.choices, "nav": "records_declarations"})


def _employer_month(request, pk, month: str):
    """The employer (through the area gate) and the first day of the month, or 404."""
    found = selectors.employer_for_staff(request.user, int(pk))
    if found is None:
        raise Http404
    try:
        return found, parse_month(month)
    except EnrolmentRuleError:
        raise Http404 from None


def _render_month(request, employer: Employer, first, *, failed=None, status=200) -> HttpResponse:
    """The month's current records, each paid row with its correction form (`failed`: the form sent back with its
    errors). Every staff read of a month is an audit event."""
    from .declarations.selectors import declarations_of

    rows = selectors.employer_month_for_staff(request.user, employer, first, page=request.GET.get("page"))
    can_correct = request.user.has_perm(perm("correct_ledger"))
    items = []
    for row in rows.object_list:
        form = None
        if can_correct and row.entry.status == "paid":
            form = failed if failed is not None and failed.entry_pk == row.entry.pk else forms.CorrectionForm(
                prefix=f"e{row.entry.pk}")
        items.append((row, form))
    record_event(event_type="records.month_viewed", actor=request.user, request=request, subject_type="employer",
                 subject_id=employer.credit_code,
                 data={"month": f"{first:%Y-%m}", "page": rows.number, "rows": len(rows.object_list)})
    return render(request, "records/staff_month.html", {
        "employer": employer, "month_label": f"{first:%Y-%m}", "items": items, "can_correct": can_correct,
        "page": rows,
        "versions": declarations_of(employer, month=first), "nav": "records_declarations"}, status=status)


@records_staff
def employer_month(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    employer, first = _employer_month(request, pk, month)
    return _render_month(request, employer, first)


@records_staff
@require_POST
def employer_month_correct(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    from .ledger_models import LedgerEntry

    employer, first = _employer_month(request, pk, month)
    if not request.user.has_perm(perm("correct_ledger")):
        raise PermissionDenied
    try:
        entry_pk = int(request.POST.get("entry", ""))
    except ValueError:
        raise Http404 from None
    entry = LedgerEntry.objects.filter(pk=entry_pk, employer_id=employer.pk, month=first).first()
    if entry is None:
        raise Http404
    form = forms.CorrectionForm(request.POST, prefix=f"e{entry.pk}")
    form.entry_pk = entry.pk
    if form.is_valid():
        try:
            corrected = corrections.correct_entry(staff=request.user, entry=entry,
                                                  wage_fen=form.cleaned_data["wage_fen"],
                                                  reason=form.cleaned_data["reason"], request=request)
        except services.RecordsError as error:
            form.add_error(error.field if error.field in form.fields else None, error.translated())
        else:
            messages.success(request, _("The record is corrected: version %(version)s.") % {
                "version": corrected.version})
            target = reverse("casework:records_employer_month", kwargs={"pk": employer.pk, "month": f"{first:%Y-%m}"})
            page = request.GET.get("page", "")
            return redirect(f"{target}?page={page}" if page.isdigit() else target)
    return _render_month(request, employer, first, failed=form, status=400)


@records_staff
def arrears(request: HttpRequest) -> HttpResponse:
    return render(request, "records/staff_arrears.html", {
        "rows": selectors.arrears_visible_to(request.user), "nav": "records_arrears"})


@_payments_staff
def payment_file(request: HttpRequest) -> HttpResponse:
    from .payment_files.base import PaymentFileRejected

    form = forms.PaymentFileForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = payments.import_payment_file(staff=request.user, filename=upload.name,
                                                      content=upload.read(), request=request)
            except PaymentFileRejected as rejected:
                errors = rejected.errors
            except services.RecordsError as error:
                form.add_error(None, error.translated())
            else:
                if result.already_imported:
                    messages.info(request, _("This file was already imported: nothing was changed."))
                else:
                    messages.success(request, _("%(n)s bill(s) paid.") % {"n": len(result.paid)})
                return redirect("casework:records_payment_file")
        status = 400
    return render(request, "records/staff_payment_file.html", {
        "form": form, "errors": errors, "nav": "records_payments"}, status=status)


@_payments_staff
def payment_entry(request: HttpRequest) -> HttpResponse:
    form = forms.PaymentEntryForm(request.POST or None,
                                  initial={"bill_number": request.GET.get("bill", "")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            bill = selectors.bill_for_staff(request.user, data["bill_number"])
            try:
                if bill is None:
                    raise services.RecordsError("no_bill", payments.MSG_NO_BILL, field="bill_number")
                payments.record_payment(staff=request.user, bill=bill, amount_fen=data["amount_fen"],
                                        reference=data["reference"], paid_on=data["paid_on"], request=request)
            except services.RecordsError as error:
                form.add_error(error.field if error.field in form.fields else None, error.translated())
            else:
                messages.success(request, _("The payment of bill %(number)s is recorded.") % {"number": bill.number})
                return redirect("casework:records_arrears")
        status = 400
    return render(request, "records/staff_payment_entry.html", {"form": form, "nav": "records_payments"},
                  status=status)
