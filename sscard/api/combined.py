"""`/api/openapi.json` and `/api/docs`: the one document that described the whole API before it was split by
audience, kept so that existing clients and code generators still find every `/api/v1/` operation there.

It is not an API of its own: no operation is mounted here. Its document is assembled from the documents of
the audiences that serve `/api/v1/` (citizen and public), unchanged: same paths, same schemas, same security
schemes. New clients read their audience's document (`/api/citizen/openapi.json`, `/api/public/openapi.json`);
audiences added later (institutions) are not merged in: they have their own credentials and their own
document.
"""

from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from . import citizen, public

V1_AUDIENCES = (citizen.api, public.api)


def merged_schema(documents: list[dict], *, info: dict) -> dict:
    """One OpenAPI document holding the paths and components of `documents`, which must not disagree: a path
    in two documents, or a component of one name that differs between them, is a programming error."""
    merged = {"openapi": documents[0]["openapi"], "info": info, "paths": {}, "components": {}}
    for document in documents:
        for path, item in document["paths"].items():
            if path in merged["paths"]:
                raise ValueError(f"{path} is served by two audiences")
            merged["paths"][path] = item
        for kind, components in document.get("components", {}).items():
            into = merged["components"].setdefault(kind, {})
            for name, component in components.items():
                if into.setdefault(name, component) != component:
                    raise ValueError(f"two audiences declare different {kind} named {name}")
    return merged


class CombinedDocument(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return merged_schema([api.get_openapi_schema(path_params=path_params) for api in V1_AUDIENCES],
                             info={"title": self.title, "version": self.version, "description": self.description})


api = CombinedDocument(
    title="sscard API (all /api/v1/ operations)",
    version="1",
    description="Kept for existing clients: every operation of the citizen API "
                "([document](/api/citizen/openapi.json), [docs](/api/citizen/docs)) and of the public API "
                "([document](/api/public/openapi.json), [docs](/api/public/docs)) in one document. New clients "
                "use their audience's document.",
    urls_namespace="api-v1-combined",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs_decorator=require_safe,
)
