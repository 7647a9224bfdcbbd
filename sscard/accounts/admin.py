from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from sscard.audit.admin_base import AuditedReadsMixin, PersonalRecordAdmin
from sscard.domain.masking import mask_id_number, mask_name

from .models import PopulationRecord, User


@admin.register(User)
class UserAdmin(AuditedReadsMixin, BaseUserAdmin):
    """Accounts, with personal data masked and read-only; every view is an audit event.

    A citizen's account is view-only here: it changes only through the citizen's own pages and the services
    (phone change with an SMS code, password reset...). A staff account's access (active, staff, groups,
    permissions) is what the admin may change. New staff come from `manage.py create_staff` (audited).
    """

    audit_subject_type = "user"
    list_display = ("username", "masked_name", "masked_id_number", "masked_phone", "is_staff", "date_joined")
    search_fields = ("username",)  # never by name, ID number or phone: the admin is no look-up oracle
    fieldsets = (
        BaseUserAdmin.fieldsets[0],  # username, password
        (_("real name"), {"fields": ("masked_name", "document_type", "masked_id_number", "masked_phone",
                                     "phone_verified_at", "terms_version", "terms_accepted_at", "elder_mode")}),
        *BaseUserAdmin.fieldsets[2:],  # permissions, important dates (no first/last name or e-mail)
    )
    readonly_fields = ("masked_name", "document_type", "masked_id_number", "masked_phone", "phone_verified_at",
                       "terms_version", "terms_accepted_at", "elder_mode", "last_login", "date_joined")

    @admin.display(description=_("real name"))
    def masked_name(self, obj):
        return mask_name(obj.real_name)

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj):
        return obj.masked_phone

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_staff:
            return False  # a citizen's account: view only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are kept (audit, applications and cards refer to them)


@admin.register(PopulationRecord)
class PopulationRecordAdmin(PersonalRecordAdmin):
    """The imported population register identity checks compare against: view-only and masked."""

    list_display = ("id", "masked_id_number", "masked_name", "imported_at")
    fields = ("id", "masked_id_number", "masked_name", "imported_at")
    readonly_fields = fields

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)

    @admin.display(description=_("real name"))
    def masked_name(self, obj):
        return mask_name(obj.name)
