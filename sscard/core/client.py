"""The client's network address, for rate limits and audit hashes."""

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR, or behind `TRUSTED_PROXY_HOPS` reverse proxies (load balancers) the address the outermost
    trusted proxy saw, taken from X-Forwarded-For counted from the right (entries further left are whatever
    the client chose to send, and are not trusted)."""
    meta = getattr(request, "META", None) or {}
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return meta.get("REMOTE_ADDR", "") or ""
