from django.contrib import admin

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


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseFile)
class CaseFileAdmin(ReadOnly):
    list_display = ("application", "assigned_to", "deadline", "suspended_since")


@admin.register(RejectionProposal)
class RejectionProposalAdmin(ReadOnly):
    list_display = ("application", "reason_code", "outcome", "proposed_at", "decided_at")


@admin.register(BankExchange)
class BankExchangeAdmin(ReadOnly):
    list_display = ("number", "bank", "status", "created_at")


@admin.register(ProductionBatch)
class ProductionBatchAdmin(ReadOnly):
    list_display = ("number", "manufacturer", "status", "created_at")


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnly):
    list_display = ("kind", "target", "at", "applied", "unchanged")
