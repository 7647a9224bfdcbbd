"""The public API: what anybody may ask without an account, rate-limited per client.

Today the progress look-up by office code and ID number ending, which answers no personal data. No
authentication; every look-up is counted against the client's rate limit (429 with `Retry-After`) and written
to the access log. OpenAPI document at `/api/public/openapi.json`, Swagger UI at `/api/public/docs`;
operations under `/api/v1/`.
"""

from sscard.applications.api import public_router
from sscard.cards.ecard_api import public_router as cards_public_router

from .base import audience_api

api = audience_api(
    title="sscard public API",
    description="Social security card service: the public progress look-up by office code and ID number "
                "ending. No login; rate-limited per client.",
    urls_namespace="api-public",
    prefix="public",
    auth=None,
)
api.add_router("/v1/", public_router)
api.add_router("/v1/", cards_public_router)
