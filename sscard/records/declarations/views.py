"""The employer's declaration pages (employer workspace, /records/employer/declarations/): the months and their
versions, a new declaration (a file, or the wages entered on the page), the result (every error with its line
and column, or the assessed lines), confirmation into a bill, a month's record, the CSV template and the
vouchers. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sscard.accounts.decorators import citizen_required
from sscard.audit.services import record_event
from sscard.core.pagecache import render_cached
from sscard.domain import declaration as rules
from sscard.domain.enrolment import EnrolmentRuleError, format_month, parse_month

from .. import selectors as records_selectors
from ..models import TYPE_LABELS, Employer
from ..services import RecordsError
from ..views import SESSION_KEY, _current, _current_id
from . import forms, selectors, services


def shown_errors(errors):
    """The errors shown on the page (the first `MAX_ERRORS_SHOWN`) and how many more there are."""
    return errors[:rules.MAX_ERRORS_SHOWN], max(0, len(errors) - rules.MAX_ERRORS_SHOWN)


def _translated(error: rules.LineError) -> str:
    params = {key: value if isinstance(value, int) else str(value) for key, value in error.params.items()}
    return _(error.message) % params if params else _(error.message)


def _employer(request):
    current = _current(request, records_selectors.memberships_of(request.user))
    return current.employer if current is not None else None


def _context(employer, **extra):
    return {"employer": employer, "type_labels": list(TYPE_LABELS.values()), **extra}


LINES_CACHE_SECONDS = 3600  # entries are never stale (keyed by the month's version): the time only bounds memory


def _lines_html(request, employer, month, *, declaration=None) -> str:
    """One page of a month's (or a version's) lines, rendered once per version of the month and cached
    (`selectors.lines_cache_key`)."""
    page = request.GET.get("page", "")
    page = int(page) if page.isdigit() and len(page) < 7 else 1
    key = selectors.lines_cache_key(employer, month, declaration=declaration, page=page, language=get_language())
    html = cache.get(key)
    if html is None:
        html = render_to_string("records/declarations/_lines.html", {
            "lines": selectors.lines(employer, month, declaration=declaration, page=page),
            "type_labels": list(TYPE_LABELS.values())})
        cache.set(key, html, LINES_CACHE_SECONDS)
    return mark_safe(html)


@citizen_required
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    employer = _employer(request)
    if employer is None:
        return redirect("records:workspace")
    return render(request, "records/declarations/index.html",
                  _context(employer, months=selectors.months_of(employer),
                           month_form=forms.MonthForm(prefix="m")))


@citizen_required
@never_cache
def new(request: HttpRequest) -> HttpResponse:
    """GET ?month=YYYY-MM: the upload form and the page entry of the employees enrolled that month. POST: one
    of them (`action` upload or lines); errors are shown on this page, nothing being recorded."""
    employer = _employer(request)
    if employer is None:
        return redirect("records:workspace")
    data = request.POST if request.method == "POST" else request.GET
    try:
        month = parse_month(data.get("month") or data.get("m-month") or "")
    except EnrolmentRuleError as error:
        if request.method == "POST" or data.get("month") or data.get("m-month"):
            messages.error(request, _(error.message))
        return redirect("records:declarations")
    enrolments = selectors.enrolled_in(employer, month)
    upload_form = forms.UploadForm(initial={"month": format_month(month)}, prefix="up")
    lines_form = forms.LinesForm(initial={"month": format_month(month)}, enrolments=enrolments, prefix="pg")
    errors, refusal, who = [], None, {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "upload":
                upload_form = forms.UploadForm(request.POST, request.FILES, prefix="up")
                if upload_form.is_valid():
                    upload = upload_form.cleaned_data["file"]
                    declaration = services.declare(user=request.user, employer=employer, month=month,
                                                   filename=upload.name, content=upload.read(), request=request)
                    return _declared(request, declaration)
            elif action == "lines":
                lines_form = forms.LinesForm(request.POST, enrolments=enrolments, prefix="pg")
                if lines_form.is_valid():
                    # line n of the page's CSV is the (n-1)th employee with a wage: name them in the errors
                    who = {n: enrolment.masked_name for n, enrolment in enumerate(lines_form.declared(), start=2)}
                    declaration = services.declare_lines(user=request.user, employer=employer, month=month,
                                                         lines=lines_form.lines(), request=request)
                    return _declared(request, declaration)
        except services.DeclarationRejected as rejected:
            errors, refusal = rejected.errors, rejected.translated()
        except RecordsError as error:
            refusal = error.translated()
    shown, more = shown_errors(errors)
    return render(request, "records/declarations/new.html", _context(
        employer, month=month, month_label=format_month(month), upload_form=upload_form, lines_form=lines_form,
        refusal=refusal, errors=[(f"{e.line} ({who[e.line]})" if e.line in who else e.line, e.column, _translated(e))
                                for e in shown], more=more,
        error_count=len(errors)), status=400 if refusal else 200)


def _declaration(request, pk: int):
    """(the employer acted for, its declaration `pk`): (None, None) when no employer is chosen; 404 when the
    declaration is not the employer's."""
    employer = _employer(request)
    if employer is None:
        return None, None
    declaration = selectors.declaration_of(employer, pk)
    if declaration is None:
        raise Http404
    return employer, declaration


