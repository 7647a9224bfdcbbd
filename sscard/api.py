"""The JSON API (django-ninja): /api/v1/..., OpenAPI at /api/openapi.json, docs at /api/docs.

Routers live in the apps (`sscard/<app>/api.py`) and are added here.
"""

from ninja import NinjaAPI

api = NinjaAPI(
    title="sscard API",
    version="1",
    description="Social security card service: the citizen's own card applications (session login) and the "
                "public progress look-up by office code.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

from sscard.applications.api import router as applications_router  # noqa: E402

api.add_router("/v1/", applications_router)
