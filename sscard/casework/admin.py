from django.contrib import admin
from django.contrib.auth import get_user_model

from sscard.audit.admin_base import PersonalRecordAdmin, ReadOnlyAdmin

from .models import (
    BankExchange,
    CaseFile,
    ImportRun,
    ProductionBatch,
    RejectionProposal,
    StaffArea,
)


@admin.register(StaffArea)
class StaffAreaAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "region_code", "outlet")
    list_filter = ("kind",)
    search_fields = ("user__username", "region_code")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":  # staff only: never a list of every citizen's account
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CaseFile)
class CaseFileAdmin(PersonalRecordAdmin):
    audit_subject_type = "card_application"
    list_display = ("application", "assigned_to", "deadline", "suspended_since")

    def audit_subject_id(self, obj) -> str:
        return obj.application.office_code


@admin.register(RejectionProposal)
class RejectionProposalAdmin(PersonalRecordAdmin):
    audit_subject_type = "card_application"
    list_display = ("application", "reason_code", "outcome", "proposed_at", "decided_at")

    def audit_subject_id(self, obj) -> str:
        return obj.application.office_code


@admin.register(BankExchange)
class BankExchangeAdmin(ReadOnlyAdmin):
    list_display = ("number", "bank", "status", "created_at")


@admin.register(ProductionBatch)
class ProductionBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "manufacturer", "status", "created_at")


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("kind", "target", "at", "applied", "unchanged")
