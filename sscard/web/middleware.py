import time

from django.conf import settings
from django.contrib.auth import logout


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
