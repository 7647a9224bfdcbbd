"""The transit operators' API: the signed hot list of blocked cards, for bus and metro companies' terminals.

Every operation needs the operator's token, `Authorization: Bearer sht_<id>.<secret>` (issued once by
`manage.py transit_token issue`); a missing, unknown, wrong or revoked token answers 401 with its own `code`.
Each operator is rate-limited. OpenAPI document at `/api/transit/openapi.json`, Swagger UI at
`/api/transit/docs`; operations under `/api/transit/v1/`. Format: docs/formats.md, "Transit hot list".
"""

from django.http import HttpRequest
from ninja.security import HttpBearer

from sscard.apierrors import ApiError
from sscard.cards.hotlist_api import router
from sscard.cards.transit_operators import TransitAuthError, authenticate

from .base import audience_api


class OperatorToken(HttpBearer):
    """The operator's bearer token; every refusal is a 401 with its reason code (token_missing, token_invalid,
    token_revoked, operator_inactive)."""

    def __call__(self, request: HttpRequest):
        try:
            return authenticate(request.headers.get("Authorization", ""))
        except TransitAuthError as error:
            raise ApiError(401, error.code, error.translated(),
                           headers={"WWW-Authenticate": 'Bearer realm="sscard-transit"'}) from None

    def authenticate(self, request: HttpRequest, token: str):  # pragma: no cover - __call__ does the work
        return None


api = audience_api(
    title="sscard transit operators API",
    description="Social security card service: the signed hot list of blocked cards for transit operators "
                "(full, and changes since a version).\n\n**Token.** Every operation needs the operator's token: "
                "`Authorization: Bearer sht_<id>.<secret>`.",
    urls_namespace="api-transit",
    prefix="transit",
    auth=OperatorToken(),
)
api.add_router("/transit/v1/", router)
