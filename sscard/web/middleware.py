import time

from django.conf import settings
from django.contrib.auth import logout
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
                or request.path.startswith(API_PREFIX)):
            add_never_cache_headers(response)
        return response
