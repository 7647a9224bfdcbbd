from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from sscard.accounts.catalogue import service_catalogue
from sscard.accounts.services import set_preferred_language

ELDER_COOKIE = "sscard_elder"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return "/"
    return target


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "web/index.html", {"catalogue": service_catalogue()})


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "web/terms.html", {"version": settings.TERMS_VERSION})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html", {"version": settings.TERMS_VERSION})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = True
    except Exception:  # noqa: BLE001 - the health answer reports any database failure
        database = False
    return JsonResponse({"status": "ok" if database else "degraded", "database": database},
                        status=200 if database else 503)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page says: point them at the static icon."""
    response = redirect(static("web/favicon.ico"))
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


@require_POST
def toggle_elder_mode(request: HttpRequest) -> HttpResponse:
    """Switch the elder-friendly mode (larger text, higher contrast); remembered in a cookie and the account."""
    enabled = request.POST.get("enabled") == "1"
    response = redirect(_safe_next(request))
    response.set_cookie(ELDER_COOKIE, "1" if enabled else "0", max_age=365 * 24 * 3600,
                        samesite="Lax", secure=settings.HTTPS, httponly=True)
    if request.user.is_authenticated and request.user.elder_mode != enabled:
        request.user.elder_mode = enabled
        request.user.save(update_fields=["elder_mode"])
    return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (the cookie); a signed-in person's choice is kept on the account too, so
    their SMS, messages and history notes follow it."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        set_preferred_language(user=request.user, language=request.POST.get("language", ""))
    return response
