"""Reference data stays editable in the admin (staff with the model permissions): settings, banks, outlets,
holidays, stages and card manufacturers.

Banks, outlets and manufacturers are translated (translation.py): their form shows the original field (`name`, the Chinese
text, as before) and one field per other language (`name_es`, `name_en`, ...)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy

from . import services
from .models import (
    ConsultationCategory,
    ContributionRate,
    DesignatedInstitution,
    FaqEntry,
    Holiday,
    InstitutionStateChange,
    Manufacturer,
    Outlet,
    PartnerBank,
    ServiceSettings,
    SettlementPolicy,
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


@admin.register(SettlementPolicy)
class SettlementPolicyAdmin(admin.ModelAdmin):
    list_display = ("year", "city_code", "deductible_tier3_fen", "inpatient_tier3_bp", "annual_fund_cap_fen",
                    "outpatient_cap_fen", "outpatient_cap_retired_fen")
    list_filter = ("year",)
    fieldsets = (
        (None, {"fields": ("year", "city_code")}),
        (gettext_lazy("Inpatient deductible"), {"fields": (
            "deductible_tier3_fen", "deductible_tier2_fen", "deductible_tier1_fen", "deductible_community_fen",
            "repeat_admission_pct")}),
        (gettext_lazy("Inpatient ratios"), {"fields": (
            "inpatient_tier3_bp", "inpatient_tier2_bp", "inpatient_tier1_bp", "inpatient_community_bp",
            "inpatient_retired_tier3_bp", "inpatient_retired_tier2_bp", "inpatient_retired_tier1_bp",
            "inpatient_retired_community_bp")}),
        (gettext_lazy("Pooled fund cap"), {"fields": ("annual_fund_cap_fen",)}),
        (gettext_lazy("General outpatient"), {"fields": (
            "outpatient_tier3_bp", "outpatient_tier2_bp", "outpatient_tier1_bp", "outpatient_community_bp",
            "outpatient_pharmacy_bp", "outpatient_retired_tier3_bp", "outpatient_retired_tier2_bp",
            "outpatient_retired_tier1_bp", "outpatient_retired_community_bp", "outpatient_retired_pharmacy_bp",
            "outpatient_cap_fen", "outpatient_cap_retired_fen")}),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # a year's policy split settled bills: it stays


class InstitutionStateChangeInline(admin.TabularInline):
    model = InstitutionStateChange
    fields = ("at", "actor", "from_state", "to_state", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SuspendForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Reason for the suspension"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=500)


@admin.register(DesignatedInstitution)
class DesignatedInstitutionAdmin(admin.ModelAdmin):
    """Institutions are entered and edited here (awaiting approval); their agreement is approved or suspended
    only by the actions below, through `reference.services` (audited, with a history row)."""

    form = DefaultLanguageFieldsForm
    fields = ("code", "name", "name_es", "name_en", "tier", "district_code", "agreement_from", "agreement_to",
              "state")
    readonly_fields = ("state",)
    list_display = ("code", "name_zh_hans", "tier", "district_code", "agreement_from", "agreement_to", "state")
    list_filter = ("state", "tier")
    search_fields = ("code", "name_zh_hans", "name_en")
    inlines = [InstitutionStateChangeInline]
    actions = ["approve_selected", "suspend_selected"]

    def has_delete_permission(self, request, obj=None):
        return False  # an institution's settlements point at it: it is suspended, never deleted

    def _run(self, request, queryset, action, **kwargs):
        done = 0
        for institution in queryset.order_by("code"):
            try:
                action(institution_id=institution.pk, actor=request.user, request=request, **kwargs)
                done += 1
            except services.InstitutionError as error:
                self.message_user(request, f"{institution.code}: {error.translated()}", messages.ERROR)
        if done:
            self.message_user(request, gettext_lazy("Institutions changed: %(n)d") % {"n": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Approve the selected institutions' agreements"),
                  permissions=["manage_institution_agreement"])
    def approve_selected(self, request, queryset):
        self._run(request, queryset, services.approve_institution)

    @admin.action(description=gettext_lazy("Suspend the selected institutions' agreements"),
                  permissions=["manage_institution_agreement"])
    def suspend_selected(self, request, queryset):
        form = SuspendForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._run(request, queryset, services.suspend_institution, note=form.cleaned_data["note"])
            return None
        return TemplateResponse(request, "reference/admin/suspend_institutions.html", {
            **self.admin_site.each_context(request), "title": gettext_lazy("Suspend designated institutions"),
            "opts": self.model._meta, "form": form, "institutions": queryset.order_by("code"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME})

    def has_manage_institution_agreement_permission(self, request):
        return request.user.has_perm(services.PERMISSION)  # the service checks it again


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
