"""The shape of the records' input (business rules are the services')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sscard.domain import enrolment as rules
from sscard.domain import regions

from .models import TYPE_LABELS


def industry_choices():
    return [(n, _("Class %(n)s (work injury rate %(rate)s %%)")
             % {"n": n, "rate": f"{rules.work_injury_rate_bp(n) / 100:.1f}"}) for n in rules.INDUSTRY_CLASSES]


class MonthField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("help_text", gettext_lazy("YYYY-MM, for example 2026-03."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return rules.parse_month(value)
        except rules.EnrolmentRuleError as error:
            raise forms.ValidationError(_(error.message)) from None


class RegisterEmployerForm(forms.Form):
    credit_code = forms.CharField(label=gettext_lazy("Unified social credit code"), max_length=24,
                                  help_text=gettext_lazy("18 characters, as on the business licence."))
    name = forms.CharField(label=gettext_lazy("Employer name"), max_length=128)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=255)
    district_code = forms.ChoiceField(label=gettext_lazy("District"))
    industry_class = forms.TypedChoiceField(label=gettext_lazy("Industry class"), coerce=int,
                                            help_text=gettext_lazy("Decides the work-injury insurance rate."))
    representative_name = forms.CharField(label=gettext_lazy("Legal representative's name"), max_length=64)
    representative_id_number = forms.CharField(label=gettext_lazy("Legal representative's ID number"), max_length=18)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district_code"].choices = [("", "—"), *regions.hubei_counties()]
        self.fields["industry_class"].choices = [("", "—"), *industry_choices()]


class GrantAgentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Agent's name"), max_length=64)
    id_number = forms.CharField(label=gettext_lazy("Agent's ID number"), max_length=18)


class EnrolForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("Employee's ID number"), max_length=18)
    name = forms.CharField(label=gettext_lazy("Employee's name"), max_length=64)
    start_month = MonthField(label=gettext_lazy("Start month"))
    types = forms.MultipleChoiceField(label=gettext_lazy("Insurance types"), widget=forms.CheckboxSelectMultiple,
                                      choices=list(TYPE_LABELS.items()), initial=list(TYPE_LABELS))


class StopForm(forms.Form):
    end_month = MonthField(label=gettext_lazy("Last month covered"))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect, choices=[
        ("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))])
    reason = forms.CharField(label=gettext_lazy("Reason (required to reject)"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class PaymentFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bank payment file (CSV)"),
                           help_text=gettext_lazy("UTF-8 CSV with the header bill_number,amount,reference,paid_on."))


class YuanField(forms.CharField):
    """An amount in yuan with two decimals, cleaned to integer fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("help_text", gettext_lazy("In yuan with two decimals, for example 1234.50."))
        super().__init__(**kwargs)

    def clean(self, value):
        from sscard.domain import payment_lines

        value = super().clean(value)
        try:
            return payment_lines.parse_amount(value)
        except payment_lines.LineRuleError as error:
            raise forms.ValidationError(_(error.message)) from None


class PaymentEntryForm(forms.Form):
    bill_number = forms.CharField(label=gettext_lazy("Bill number"), max_length=32)
    amount_fen = YuanField(label=gettext_lazy("Amount paid (yuan)"))
    reference = forms.CharField(label=gettext_lazy("Bank reference"), max_length=64)
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), help_text=gettext_lazy("YYYY-MM-DD"),
                              input_formats=["%Y-%m-%d"])


class CorrectionForm(forms.Form):
    """A ledger row's correction by the agency: the corrected wage and the reason (one form per row, prefixed
    with the row's id; the row's id itself is sent as "entry")."""

    wage_fen = YuanField(label=gettext_lazy("Corrected wage (yuan)"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255,
                             help_text=gettext_lazy("For example the objection's number and what was wrong."))
