"""Reference data stays editable in the admin (staff with the model permissions): settings, banks, outlets,
holidays, stages and card manufacturers."""

from django.contrib import admin

from .models import Holiday, Manufacturer, Outlet, PartnerBank, ServiceSettings, Stage


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "processing_days", "guardian_age", "photo_required_age", "photo_min_kb",
                    "photo_max_kb", "updated_at")

    def has_add_permission(self, request):
        return not ServiceSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartnerBank)
class PartnerBankAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "order", "active")
    list_editable = ("order", "active")


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "address", "hours", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("city", "active")


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_workday")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "order", "plain_stage", "lead_days", "notify_citizen")
    list_editable = ("order", "plain_stage", "lead_days", "notify_citizen")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False  # stages are the states of the domain state machine

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_default", "active")
    filter_horizontal = ("banks",)
