from django.contrib import admin

from sscard.web.admin import ReadOnlyAdmin

from .models import (
    BankExchange,
    CaseFile,
    ImportRun,
    Manufacturer,
    ProductionBatch,
    RejectionProposal,
    StaffArea,
)


@admin.register(StaffArea)
class StaffAreaAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "region_code", "outlet")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__real_name", "region_code")


@admin.register(Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_default", "active")
    filter_horizontal = ("banks",)


@admin.register(CaseFile)
class CaseFileAdmin(ReadOnlyAdmin):
    list_display = ("application", "assigned_to", "deadline", "suspended_since")


@admin.register(RejectionProposal)
class RejectionProposalAdmin(ReadOnlyAdmin):
    list_display = ("application", "reason_code", "outcome", "proposed_at", "decided_at")


@admin.register(BankExchange)
class BankExchangeAdmin(ReadOnlyAdmin):
    list_display = ("number", "bank", "status", "created_at")


@admin.register(ProductionBatch)
class ProductionBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "manufacturer", "status", "created_at")


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("kind", "target", "at", "applied", "unchanged")
