from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sscard.audit.admin_base import PersonalRecordAdmin, masked_user_name

from .models import Card, CardCancellation, CardStatusChange, TransitOperator, TransitToken


@admin.register(Card)
class CardAdmin(PersonalRecordAdmin):
    """View-only: cards change through the card services. The holder's ID number and the bank account are
    masked, the holder's name too; every view is an audit event."""

    audit_subject_type = "card"
    list_display = ("card_number", "state", "issue_date", "expiry_date", "manufacturer", "created_at")
    list_filter = ("state", "manufacturer")
    search_fields = ("card_number", "application__office_code")
    fields = ("application", "masked_holder", "masked_holder_id_number", "card_number", "chip_id", "issue_date",
              "expiry_date", "bank", "masked_bank_account", "manufacturer", "state", "created_at", "delivered_at")
    readonly_fields = fields

    def audit_subject_id(self, obj) -> str:
        return obj.card_number

    @admin.display(description=_("user"))
    def masked_holder(self, obj):
        return masked_user_name(obj.holder)

    @admin.display(description=_("holder's ID number"))
    def masked_holder_id_number(self, obj):
        return obj.masked_holder_id_number

    @admin.display(description=_("bank account"))
    def masked_bank_account(self, obj):
        return obj.masked_bank_account


@admin.register(CardStatusChange)
class CardStatusChangeAdmin(PersonalRecordAdmin):
    """View-only history of the cards' states (written only by `cards.services.change_card_state`): the actor's
    name masked; every view is an audit event."""

    audit_subject_type = "card"
    list_display = ("card", "from_state", "to_state", "channel", "masked_actor", "at")
    list_filter = ("to_state", "channel")
    search_fields = ("card__card_number",)
    list_select_related = ("card", "actor")
    fields = ("card", "from_state", "to_state", "channel", "masked_actor", "at", "note")
    readonly_fields = fields

    def audit_subject_id(self, obj) -> str:
        return obj.card.card_number

    @admin.display(description=_("by"))
    def masked_actor(self, obj):
        return masked_user_name(obj.actor)


@admin.register(CardCancellation)
class CardCancellationAdmin(PersonalRecordAdmin):
    """View-only: cancellations change through `cards.cancellation` (a clerk requests, a supervisor decides)."""

    audit_subject_type = "card"
    list_display = ("card", "reason", "decision", "masked_requested_by", "requested_at", "masked_decided_by",
                    "decided_at")
    list_filter = ("decision", "reason")
    search_fields = ("card__card_number",)
    list_select_related = ("card", "requested_by", "decided_by")
    fields = ("card", "reason", "note", "masked_requested_by", "requested_at", "decision", "masked_decided_by",
              "decided_at", "decision_note")
    readonly_fields = fields

    def audit_subject_id(self, obj) -> str:
        return obj.card.card_number

    @admin.display(description=_("requested by"))
    def masked_requested_by(self, obj):
        return masked_user_name(obj.requested_by)

    @admin.display(description=_("decided by"))
    def masked_decided_by(self, obj):
        return masked_user_name(obj.decided_by)
class TransitTokenInline(admin.TabularInline):
    """Tokens are issued with `manage.py transit_token issue` (shown once); here they are listed, not edited."""

    model = TransitToken
    extra = 0
    can_delete = False
    fields = readonly_fields = ("token_id", "label", "created_at", "revoked_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TransitOperator)
class TransitOperatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "cities", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")
    inlines = [TransitTokenInline]
