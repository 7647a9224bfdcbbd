"""Log-in lockout (django-axes): per account AND client, plus a higher account-wide threshold.

Failures are counted under the pair (lockout key, client address) (`AXES_LOCKOUT_PARAMETERS`), so a stranger who
knows a citizen's phone number locks only their own address out of that account after
`AXES_FAILURE_LIMIT` failures, not the citizen. The lockout key is the account (`selectors.lockout_key`), so
every spelling of the identifier (ID number, phone, lower-case x) counts for the same account.

Against a guessing attack spread over many addresses, the failures of all clients on one account are added
up too: at `LOGIN_ACCOUNT_FAILURE_LIMIT` (higher) the account is locked for everyone for the cool-off time.
That is axes' own hook for it: a handler (`AXES_HANDLER`) whose failure count is the client's own count,
or the limit itself once the account-wide total reaches the higher threshold.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

from sscard.core.client import client_address


def client_ip(request) -> str | None:
    """The address axes counts under: the same one as our rate limits (trusted proxy hops only, so a
    client cannot pick a fresh address per attempt with X-Forwarded-For)."""
    return client_address(request) or None


def account_failures(request, credentials=None) -> int:
    """Failures on the account of this attempt from all clients, within the cool-off time."""
    username = get_client_username(request, credentials)
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndClientHandler(AxesDatabaseHandler):
    """Axes' database handler, with the account-wide threshold on top of the per-client one."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if account_failures(request, credentials) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
