"""How long uploaded photo originals are kept (docs/photos.md): a service, run by Celery beat.

An application is made of its 358×441 card photo; the uploaded original (already re-encoded from its pixels,
without metadata) is only a reference copy while the applicant works on the draft. It is deleted when the
application is submitted (services.submit_application) and, at the latest, ORIGINAL_RETENTION after it was
stored: `purge_photo_originals` deletes every stored original older than that, whether a draft still names it
or a failed request left it behind, and the originals of applications submitted before this rule.
"""

from __future__ import annotations

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from sscard.audit.services import record_event
from sscard.domain import photo_rules

from . import photos
from .models import Application, ApplicationDraft

SUBJECT_TYPE = "card_application"
BATCH = 500  # names per UPDATE (bound parameters)


def _stored_originals() -> list[str]:
    try:
        _dirs, files = default_storage.listdir(photos.ORIGINALS_DIR)
    except FileNotFoundError:  # nothing uploaded yet
        return []
    return [f"{photos.ORIGINALS_DIR}/{name}" for name in files]


def _expired(names: list[str], cutoff: datetime) -> list[str]:
    expired = []
    for name in names:
        try:
            if default_storage.get_modified_time(name) < cutoff:
                expired.append(name)
        except FileNotFoundError:  # deleted meanwhile (a replaced photo, a discarded draft)
            continue
    return expired


def purge_photo_originals(*, now: datetime | None = None) -> int:
    """Delete the uploaded originals that are kept no longer: every one older than ORIGINAL_RETENTION, and
    every one an application still names. The names are cleared in one transaction (with one audit event
    counting them); the files are deleted once it commits. Idempotent. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - photo_rules.ORIGINAL_RETENTION
    expired = _expired(_stored_originals(), cutoff)
    with transaction.atomic():
        named = Application.objects.exclude(photo_original="")
        submitted = list(named.values_list("photo_original", flat=True))
        named.update(photo_original="")
        drafts = 0
        for start in range(0, len(expired), BATCH):
            # A draft whose photo was replaced meanwhile names another original: the filter leaves it alone.
            drafts += ApplicationDraft.objects.filter(
                photo_original__in=expired[start:start + BATCH]).update(photo_original="")
        names = sorted(set(expired) | set(submitted))
        if names:
            record_event(event_type="card_application.photo_originals_purged", actor=None,
                         subject_type=SUBJECT_TYPE,
                         data={"files": len(names), "drafts": drafts, "applications": len(submitted)})
        transaction.on_commit(lambda: photos.delete(*names))
    return len(names)
