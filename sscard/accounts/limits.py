"""Abuse limits of the account pages, on the project's rate limiter (fixed windows in the cache, counted under
keyed hashes, never under a phone number or an address):

- SMS codes: per client (address) and site-wide, beside the per-phone limits of `smscodes` (SMS pumping);
- failed password resets: per phone number and per client.

When a limit refuses a request it "trips": counted in the `sscard_limit_trips_total{scope}` metric, and
audited once per key and window (one event per trip, not per refused request, so that a flood does not
become a flood of audit events on the chain lock). The audit data carries masked values only.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from sscard.audit.services import record_event
from sscard.core.metrics import LIMIT_TRIPS
from sscard.core.ratelimit import client_key, hit_key, used_up, value_key


@dataclass(frozen=True)
class Limit:
    scope: str  # the metric label and the audit event's subject, e.g. "sms_client"
    key: str  # a keyed hash (`value_key`, `client_key`), or "site"
    limit: int
    window: int  # seconds

    def hit(self) -> bool:
        """Count one attempt; False when the limit is used up."""
        return hit_key(self.scope, self.key, self.limit, self.window)

    def used_up(self) -> bool:
        """Whether the limit is used up, without counting an attempt."""
        return used_up(self.scope, self.key, self.limit, self.window)


def sms_code_limits(request) -> list[Limit]:
    limits = []
    if request is not None:
        limits.append(Limit("sms_client", client_key(request), settings.SMS_CODE_CLIENT_LIMIT,
                            settings.SMS_CODE_CLIENT_WINDOW_SECONDS))
    limits.append(Limit("sms_site", "site", settings.SMS_CODE_SITE_LIMIT, settings.SMS_CODE_SITE_WINDOW_SECONDS))
    return limits


def phone_limit(scope: str, phone: str, limit: int, window: int) -> Limit:
    """A limit per phone number (counted by the caller, or only reported through `tripped`)."""
    return Limit(scope, value_key(f"phone|{phone}"), limit, window)


def reset_failure_limits(*, phone: str, request) -> list[Limit]:
    window = settings.PASSWORD_RESET_FAILURE_WINDOW_SECONDS
    limits = [phone_limit("reset_phone", phone, settings.PASSWORD_RESET_PHONE_FAILURE_LIMIT, window)]
    if request is not None:
        limits.append(Limit("reset_client", client_key(request), settings.PASSWORD_RESET_CLIENT_FAILURE_LIMIT,
                            window))
    return limits


def tripped(limit: Limit, *, request=None, data: dict | None = None) -> None:
    """Report a request refused by `limit`: the metric always, the audit event once per key and window."""
    LIMIT_TRIPS.labels(scope=limit.scope).inc()
    marker = f"limit-tripped:{limit.scope}:{limit.key}:{int(time.time() // limit.window)}"
    if cache.add(marker, 1, limit.window + 5):
        record_event(event_type="limit.tripped", subject_type="limit", subject_id=limit.scope, request=request,
                     data={"scope": limit.scope, "limit": limit.limit, "window_seconds": limit.window,
                           **(data or {})})
