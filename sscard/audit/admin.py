from django.contrib import admin

from .admin_base import ReadOnlyAdmin
from .models import AccessEvent, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: nobody adds, changes or deletes audit events, not even a superuser."""

    list_display = ("seq", "occurred_at", "event_type", "actor_label", "subject_type", "subject_id")
    list_filter = ("event_type", "subject_type")
    search_fields = ("event_type", "actor_label", "subject_type", "subject_id")
    ordering = ("-seq",)
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    fields = ("seq", "occurred_at", "event_type", "actor", "actor_label", "subject_type", "subject_id", "data",
              "ip_hash", "prev_hash", "hash")
    readonly_fields = fields


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    """Read-only, like the audit events: the access log (public look-ups), sealed into the chain."""

    list_display = ("id", "occurred_at", "event_type", "subject_type", "subject_id")
    list_filter = ("event_type",)
    search_fields = ("subject_id",)
    ordering = ("-id",)
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    fields = ("id", "occurred_at", "event_type", "subject_type", "subject_id", "data", "ip_hash")
    readonly_fields = fields
