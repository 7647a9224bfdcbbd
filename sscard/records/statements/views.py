"""Statement pages: the person's "My statements" (list, request, download), the public verification page (no
login, rate-limited, counted; a refused code is an access event: never the audit chain's lock) and the staff
batch page (progress, start, resume). Thin: parse, call one service or selector, render."""

from __future__ import annotations

import functools
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_headers

from sscard.accounts.decorators import citizen_required, staff_required
from sscard.applications.receipt import receipt_language
from sscard.audit.services import record_access
from sscard.core import ratelimit
from sscard.core.metrics import STATEMENT_CHECKS
from sscard.domain import statement as rules

from ..roles import perm
from . import keys, selectors, services
from .pdf import render_statement

VERIFY_SCOPE = "statement_verify"
ELDER_COOKIE = "sscard_elder"  # sscard.web.views.ELDER_COOKIE (records may not import web; a test checks they agree)
REASONS = {
    rules.Reason.UNREADABLE: gettext_lazy("This is not a statement verification code. Check that it was entered completely."),
    rules.Reason.UNKNOWN_KEY: gettext_lazy("This code was not signed by the agency: the statement is not genuine."),
    rules.Reason.BAD_SIGNATURE: gettext_lazy("This code was altered or forged: the statement is not genuine."),
}


@citizen_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    id_number = getattr(request.user, "id_number", "") or ""
    if request.method == "POST":
        year = request.POST.get("year", "")
        try:
            statement = services.request_statement(user=request.user, year=int(year) if year.isdigit() else 0,
                                                   request=request)
        except services.StatementError as error:
            messages.error(request, error.translated())
        else:
            messages.success(request, _("Your statement of %(year)s is ready.") % {"year": statement.year})
        return redirect("records:statements")
    return render(request, "records/statements/mine.html", {
        "statements": selectors.statements_of(id_number),
        "years": selectors.requestable_years(id_number, today=timezone.localdate())})


