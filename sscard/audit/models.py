"""The audit log: append-only, each event chained to the one before by a SHA-256 hash.

An event's `hash` covers its own fields and the `prev_hash` of the event before it, so changing, removing
or reordering any event breaks the chain at that point (`manage.py audit_verify` finds it). Rows are never
updated or deleted: the model refuses it, so does its queryset, and a database trigger (see the migration
`0002_append_only_guard`) refuses it for any other client too.
"""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# `prev_hash` of the first event of the chain.
GENESIS_HASH = "0" * 64


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("audit events are append-only: update refused")

    def delete(self):
        raise AuditLogImmutable("audit events are append-only: delete refused")

    # Bulk writes that would bypass the chain (or the access log's seal).
    def bulk_create(self, *args, **kwargs):
        raise AuditLogImmutable("audit events are written one by one with record_event() / record_access()")

    def bulk_update(self, *args, **kwargs):
        raise AuditLogImmutable("audit events are append-only: update refused")


class AppendOnlyModel(models.Model):
    """Rows that are inserted once and never saved again or deleted (the database triggers in guard.py refuse
    it for any other client too)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditLogImmutable("audit events are append-only: update refused")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("audit events are append-only: delete refused")


def canonical_json(payload: dict) -> bytes:
    """The bytes a hash is computed over: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_time(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class AuditEvent(AppendOnlyModel):
    seq = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("occurred at"), editable=False)
    event_type = models.CharField(_("event type"), max_length=64, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    actor_label = models.CharField(_("actor label"), max_length=64, editable=False)
    subject_type = models.CharField(_("subject type"), max_length=64, blank=True, editable=False)
    subject_id = models.CharField(_("subject"), max_length=64, blank=True, editable=False)
    data = models.JSONField(_("data"), default=dict, blank=True, editable=False)
    ip_hash = models.CharField(_("client address (keyed hash)"), max_length=64, blank=True, editable=False)
    prev_hash = models.CharField(_("hash of the previous event"), max_length=64, unique=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "seq"], name="audit_subject_idx")]
        # No "change" or "delete" permission exists for a log nobody may change.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type} ({self.actor_label})"

    def canonical_payload(self) -> bytes:
        """The bytes the hash is computed over: every stored field, as canonical JSON."""
        payload = {
            "seq": self.seq,
            "occurred_at": canonical_time(self.occurred_at),
            "event_type": self.event_type,
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "data": self.data,
            "ip_hash": self.ip_hash,
            "prev_hash": self.prev_hash,
        }
        return canonical_json(payload)

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_payload()).hexdigest()


class AuditChainHead(models.Model):
    """One row: the last event of the chain. Locked (SELECT ... FOR UPDATE) by every writer, so two
    concurrent writers can never chain to the same previous event."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        default_permissions = ()

    def __str__(self) -> str:
        return f"head at #{self.last_seq}"


class AccessEvent(AppendOnlyModel):
    """The access log: high-volume reads by anonymous clients (public progress look-ups).

    Appended with one INSERT and no lock, so look-ups never queue behind each other or behind audited
    writes. Every minute `services.seal_access_events` (Celery beat; `manage.py audit_seal` by hand) seals
    the rows written since the last seal into the hash chain: one `audit.access_sealed` event records the id
    range, the row count and a SHA-256 digest of the rows, so a sealed row cannot be changed, removed or
    added without `manage.py audit_verify` noticing. Like the events, rows are never updated or deleted
    (model, queryset and database trigger refuse it).
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("occurred at"), editable=False)
    event_type = models.CharField(_("event type"), max_length=64, editable=False)
    subject_type = models.CharField(_("subject type"), max_length=64, blank=True, editable=False)
    subject_id = models.CharField(_("subject"), max_length=64, blank=True, editable=False)
    data = models.JSONField(_("data"), default=dict, blank=True, editable=False)
    ip_hash = models.CharField(_("client address (keyed hash)"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "id"], name="audit_access_subject_idx")]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"access #{self.id} {self.event_type}"


def access_row_digest_line(row: tuple) -> bytes:
    """One access event as canonical JSON: what a seal's digest covers.

    `row` is (id, occurred_at, event_type, subject_type, subject_id, data, ip_hash).
    """
    id_, occurred_at, event_type, subject_type, subject_id, data, ip_hash = row
    return canonical_json({"id": id_, "occurred_at": canonical_time(occurred_at), "event_type": event_type,
                           "subject_type": subject_type, "subject_id": subject_id, "data": data,
                           "ip_hash": ip_hash}) + b"\n"


ACCESS_DIGEST_FIELDS = ("id", "occurred_at", "event_type", "subject_type", "subject_id", "data", "ip_hash")
