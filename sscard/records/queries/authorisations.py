"""Third-party authorisations (art. 74 and the 2011 Measures: a third party reads a person's record only with
the person's authorisation). The person issues a time-limited, scoped code in their space and can revoke it; a
third party (a bank, a new employer; signed in or not) enters the code and the person's ID number on a public
page and sees the scoped record, read-only, with the identity masked. Every use is an access event
(`records.authorisation_used`) and a row the person sees.

No oracle: a wrong code, a wrong ID number, a malformed input and a code of somebody else all get the same
answer, and count against the client's limit of failed attempts (`FAILED_LIMIT` an hour). Only the holder of
both the code and the matching ID number learns that the authorisation expired or was revoked."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_access, record_event
from sscard.core import ratelimit
from sscard.domain import record_authorisation as rules
from sscard.domain.idnumber import IdNumberError, parse_id_number

from ..query_models import AuthorisationUse, RecordAuthorisation
from ..services import RecordsError
from . import selectors

FAILED_LIMIT = 10  # failed verifications per client and hour
WINDOW = 3600
SCOPE = "records_authorisation"

MSG_NO_MATCH = gettext_noop("No valid authorisation matches this code and ID number. Check both and try again.")
MSG_TOO_MANY = gettext_noop("Too many attempts from this connection. Try again in an hour.")
MSG_EXPIRED = gettext_noop("This authorisation has expired. Ask the person for a new code.")
MSG_REVOKED = gettext_noop("The person has revoked this authorisation. Ask the person for a new code.")
MSG_NO_ID = gettext_noop("Your account has no verified ID number: records cannot be shared from it.")
MSG_NOT_YOURS = gettext_noop("This authorisation does not exist or is not yours.")
RULE_MESSAGES = {
    "parts": gettext_noop("Choose at least one part of your record."),
    "year_range": gettext_noop("Choose years from 1990 to this year."),
    "year_order": gettext_noop("The last year cannot be before the first year."),
    "year_span": gettext_noop("Choose at most 30 years."),
    "days": gettext_noop("Choose a validity of 1 to 30 days."),
}


def _key() -> bytes:
    return settings.SECRET_KEY.encode()


@dataclass(frozen=True)
class Issued:
    authorisation: RecordAuthorisation
    code: str  # shown once to the person, never stored; "" when the same form had already issued it


def _issued_with(user, token) -> Issued | None:
    found = RecordAuthorisation.objects.filter(person=user, form_token=token).first() if token else None
    return Issued(found, "") if found is not None else None


def issue(*, user, parts, year_from: int, year_to: int, days: int, recipient: str = "", token=None,
          request=None) -> Issued:
    """A new authorisation of the signed-in person's record; the code is returned once. `token`: the form's
    one-time token: the same form sent again (a reload, a double click, concurrently) issues no second code and
    answers the first authorisation with an empty code (it cannot be shown again)."""
    id_number = getattr(user, "id_number", "") or ""
    if not id_number:
        raise RecordsError("no_id_number", MSG_NO_ID)
    if (earlier := _issued_with(user, token)) is not None:
        return earlier
    now = timezone.now()
    try:
        scope = rules.check_scope(parts=parts, year_from=year_from, year_to=year_to,
                                  this_year=timezone.localdate(now).year)
        rules.check_days(days)
    except rules.AuthorisationRuleError as error:
        raise RecordsError(error.code, RULE_MESSAGES[error.code], field=error.field) from error
    code = rules.new_code()
    try:
        with transaction.atomic():
            authorisation = RecordAuthorisation.objects.create(
                person=user, id_number=id_number, code_hash=rules.code_hash(_key(), rules.normalise_code(code)),
                code_hint=rules.code_hint(code), recipient=(recipient or "").strip()[:100], parts=list(scope.parts),
                year_from=scope.year_from, year_to=scope.year_to, created_at=now,
                expires_at=now + timedelta(days=days), form_token=token or None)
            record_event(event_type="records.authorisation_issued", actor=user, request=request,
                         subject_type="record_authorisation", subject_id=str(authorisation.pk),
                         data={"parts": list(scope.parts), "years": [scope.year_from, scope.year_to], "days": days})
    except IntegrityError:  # the same form, sent at the same moment, issued it first
        if (earlier := _issued_with(user, token)) is not None:
            return earlier
        raise
    return Issued(authorisation, code)


def revoke(*, user, pk: int, request=None) -> RecordAuthorisation:
    """The person revokes one of their authorisations (revoking twice changes nothing)."""
    with transaction.atomic():
        authorisation = (RecordAuthorisation.objects.select_for_update()
                         .filter(pk=pk, person=user).first()) if user.is_authenticated else None
        if authorisation is None:
            raise RecordsError("not_yours", MSG_NOT_YOURS)
        if authorisation.revoked_at is None:
            authorisation.revoked_at = timezone.now()
            authorisation.save(update_fields=["revoked_at"])
            record_event(event_type="records.authorisation_revoked", actor=user, request=request,
                         subject_type="record_authorisation", subject_id=str(authorisation.pk))
    return authorisation


def authorisations_of(user) -> list[RecordAuthorisation]:
    """The person's authorisations, newest first, each with its uses (`uses_shown`)."""
    rows = list(RecordAuthorisation.objects.filter(person=user).order_by("-created_at", "-pk")[:100])
    uses: dict[int, list[AuthorisationUse]] = {row.pk: [] for row in rows}
    for use in AuthorisationUse.objects.filter(authorisation__in=rows).select_related("viewer"):
        uses[use.authorisation_id].append(use)
    now = timezone.now()
    for row in rows:
        row.uses_shown = uses[row.pk]
        row.current_state = row.state(now)
    return rows


