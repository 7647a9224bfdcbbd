from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sscard.audit.admin_base import PersonalRecordAdmin, masked_user_name

from .models import (
    Application,
    CorrectionItem,
    StatusChange,
)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ("at", "from_state", "to_state", "role", "masked_actor", "note")
    readonly_fields = fields

    @admin.display(description=_("actor"))
    def masked_actor(self, obj):
        return masked_user_name(obj.actor)

    def has_add_permission(self, request, obj=None):
        return False


class CorrectionItemInline(admin.TabularInline):
    model = CorrectionItem
    extra = 0
    can_delete = False
    fields = ("section", "message", "resolved_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(PersonalRecordAdmin):
    """Read-only: applications change only through the services (state machine, history, audit). Name and ID
    number masked; addresses, phones and the photo are not shown; every view is an audit event."""

    audit_subject_type = "card_application"

    list_display = ("display_code", "masked_name", "masked_id_number", "state", "submitted_at",
                    "expected_completion")
    list_filter = ("state", "delivery", "bank")
    search_fields = ("office_code",)
    fields = ("office_code", "state", "for_child", "relationship", "masked_name", "masked_id_number",
              "bank", "delivery", "outlet", "submitted_at", "expected_completion")
    readonly_fields = fields
    inlines = [StatusChangeInline, CorrectionItemInline]

    def audit_subject_id(self, obj) -> str:
        return obj.office_code

