"""Reference data stays editable in the admin (staff with the model permissions): settings, banks, outlets,
holidays, stages and card manufacturers.

Banks, outlets and manufacturers are translated (translation.py): their form shows the original field (`name`, the Chinese
text, as before) and one field per other language (`name_es`, `name_en`, ...)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils import translation

from .models import (
    ConsultationCategory,
    ContributionRate,
    FaqEntry,
    Holiday,
    Manufacturer,
    Outlet,
    PartnerBank,
    ServiceSettings,
    Stage,
)


class DefaultLanguageFieldsForm(forms.ModelForm):
    """The original fields read and write the default language (Chinese) whatever the admin's language:
    modeltranslation otherwise maps `name` to the active language's column."""

    def __init__(self, *args, **kwargs):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().__init__(*args, **kwargs)

    def _post_clean(self):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super()._post_clean()


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
    form = DefaultLanguageFieldsForm
    fields = ("code", "name", "name_es", "name_en", "order", "active")
    list_display = ("name_zh_hans", "name_es", "name_en", "code", "order", "active")
    list_editable = ("order", "active")


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    form = DefaultLanguageFieldsForm
    fields = ("name", "name_es", "name_en", "city", "district_code", "address", "address_es", "address_en",
              "hours", "hours_es", "hours_en", "phone", "order", "active")
    list_display = ("name_zh_hans", "city", "address_zh_hans", "hours_zh_hans", "order", "active")
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
    form = DefaultLanguageFieldsForm
    fields = ("code", "name", "name_es", "name_en", "banks", "is_default", "active")
    list_display = ("code", "name_zh_hans", "name_es", "name_en", "is_default", "active")
    filter_horizontal = ("banks",)


@admin.register(ContributionRate)
class ContributionRateAdmin(admin.ModelAdmin):
    list_display = ("year", "city_code", "average_wage_fen", "minimum_wage_fen", "floor_pct", "ceiling_pct",
                    "late_fee_bp_per_day", "pension_interest_bp")
    list_filter = ("year",)

    def has_delete_permission(self, request, obj=None):
        return False  # a year's rates assessed declarations: they stay


@admin.register(ConsultationCategory)
class ConsultationCategoryAdmin(admin.ModelAdmin):
    form = DefaultLanguageFieldsForm
    fields = ("code", "name", "name_es", "name_en", "order", "active")
    list_display = ("code", "name_zh_hans", "name_es", "name_en", "order", "active")


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    form = DefaultLanguageFieldsForm
    fields = ("category", "question", "question_es", "question_en", "answer", "answer_es", "answer_en", "order",
              "active")
    list_display = ("question_zh_hans", "category", "order", "active")
    list_filter = ("category", "active")
