"""The settlement API for designated hospitals and pharmacies (issue 15): person info, registration,
(pre-)settlement, cancellation and reconciliation, shaped on the national medical insurance platform's interface.
Every request is signed by the institution (HMAC-SHA256 over method, path, body hash, timestamp and nonce:
`sscard/domain/settlement_signing.py`). OpenAPI document at `/api/settlement/openapi.json`, Swagger UI at
`/api/settlement/docs`; operations under `/api/settlement/v1/`. docs/settlement.md, "The settlement API".
"""

from sscard.settlement.api import router

from .base import audience_api

api = audience_api(
    title="sscard medical settlement API",
    description="Social security card service: medical settlement for designated hospitals and pharmacies. "
                "Every request carries `X-Sscard-Institution`, `X-Sscard-Key-Id`, `X-Sscard-Timestamp` (Unix "
                "seconds, within 5 minutes), `X-Sscard-Nonce` (16-64 of `[A-Za-z0-9_-]`, never reused) and "
                "`X-Sscard-Signature`: `sha256=` + hex HMAC-SHA256 of `METHOD\\npath\\nhex(sha256(body))\\n"
                "timestamp\\nnonce` with the key's secret. Writes carry `msgid`: the same msgid again returns the "
                "first answer. Amounts are integer fen.",
    urls_namespace="api-settlement",
    prefix="settlement",
    auth=None,
)
api.add_router("/settlement/v1/", router)
