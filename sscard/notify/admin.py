from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sscard.domain.masking import mask_phone

from .models import Message, OutboxSms


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "user", "created_at", "read_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter),)
    search_fields = ("subject",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "read_at")
    date_hierarchy = "created_at"


@admin.register(OutboxSms)
class OutboxSmsAdmin(admin.ModelAdmin):
    """Read-only: the outbox is what the development gateway 'sent'."""

    list_display = ("created_at", "masked_phone", "purpose", "gateway_message_id")
    list_filter = ("purpose",)
    search_fields = ("gateway_message_id",)
    fields = ("created_at", "phone", "purpose", "text", "gateway_message_id")
    readonly_fields = fields

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
