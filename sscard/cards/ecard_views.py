"""The e-card's public keys, for terminals that verify offline: a JWK set (RFC 7517, Ed25519 keys as in
RFC 8037) at /.well-known/sscard-ecard-keys.json. Public, no personal data, cacheable for a few minutes."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .ecard_keys import key_store


@require_safe
@cache_control(public=True, max_age=300)
def public_keys(request: HttpRequest) -> JsonResponse:
    return JsonResponse(key_store().jwks())