@dataclass(frozen=True)
class Verified:
    authorisation: RecordAuthorisation
    record: selectors.ScopedRecord


def _failed(request) -> RecordsError:
    ratelimit.hit_key(SCOPE, ratelimit.client_key(request), FAILED_LIMIT, WINDOW)
    return RecordsError("no_match", MSG_NO_MATCH)


def verify(*, code: str, id_number: str, request) -> Verified:
    """The scoped record for a third party holding the code and the person's ID number, or a refusal.
    Every answer about an existing authorisation (shown, expired, revoked) is a use the person sees."""
    if ratelimit.used_up(SCOPE, ratelimit.client_key(request), FAILED_LIMIT, WINDOW):
        raise RecordsError("too_many", MSG_TOO_MANY)
    normalised = rules.normalise_code(code)
    try:
        number = parse_id_number(id_number or "").number
    except IdNumberError:
        number = ""
    found = (RecordAuthorisation.objects.select_related("person")
             .filter(code_hash=rules.code_hash(_key(), normalised)).first()) if normalised else None
    if found is None or not number or not hmac.compare_digest(found.id_number, number):
        raise _failed(request)
    now = timezone.now()
    state = found.state(now)
    outcome = {"valid": AuthorisationUse.Outcome.SHOWN, "expired": AuthorisationUse.Outcome.EXPIRED,
               "revoked": AuthorisationUse.Outcome.REVOKED}[state]
    viewer = request.user if getattr(request.user, "is_authenticated", False) else None
    AuthorisationUse.objects.create(authorisation=found, used_at=now, outcome=outcome, viewer=viewer,
                                    ip_hash=ratelimit.client_key(request))
    record_access(event_type="records.authorisation_used", subject_type="record_authorisation",
                  subject_id=str(found.pk), data={"outcome": outcome, "viewer": viewer.pk if viewer else None},
                  request=request)
    if state == "expired":
        raise RecordsError("expired", MSG_EXPIRED)
    if state == "revoked":
        raise RecordsError("revoked", MSG_REVOKED)
    record = selectors.scoped_record(id_number=found.id_number, name=getattr(found.person, "real_name", ""),
                                     parts=found.parts, year_from=found.year_from, year_to=found.year_to)
    return Verified(found, record)