def _declared(request, declaration) -> HttpResponse:
    if getattr(declaration, "already_declared", False):
        messages.info(request, _(services.MSG_ALREADY) % {"month": declaration.month_label,
                                                           "version": declaration.version})
    else:
        messages.success(request, _("The declaration of %(month)s is assessed (version %(version)s). Check the "
                                    "lines, then confirm it to get the bill.")
                         % {"month": declaration.month_label, "version": declaration.version})
    return redirect("records:declaration", pk=declaration.pk)


@citizen_required
@never_cache
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer, declaration = _declaration(request, pk)
    if employer is None:
        return redirect("records:workspace")
    versions = selectors.declarations_of(employer, month=declaration.month)
    latest = versions[0] if versions else declaration
    return render(request, "records/declarations/detail.html", _context(
        employer, declaration=declaration, bill=getattr(declaration, "bill", None),
        can_confirm=declaration.state == declaration.State.ASSESSED and latest.pk == declaration.pk,
        lines_html=_lines_html(request, employer, declaration.month, declaration=declaration)))


@citizen_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    employer, declaration = _declaration(request, pk)
    if employer is None:
        return redirect("records:workspace")
    try:
        bill = services.confirm(user=request.user, declaration=declaration, request=request)
    except RecordsError as error:
        messages.error(request, error.translated())
    else:
        messages.success(request, _("Bill %(number)s: %(amount)s yuan, due on %(due)s.")
                         % {"number": bill.number, "amount": bill.total_yuan, "due": bill.due_date.isoformat()})
    return redirect("records:declaration", pk=pk)


@citizen_required
@never_cache
def month_view(request: HttpRequest, month: str) -> HttpResponse:
    """A month's declarations and current lines: the employer the user acts for is checked on every request, the
    page is served whole from the cache while the month's version holds (`core.pagecache`). The membership and the
    version of the employer chosen in the session are one prepared statement (`acting_and_month_version`)."""
    try:
        first = parse_month(month)
    except EnrolmentRuleError:
        first = None
    if first is None:
        employer_ids, version = records_selectors.acting_employer_ids(request.user), None
    else:
        chosen = request.session.get(SESSION_KEY)
        employer_ids, version = selectors.acting_and_month_version(
            request.user, chosen if isinstance(chosen, int) else None, first)
    employer_id = _current_id(request, employer_ids)
    if employer_id is None:
        return redirect("records:workspace")
    if first is None:
        raise Http404
    if employer_id != request.session.get(SESSION_KEY):  # not the session's choice: the version of this one
        version = selectors.month_version(employer_id, first)

    def context() -> dict:
        employer = Employer.objects.get(pk=employer_id)
        versions = selectors.declarations_of(employer, month=first)
        if not versions:
            raise Http404
        return _context(employer, month_label=month, versions=versions, current=versions[0],
                        lines_html=_lines_html(request, employer, first))

    return render_cached(request, "records/declarations/month.html", version=f"{employer_id}|{version}",
                         context=context)


@citizen_required
def template_csv(request: HttpRequest) -> HttpResponse:
    """The CSV template: UTF-8 with a BOM (Excel opens it as UTF-8), the header row."""
    response = HttpResponse(("\ufeff" + ",".join(rules.CHINESE_HEADER) + "\r\n").encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="declaration-template.csv"'
    return response


@citizen_required
def voucher(request: HttpRequest, pk: int) -> HttpResponse:
    """The original file of a declaration, unchanged (its SHA-256 is shown beside the link)."""
    employer = _employer(request)
    if employer is None:
        return redirect("records:workspace")
    found = selectors.voucher_of(employer, pk)
    if found is None:
        raise Http404
    record_event(event_type="records.voucher_downloaded", actor=request.user, request=request,
                 subject_type="employer", subject_id=employer.credit_code, data={"voucher": found.pk})
    response = HttpResponse(bytes(found.content), content_type=found.media_type)
    response["Content-Disposition"] = f'attachment; filename="voucher-{found.pk}-{found.sha256[:12]}' \
                                      f'{".xlsx" if found.filename.lower().endswith(".xlsx") else ".csv"}"'
    response["X-Content-SHA256"] = found.sha256
    return response
