"""The bank API: what partner banks send us about cards (a loss reported at the bank, its withdrawal, the
acknowledgement of our card events). Each request is signed by the bank with its shared secret (HMAC-SHA256
over the timestamp and the body, docs/formats.md "Bank card events"); no session. OpenAPI document at
`/api/banks/openapi.json`, Swagger UI at `/api/banks/docs`; operations under `/api/banks/v1/`.
"""

from sscard.cards.api import bank_router

from .base import audience_api

api = audience_api(
    title="sscard bank API",
    description="Social security card service: card events from the partner banks. Every request carries "
                "`X-Sscard-Bank`, `X-Sscard-Timestamp` (Unix seconds, within 5 minutes) and `X-Sscard-Signature` "
                "(`sha256=` + hex HMAC-SHA256 of `timestamp.body` with the bank's secret).",
    urls_namespace="api-banks",
    prefix="banks",
    auth=None,
)
api.add_router("/banks/v1/", bank_router)