@citizen_required
@never_cache
def download(request: HttpRequest, serial: str) -> HttpResponse:
    statement = selectors.statement_of(getattr(request.user, "id_number", "") or "", serial)
    if statement is None:
        raise Http404
    body = render_statement(contents_bytes=bytes(statement.contents), code=statement.code,
                            language=receipt_language(request.user), site_url=request.build_absolute_uri("/"))
    record_access(event_type="records.statement_downloaded", subject_type="statement", subject_id=statement.serial,
                  request=request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statement-{statement.year}-{statement.serial}.pdf"'
    return response


@functools.lru_cache(maxsize=2048)
def _checked(code: str, key_file: str, extras_file: str) -> rules.Summary | rules.Reason:
    """The signature check, memoised per code: it is pure (the same code and keys give the same answer), and the
    key files are part of the key so a changed key store is never answered from memory."""
    return rules.verify(code, keys.key_store().public_keys)


@functools.lru_cache(maxsize=1)
def _page_urls() -> dict[str, str]:
    return {"home": reverse("web:index"), "login": reverse("accounts:login"), "terms": reverse("web:terms"),
            "privacy": reverse("web:privacy")}


@functools.lru_cache(maxsize=1)
def _languages() -> list[tuple[str, str]]:
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


PAGE_CACHE_SIZE = 512
LANGUAGE_PARAM = "lang"


def _page_language(request: HttpRequest) -> str:
    """`?lang=` when it names a language of the portal (the page's own links), else the portal's choice (the
    language cookie, then the browser's, by LocaleMiddleware)."""
    asked = request.GET.get(LANGUAGE_PARAM, "")
    return asked if asked in _language_codes() else get_language()


@functools.lru_cache(maxsize=1)
def _language_codes() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def _render_verify(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    """The lean page: a plain Context (no context processors: no session, user or messages on the public path),
    and nothing per request: no form posts from it (the code is sent by GET, the language is a link), so it
    needs no CSRF token and its HTML is served whole from memory."""
    language = _page_language(request)
    html = _page_html(context.get("code", ""), language, request.COOKIES.get(ELDER_COOKIE) == "1", status == 429,
                      str(settings.STATEMENT_KEY_FILE), str(settings.STATEMENT_EXTRA_KEYS_FILE or ""),
                      settings.PORTAL_NAME)
    response = HttpResponse(html, status=status)
    response["Content-Language"] = language
    return response


def _language_links(code: str) -> list[tuple[str, str, str]]:
    """(language, its own name, the same page in it): links, not the portal's switch (a POST with a CSRF token):
    the page stays stateless and shareable in a language; the portal's own choice is not changed."""
    return [(language, name, "?" + urlencode({"code": code, LANGUAGE_PARAM: language} if code
                                              else {LANGUAGE_PARAM: language}))
            for language, name in _languages()]


@functools.lru_cache(maxsize=PAGE_CACHE_SIZE)
def _page_html(code: str, language: str, elder_mode: bool, limited: bool, key_file: str, extras_file: str,
               portal_name: str) -> str:
    """The page's HTML, remembered per everything it is made of: the code as typed (the answer is the memoised
    check's, keyed by the same key files), the language, elder mode and the refusal for too many checks."""
    context: dict = {"code": code}
    if limited:
        context["error"] = _("Too many checks from your address. Try again in a minute.")
    elif code:
        result = _checked(rules.normalise_code(code), key_file, extras_file)
        if isinstance(result, rules.Reason):
            context["error"] = REASONS[result]
        else:
            context.update(summary=result, totals=selectors.shown_totals(result))
    context.update(portal_name=portal_name, elder_mode=elder_mode, urls=_page_urls(),
                   languages=_language_links(code))
    with translation.override(language):
        return get_template("records/statements/verify.html").template.render(Context(context, autoescape=True))


def _wants_json(request: HttpRequest) -> bool:
    """Banks' systems ask with `?format=json` or `Accept: application/json` (docs/formats.md section 12)."""
    return request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", "")


def _json_answer(result: rules.Summary | rules.Reason | None, message: str = "", status: int = 200) -> HttpResponse:
    if isinstance(result, rules.Summary):
        body = {"valid": True, "serial": result.serial, "year": result.year, "issued_on": result.issued_on,
                "masked_name": result.masked_name, "totals": dict(result.totals)}
    else:
        body = {"valid": False, "reason": result.value if result else "rate_limited", "message": str(message)}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@never_cache
@vary_on_headers("Accept")
def verify(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "") or request.POST.get("code", "")
    as_json = _wants_json(request)
    if not code and as_json:
        return _json_answer(rules.Reason.UNREADABLE, REASONS[rules.Reason.UNREADABLE])
    if code:
        if not ratelimit.hit(request, VERIFY_SCOPE, settings.STATEMENT_VERIFY_PER_MINUTE):
            response = (_json_answer(None, _("Too many checks from your address. Try again in a minute."), 429)
                        if as_json else _render_verify(request, {"code": code}, status=429))
            response["Retry-After"] = str(ratelimit.retry_after())
            return response
        result = _checked(rules.normalise_code(code), str(settings.STATEMENT_KEY_FILE),
                          str(settings.STATEMENT_EXTRA_KEYS_FILE or ""))
        # A refusal is answered 200, like a form with an error (no 4xx log noise). Every check is counted; a
        # refused code (a forgery, an alteration, a mistyping) is also an access event. A genuine one is not: the
        # page reads nothing of ours (what it shows is signed inside the code the visitor holds), and recording
        # which statement was shown to whom would be keeping data nobody needs (docs/records.md).
        outcome = result.value if isinstance(result, rules.Reason) else "valid"
        STATEMENT_CHECKS.labels(outcome=outcome).inc()
        if outcome != "valid":
            record_access(event_type="records.statement_refused", subject_type="statement",
                          data={"outcome": outcome}, request=request)
        if as_json:
            return _json_answer(result, REASONS[result] if isinstance(result, rules.Reason) else "")
    return _render_verify(request, {"code": code})


def statements_staff(view):
    """Signed-in staff allowed to run the statement batch (`records.run_statements`)."""

    @wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(perm("run_statements")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


@statements_staff
def batches(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        year = request.POST.get("year", "")
        try:
            batch = services.start_batch(staff=request.user, year=int(year) if year.isdigit() else 0,
                                         request=request)
        except services.StatementError as error:
            messages.error(request, error.translated())
        else:
            messages.success(request, _("The statements of %(year)s are being made for %(persons)s persons.")
                             % {"year": batch.year, "persons": batch.persons})
        return redirect("casework:records_statements")
    return render(request, "records/statements/staff.html", {
        "nav": "records_statements", "rows": selectors.batch_progress(), "default_year": today.year - 1,
        "years": list(range(today.year - 1, today.year - 6, -1))})
