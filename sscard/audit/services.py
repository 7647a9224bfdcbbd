"""Append-only, hash-chained audit log, and the access log sealed into it: the one way to write them.

Two kinds of record:
- `record_event`: an audited action (a change, a staff read of personal data, a login...). Chained at once,
  in the caller's transaction, serialised on the chain head.
- `record_access`: a high-volume anonymous read (the public progress look-up). One INSERT without any lock;
  `seal_access_events` seals what was written into the chain every minute (Celery beat).
"""

import hashlib
import hmac
import json
import logging
import re
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from sscard.core.rows import write
from sscard.domain.masking import mask_personal_data

from .models import (
    ACCESS_DIGEST_FIELDS,
    GENESIS_HASH,
    AccessEvent,
    AuditChainHead,
    AuditEvent,
    access_row_digest_line,
)

logger = logging.getLogger(__name__)

LABEL_MAX = 64


# A SHA-256 digest in hex (vouchers, files, the access log's seals) is not personal data, even where its digits
# happen to look like a mobile number (a run of 11 between letters): masking it would make a seal disagree with
# the rows it seals, and `audit_verify` report them altered.
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def _scrub(value, path: str, found: list[str]):
    """A copy of `value` (JSON types) with personal data masked; `found` collects the paths masked. A value that
    is a whole SHA-256 hex digest is kept as it is."""
    if isinstance(value, dict):
        return {key: _scrub(item, f"{path}.{key}", found) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, f"{path}[{index}]", found) for index, item in enumerate(value)]
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        masked = mask_personal_data(str(value))
        if masked != str(value):
            found.append(path)
            return masked
        return value
    if isinstance(value, str):
        if _SHA256_HEX.fullmatch(value):
            return value
        masked = mask_personal_data(value)
        if masked != value:
            found.append(path)
        return masked
    return value


def _clean_data(event_type: str, data: dict | None) -> dict:
    # Round trip through JSON so the stored value is exactly what is hashed (lazy strings, dates,
    # decimals and UUIDs become strings, tuples become lists).
    plain = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    if not isinstance(plain, dict):
        raise TypeError("audit event data must be a dict")
    found: list[str] = []
    clean = _scrub(plain, "data", found)
    if found:
        logger.warning("audit event %s: personal data masked in %s", event_type, ", ".join(found))
    return clean


def _ip_hash(request) -> str:
    if request is None:
        return ""
    from sscard.core.client import client_address

    address = client_address(request)
    if not address:
        return ""
    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), f"audit-ip|{address}".encode(), hashlib.sha256).hexdigest()


def _actor_and_label(actor, request):
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is None:
        return None, "anonymous" if request is not None else "system"
    if actor.is_staff:
        return actor, f"staff:{actor.get_username()}"[:LABEL_MAX]
    return actor, f"user:{actor.pk}"


