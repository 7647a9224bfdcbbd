"""A signed-in page served whole from the cache while the data it shows has not changed (issue 13: "My social
insurance" and the employer's month view, read far more often than their data changes).

`render_cached(request, template, version=..., context=...)` renders the page once per key and serves the stored
HTML after that. The key is a keyed hash (no personal data in it) of:

- `version`: the caller's version of *everything* the page shows (for the person's page, one prepared query over
  the person's append-only rows, `records.person_selectors.records_version`): a changed row is a new key, so a
  stored page is never stale, it is only ever replaced;
- the user, the template, the full path with its query, and the plain values the template context processors
  give (language, elder-friendly mode, ...; not the CSRF token), so whatever the base template varies on is in
  the key too.

The page's CSRF token is not stored: the page is rendered with a placeholder, which each answer replaces with the
request's own token (`get_token`, which also sets the cookie, as `{% csrf_token %}` does). A request with
messages waiting (`django.contrib.messages`) is rendered as usual and not stored, so a message is shown once.
A page that uses a per-request nonce (a CSP script nonce) must not be served through here.
"""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import engines
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac

PAGE_CACHE_SECONDS = 3600  # entries are never stale (keyed by version): the time only bounds the memory
CSRF_PLACEHOLDER = "csrf0placeholder0for0a0cached0page0000000000000000000000000000000"  # 64 characters, as a token
PLAIN = (str, int, float, bool, type(None))


def _context_values(request: HttpRequest) -> str:
    """The plain values of the template context processors for this request, sorted by name."""
    values: dict = {}
    for processor in engines["django"].engine.template_context_processors:
        values.update(processor(request))
    values.pop("csrf_token", None)  # the request's own, put in each answer (below)
    return ";".join(f"{name}={value}" for name, value in sorted(values.items()) if isinstance(value, PLAIN))


def page_key(request: HttpRequest, template_name: str, version: str) -> str:
    parts = (template_name, str(request.user.pk), request.get_full_path(), version, _context_values(request))
    return "page:" + salted_hmac("sscard.core.pagecache", "|".join(parts), algorithm="sha256").hexdigest()


def render_cached(request: HttpRequest, template_name: str, *, version: str, context) -> HttpResponse:
    """The page `template_name` for `request`, from the cache when `version` (and the rest of the key) has been
    rendered before; `context()` builds the template's context, called only when the page is rendered."""
    if len(get_messages(request)):
        return render(request, template_name, context())
    key = page_key(request, template_name, version)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request)
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
