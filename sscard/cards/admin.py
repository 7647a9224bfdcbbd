from django.contrib import admin

from .models import Card


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ("card_number", "state", "issue_date", "expiry_date", "manufacturer", "created_at")
    list_filter = ("state", "manufacturer")
    search_fields = ("card_number", "application__office_code")
    readonly_fields = [f.name for f in Card._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        # Never the full bank account or ID number in the admin list of fields.
        return [f for f in self.readonly_fields if f not in {"bank_account", "holder_id_number"}]
