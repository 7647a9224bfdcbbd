"""The hot list's public keys, for transit terminals that verify the lists they download: a JWK set (RFC 7517,
Ed25519 keys as in RFC 8037) at /.well-known/sscard-hotlist-keys.json. Public, cacheable for a few minutes."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .hotlist import key_store


@require_safe
@cache_control(public=True, max_age=300)
def public_keys(request: HttpRequest) -> JsonResponse:
    return JsonResponse(key_store().jwks())
