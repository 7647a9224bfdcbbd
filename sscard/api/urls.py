"""Everything under `/api/`: one NinjaAPI per audience, each with its own authentication and OpenAPI document.

| audience | authentication | operations | document, docs |
| --- | --- | --- | --- |
| citizen (`citizen.py`) | the web site's session, CSRF on writes | `/api/v1/applications...` | `/api/citizen/openapi.json`, `/api/citizen/docs` |
| public (`public.py`) | none, rate-limited per client | `/api/v1/progress` | `/api/public/openapi.json`, `/api/public/docs` |
| banks (`banks.py`) | per-bank HMAC signature over timestamp and body | `/api/banks/v1/card-events`, `/api/banks/v1/acks` | `/api/banks/openapi.json`, `/api/banks/docs` |
| transit operators (`transit.py`) | bearer token per operator, rate-limited | `/api/transit/v1/hotlist/...` | `/api/transit/openapi.json`, `/api/transit/docs` |
| designated hospitals and pharmacies (`settlement.py`) | per-institution key: HMAC over method, path, body hash, timestamp, nonce; rate-limited | `/api/settlement/v1/1101` ... `/3202` | `/api/settlement/openapi.json`, `/api/settlement/docs` |
| all of `/api/v1/` (`combined.py`) | (a document only) | none of its own | `/api/openapi.json`, `/api/docs` |

The citizen and public APIs share the `/api/v1/` prefix, which clients already use: each path belongs to
exactly one audience (Django tries the citizen API's paths, then the public one's), so no URL changed when
the API was split. An audience with a breaking change moves to `/api/<audience>/v2/` rather than changing
`/api/v1/`.

Designated hospitals and pharmacies have their own API (`settlement.py`, `/api/settlement/v1/`), each request
signed with the institution's key over method, path, body hash, timestamp and nonce (docs/settlement.md).
"""

from django.urls import path

from . import banks, citizen, combined, public, settlement, transit

urlpatterns = [
    # The settlement API first: the busiest by far (every hospital's every bill), under a prefix of its own, so it
    # is found without trying the other APIs' paths first (about 40 patterns, ~10 microseconds a request).
    path("", settlement.api.urls),
    path("", citizen.api.urls),
    path("", public.api.urls),
    path("", combined.api.urls),
    path("", banks.api.urls),
    path("", transit.api.urls),
]
