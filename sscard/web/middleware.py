import functools
import time

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.contrib.auth import logout
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers


class InactivityTimeoutMiddleware:
    """Log a signed-in user out after `SESSION_INACTIVITY_SECONDS` without a request."""

    KEY = "_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - int(last) > settings.SESSION_INACTIVITY_SECONDS:
                logout(request)
                request.session["session_expired"] = True
            elif last is None or now - int(last) >= 60:  # write the session at most once a minute
                request.session[self.KEY] = now
        return self.get_response(request)


API_PREFIX = "/api/"


class PrivateResponseMiddleware:
    """Personal pages are never stored by a browser or a shared cache (`Cache-Control: no-store`, `private`).

    Every response to a signed-in user gets it, whatever produced it: the personal space, applications,
    messages, cards, profile, the staff workbench, the citizen JSON API, downloads. So does every answer to a
    form submission (a form shown again holds what was typed: ID number, name, phone). One rule here rather
    than a decorator on each view, so a new page cannot forget it. Every answer of the JSON API too: its public
    progress look-up answers about one person's application from a URL that carries the code. Static files never get this far
    (WhiteNoise answers them first) and public pages for anonymous visitors keep their normal caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (request.method == "POST" or (user is not None and user.is_authenticated)
                or request.path.startswith(API_PREFIX)) and not _never_cached(response):
            add_never_cache_headers(response)
        return response


NEVER_CACHE_DIRECTIVES = ("max-age=0", "no-cache", "no-store", "must-revalidate", "private")


def _never_cached(response) -> bool:
    """Whether `add_never_cache_headers` has already run on the response (the `never_cache` decorator of most
    personal views): every directive it writes is there, and `Expires`. Patching it again changes nothing."""
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return response.has_header("Expires") and all(name in directives for name in NEVER_CACHE_DIRECTIVES)


# Attributes by which a view gives its answer a policy of its own (django-csp's decorators).
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
               "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the site's policy (settings.CONTENT_SECURITY_POLICY and its report-only twin)
    built into its header once rather than on every answer. An answer whose view asked for a policy of its own, a
    request that used a nonce, a policy with excluded URL prefixes, and the debug pages: as django-csp does."""

    def process_response(self, request, response):
        headers = _site_policy_headers()
        if (headers is None or getattr(request, "_csp_nonce", None) is not None
                or any(hasattr(response, name) for name in _OWN_POLICY)
                or (settings.DEBUG and response.status_code in (404, 500))):
            return super().process_response(request, response)
        for header, value in headers:
            if header not in response:
                response[header] = value
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


_POLICIES = (("CONTENT_SECURITY_POLICY", csp.constants.HEADER, False),
             ("CONTENT_SECURITY_POLICY_REPORT_ONLY", csp.constants.HEADER_REPORT_ONLY, True))


@functools.cache
def _site_policy_headers() -> tuple[tuple[str, str], ...] | None:
    """The (header, value) pairs of the site's policies, or None when one excludes URL prefixes (then the
    library decides per path). Cleared when a policy setting changes (tests)."""
    pairs = []
    for setting, header, report_only in _POLICIES:
        if (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return None
        value = csp.utils.build_policy(report_only=report_only)
        if value:
            pairs.append((header, value))
    return tuple(pairs)


@receiver(setting_changed)
def _policy_changed(setting, **kwargs):
    if setting in {name for name, _header, _report_only in _POLICIES}:
        _site_policy_headers.cache_clear()
