"""The records in the admin: view-only (the services write them), masked, every view audited; nothing is
deleted (art. 74: the employer file is kept permanently, enrolment rows are history)."""

from django.contrib import admin

from sscard.audit.admin_base import PersonalRecordAdmin

from .models import Employer, EmployerMembership, Enrolment, Objection, Question, Retirement


@admin.register(Employer)
class EmployerAdmin(PersonalRecordAdmin):
    audit_subject_type = "employer"
    list_display = ("name", "credit_code", "district_code", "industry_class", "state", "created_at")
    list_filter = ("state", "industry_class")
    search_fields = ("credit_code", "name")
    fields = ("credit_code", "name", "address", "district_code", "industry_class", "masked_representative_name",
              "masked_representative_id", "state", "created_at", "decided_at", "decision_reason")
    readonly_fields = fields

    def audit_subject_id(self, obj) -> str:
        return obj.credit_code


@admin.register(EmployerMembership)
class EmployerMembershipAdmin(PersonalRecordAdmin):
    audit_subject_type = "employer_membership"
    list_display = ("employer", "role", "granted_at", "revoked_at")
    list_filter = ("role",)
    fields = ("employer", "user", "role", "granted_at", "revoked_at")
    readonly_fields = fields


@admin.register(Enrolment)
class EnrolmentAdmin(PersonalRecordAdmin):
    audit_subject_type = "enrolment"
    list_display = ("employer", "masked_id_number", "start_month", "end_month")
    fields = ("employer", "masked_id_number", "masked_name", "start_month", "end_month", "pension", "medical",
              "unemployment", "work_injury", "created_at", "stopped_at")
    readonly_fields = fields


@admin.register(Retirement)
class RetirementAdmin(PersonalRecordAdmin):
    audit_subject_type = "retirement"
    list_display = ("masked_id_number", "retired_from", "created_at")
    fields = ("masked_id_number", "retired_from", "reference", "created_at")
    readonly_fields = fields


@admin.register(Objection)
class ObjectionAdmin(PersonalRecordAdmin):
    """Objections: viewed only (the services move them), the person's ID number masked; kept (retention)."""

    audit_subject_type = "objection"
    list_display = ("pk", "employer", "masked_id_number", "raised_as", "state", "deadline", "created_at")
    list_filter = ("state", "raised_as")
    fields = ("employer", "masked_id_number", "raised_as", "state", "deadline", "created_at", "claimed_at",
              "decided_at", "decision_note")
    readonly_fields = fields


@admin.register(Question)
class QuestionAdmin(PersonalRecordAdmin):
    audit_subject_type = "question"
    list_display = ("pk", "category", "employer", "state", "deadline", "rating", "created_at")
    list_filter = ("state", "category", "rating")
    fields = ("category", "employer", "subject", "state", "deadline", "created_at", "answered_at", "rating")
    readonly_fields = fields
