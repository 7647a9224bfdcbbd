"""How long uploaded photo originals are kept (docs/photos.md): a service, run by Celery beat.

An application is made of its 358×441 card photo; the uploaded original (already re-encoded from its pixels,
without metadata) is only a reference copy while the applicant works on the draft. It is deleted when the
application is submitted (services.submit_application) and, at the latest, ORIGINAL_RETENTION after it was
stored: `purge_photo_originals` deletes every stored original older than that, whether a draft still names it
or a failed request left it behind, and the originals of applications submitted before this rule.

`clean_stored_card_photos` (`manage.py clean_photo_metadata`, once) re-encodes the card photos stored before
only pixels were stored: those may carry the upload's JPEG comment, which would reach the manufacturer's ZIP.
"""

from __future__ import annotations

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from sscard.audit.services import record_event
from sscard.domain import photo_rules
from sscard.reference import selectors as reference_selectors

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


def _stored_card_photos() -> list[str]:
    try:
        _dirs, files = default_storage.listdir(photos.PHOTOS_DIR)
    except FileNotFoundError:
        return []
    return sorted(f"{photos.PHOTOS_DIR}/{name}" for name in files)


def clean_stored_card_photos() -> int:
    """Re-encode, from its pixels, every stored card photo that carries metadata (a comment or an APPn segment),
    under a new name that the applications and drafts naming the old one take in one transaction; the old file
    is deleted once it commits. One audit event counts them. Idempotent. Returns how many were cleaned."""
    settings_row = reference_selectors.service_settings()
    cleaned = 0
    for name in _stored_card_photos():
        try:
            data = photos.read(name)
        except FileNotFoundError:  # replaced or discarded meanwhile
            continue
        if not photos.carries_metadata(data):
            continue
        new = photos.store_card_photo(photos.reencode_card_photo(data, min_kb=settings_row.photo_min_kb,
                                                                 max_kb=settings_row.photo_max_kb))
        with transaction.atomic():
            Application.objects.filter(photo=name).update(photo=new)
            ApplicationDraft.objects.filter(photo=name).update(photo=new)
            transaction.on_commit(lambda name=name: photos.delete(name))
        cleaned += 1
    if cleaned:
        record_event(event_type="card_application.photo_metadata_removed", actor=None, subject_type=SUBJECT_TYPE,
                     data={"photos": cleaned})
    return cleaned
