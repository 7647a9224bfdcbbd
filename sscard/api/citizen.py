"""The citizen API: a citizen's own card applications, over the web site's session.

Every operation needs the session of a logged-in citizen (a staff session is not one: 401); writes also need
the CSRF token (`X-CSRFToken` header from the `csrftoken` cookie: 403 without it). OpenAPI document at
`/api/citizen/openapi.json`, Swagger UI at `/api/citizen/docs`; operations under `/api/v1/`.
"""

from django.http import HttpRequest
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from sscard.apierrors import CsrfFailed
from sscard.applications.api import citizen_router
from sscard.cards.ecard_api import citizen_router as cards_citizen_router

from .base import audience_api


class CitizenSession(SessionAuth):
    """A logged-in citizen (not staff). CSRF is checked on unsafe methods."""

    def _get_key(self, request: HttpRequest):
        # As ninja's own check, but failing with CsrfFailed, which the API answers in its error shape.
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is not None and not user.is_staff:
            return user
        return None


citizen_auth = CitizenSession(csrf=True)

api = audience_api(
    title="sscard citizen API",
    description="Social security card service: the citizen's own card applications.\n\n"
                "**Session and CSRF.** Every operation needs a citizen's session (log in on the web site); "
                "writes (POST) also need the `csrftoken` cookie's value in the `X-CSRFToken` header.",
    urls_namespace="api-citizen",
    prefix="citizen",
    auth=citizen_auth,  # every operation of this API, whatever router it comes from
)
api.add_router("/v1/", citizen_router)
api.add_router("/v1/", cards_citizen_router)