def _lock_head() -> AuditChainHead:
    """The chain head, locked until the caller's transaction ends. Created if missing (an emptied
    database): from the last event, so a chain that still has events goes on where it stopped."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    last = AuditEvent.objects.order_by("-seq").first()
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(
                pk=1, last_seq=last.seq if last else 0, last_hash=last.hash if last else GENESIS_HASH
            )
    except IntegrityError:
        pass  # another writer created it first
    return AuditChainHead.objects.select_for_update().get(pk=1)


def record_event(*, event_type: str, actor=None, subject_type: str = "", subject_id: str = "",
                 data: dict | None = None, request=None) -> AuditEvent:
    """Append one audit event in the caller's transaction (a rolled-back change leaves no event).

    `actor` defaults to the request's logged-in user. ID-number-like and phone-like values in `data` and
    `subject_id` are masked before they are stored. Concurrent writers are serialised on the chain head.
    """
    actor, actor_label = _actor_and_label(actor, request)
    clean = _clean_data(event_type, data)
    subject = mask_personal_data(str(subject_id or ""))
    with transaction.atomic():
        head = _lock_head()
        event = AuditEvent(
            seq=head.last_seq + 1,
            occurred_at=timezone.now(),
            event_type=event_type,
            actor=actor,
            actor_label=actor_label,
            subject_type=subject_type,
            subject_id=subject,
            data=clean,
            ip_hash=_ip_hash(request),
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def record_access(*, event_type: str, subject_type: str = "", subject_id: str = "", data: dict | None = None,
                  request=None) -> None:
    """Append one access event (no chain lock: see the module docstring). Personal data is masked as in
    `record_event`. Write it in autocommit (outside long transactions): the sealer seals rows a few seconds
    old, so a row committed much later than it was numbered would read as a forgery.

    One plain INSERT rather than `Model.save()`: this runs on every public look-up, the busiest URL, and the
    ORM's per-save work cost more than the insert itself (docs/deploy.md, "Benchmarks"). Inside
    `core.rows.together()` it is written at the block's end, in one statement with the block's other writes.
    """
    using = router.db_for_write(AccessEvent)
    ops = connections[using].ops
    write(_ACCESS_INSERT % ops.quote_name(AccessEvent._meta.db_table), [
        ops.adapt_datetimefield_value(timezone.now()),
        event_type,
        subject_type,
        mask_personal_data(str(subject_id or "")),
        ops.adapt_json_value(_clean_data(event_type, data), None),
        _ip_hash(request),
    ], using=using)


_ACCESS_INSERT = ("INSERT INTO %s (occurred_at, event_type, subject_type, subject_id, data, ip_hash) "
                  "VALUES (%%s, %%s, %%s, %%s, %%s, %%s)")


ACCESS_SEALED = "audit.access_sealed"
# Rows younger than this are left for the next seal (an insert numbered but not yet committed).
SEAL_DELAY_SECONDS = 5
SEAL_BATCH = 50_000


def access_digest(after_id: int, last_id: int, *, chunk_size: int = 5000) -> tuple[int, str]:
    """(count, SHA-256) of the access events with after_id < id <= last_id, in id order."""
    digest, count = hashlib.sha256(), 0
    rows = (AccessEvent.objects.filter(id__gt=after_id, id__lte=last_id).order_by("id")
            .values_list(*ACCESS_DIGEST_FIELDS))
    for row in rows.iterator(chunk_size=chunk_size):
        digest.update(access_row_digest_line(row))
        count += 1
    return count, digest.hexdigest()


def last_sealed_access_id() -> int:
    last = AuditEvent.objects.filter(event_type=ACCESS_SEALED).order_by("-seq").values_list("data", flat=True).first()
    return int(last["last_id"]) if last else 0


def oldest_unsealed_access_age_seconds() -> float:
    """Age of the oldest access event after the last seal (0 when everything is sealed)."""
    oldest = (AccessEvent.objects.filter(id__gt=last_sealed_access_id()).order_by("id")
              .values_list("occurred_at", flat=True).first())
    return max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0


def seal_access_events(*, batch: int = SEAL_BATCH, now=None) -> list[AuditEvent]:
    """Seal the access events written since the last seal (at least SEAL_DELAY_SECONDS old) into the chain,
    `batch` rows per seal event. Returns the seal events written (none when there was nothing to seal).

    The digest is computed before the chain lock is taken (rows never change), so audited writes wait only for
    the seal event itself; a sealer that finds the range sealed by another in the meantime starts again.
    """
    cutoff = (now or timezone.now()) - timedelta(seconds=SEAL_DELAY_SECONDS)
    seals = []
    while True:
        after_id = last_sealed_access_id()
        ids = list(AccessEvent.objects.filter(id__gt=after_id, occurred_at__lte=cutoff).order_by("id")
                   .values_list("id", flat=True)[:batch])
        if not ids:
            return seals
        count, digest = access_digest(after_id, ids[-1])
        with transaction.atomic():
            _lock_head()
            if last_sealed_access_id() != after_id:
                continue  # another sealer sealed this range first
            seals.append(record_event(event_type=ACCESS_SEALED, subject_type="audit.access_log", data={
                "after_id": after_id, "last_id": ids[-1], "count": count, "sha256": digest}))
        if len(ids) < batch:
            return seals
