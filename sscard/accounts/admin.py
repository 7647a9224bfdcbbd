from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import PopulationRecord, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "real_name", "masked_id_number", "masked_phone", "is_staff", "date_joined")
    search_fields = ("username", "real_name")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Real name", {"fields": ("real_name", "document_type", "id_number", "phone", "phone_verified_at",
                                  "terms_version", "terms_accepted_at", "elder_mode")}),
    )


@admin.register(PopulationRecord)
class PopulationRecordAdmin(admin.ModelAdmin):
    list_display = ("id", "imported_at")
