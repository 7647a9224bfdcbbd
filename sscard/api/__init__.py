"""The JSON APIs, one NinjaAPI per audience (see `urls.py`): citizen (session), public (no login,
rate-limited), and later institutions (their own credentials, signed requests). The operations live in the
apps' `api.py` routers; this package gives each audience its authentication, its OpenAPI document and the
API's one error shape (`base.py`)."""
