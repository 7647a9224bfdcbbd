"""Admin building blocks every app's admin.py shares (the admin site itself is `sscard.web.adminsite`).

Here in `audit`, below every feature app, because each of them registers its models with these classes and
they audit every read of a personal record through `record_event`.

The admin's real job is reference data (banks, outlets, holidays, stages, settings, manufacturers) and
staff accounts. Records of citizens and applications are only *viewed* there, masked, and every view is an
audit event (`PersonalRecordAdmin`); they change only through the services, like everywhere else.
"""

from django.contrib import admin

from sscard.audit.services import record_event
from sscard.domain.masking import mask_name


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows nobody adds, changes or deletes in the admin, not even a superuser: they can only be viewed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedReadsMixin:
    """Every admin page showing a record of this model (its list, one record) is an audit event.

    `audit_subject_type` names the record in the audit log as the services do ("user", "card_application");
    `audit_subject_id(obj)` says which one (the primary key unless overridden).
    """

    audit_subject_type = ""

    def audit_subject_id(self, obj) -> str:
        return str(obj.pk)

    def _subject_type(self) -> str:
        return self.audit_subject_type or self.model._meta.label_lower

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not add:
            record_event(event_type="admin.record_viewed", actor=request.user, request=request,
                         subject_type=self._subject_type(), subject_id=self.audit_subject_id(obj),
                         data={"model": self.model._meta.label_lower})
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if getattr(response, "status_code", None) == 200 and hasattr(response, "context_data"):
            changelist = response.context_data.get("cl")
            data = {"model": self.model._meta.label_lower}
            if changelist is not None:
                data["search"] = changelist.query[:64]  # masked by record_event if it looks like an ID or phone
                data["shown"] = len(changelist.result_list)
            record_event(event_type="admin.list_viewed", actor=request.user, request=request,
                         subject_type=self._subject_type(), data=data)
        return response


class PersonalRecordAdmin(AuditedReadsMixin, ReadOnlyAdmin):
    """A record of a citizen or an application: view-only, masked, every view audited."""


def masked_user_name(user) -> str:
    """A user as the admin shows it in a list or a linked field: username and masked name, never in clear."""
    if user is None:
        return "-"
    name = mask_name(user.real_name) if user.real_name else ""
    return f"{user.username} {name}".strip()
