from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sscard.audit.admin_base import PersonalRecordAdmin, ReadOnlyAdmin, masked_user_name
from sscard.domain.masking import mask_phone

from .models import Message, OutboxSms, PendingDelivery


@admin.register(Message)
class MessageAdmin(PersonalRecordAdmin):
    """View-only: messages reach a citizen through the services, never typed in the admin. Recipient masked;
    every view is an audit event."""

    list_display = ("subject", "masked_recipient", "created_at", "read_at")
    list_select_related = ("user",)
    list_filter = (("read_at", admin.EmptyFieldListFilter),)
    search_fields = ("subject",)
    fields = ("masked_recipient", "subject", "body", "link", "created_at", "read_at")
    readonly_fields = fields
    date_hierarchy = "created_at"

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj):
        return masked_user_name(obj.user)


@admin.register(OutboxSms)
class OutboxSmsAdmin(PersonalRecordAdmin):
    """Read-only: the outbox is what the development gateway 'sent'. Phone masked; every view audited."""

    list_display = ("created_at", "masked_phone", "purpose", "gateway_message_id")
    list_filter = ("purpose",)
    search_fields = ("gateway_message_id",)
    fields = ("created_at", "masked_phone", "purpose", "text", "gateway_message_id")
    readonly_fields = fields

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(PendingDelivery)
class PendingDeliveryAdmin(ReadOnlyAdmin):
    """Read-only: what is waiting to be delivered, and what went wrong. The text is never shown."""

    list_display = ("created_at", "channel", "masked_recipient", "purpose", "status", "attempts", "sent_at",
                    "worker")
    list_filter = ("status", "channel", "purpose")
    fields = ("created_at", "channel", "masked_recipient", "purpose", "status", "attempts", "last_error",
              "next_attempt_at", "sent_at", "gateway", "gateway_message_id", "worker")
    readonly_fields = fields
    date_hierarchy = "created_at"

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj):
        return mask_phone(obj.recipient)
