"""The shape of the input of "Query and verification" (the rules are the services' and the domain's)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sscard.domain import record_authorisation as rules

PART_LABELS = {
    "contributions": _("Contributions by month"),
    "accounts": _("Personal accounts and their movements"),
    "benefits": _("Benefits received"),
}


def _this_year() -> int:
    return timezone.localdate().year


class AuthoriseForm(forms.Form):
    parts = forms.MultipleChoiceField(label=_("Parts of your record"), widget=forms.CheckboxSelectMultiple,
                                      choices=[(p, PART_LABELS[p]) for p in rules.PARTS],
                                      error_messages={"required": _("Choose at least one part of your record.")})
    year_from = forms.IntegerField(label=_("From year"), min_value=rules.FIRST_YEAR, max_value=9999)
    year_to = forms.IntegerField(label=_("Until year"), min_value=rules.FIRST_YEAR, max_value=9999)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=rules.MIN_DAYS, max_value=rules.MAX_DAYS,
                              initial=7, help_text=_("1 to 30 days."))
    recipient = forms.CharField(label=_("For whom (optional)"), max_length=100, required=False,
                                help_text=_("For your own list, for example the bank's name."))
    # One token per form shown: the same form sent twice issues one code (`authorisations.issue`).
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4()
        year = _this_year()
        self.fields["year_from"].initial = year - 1
        self.fields["year_to"].initial = year


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Authorisation code"), max_length=32,
                           help_text=_("16 characters, as the person gave it to you, for example ABCD-EFGH-JKMN-PQRS."))
    id_number = forms.CharField(label=_("The person's ID number"), max_length=18)


class EmployerFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=9999)
    month = forms.IntegerField(label=_("Month (optional)"), required=False, min_value=1, max_value=12)


class LookupForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    reason = forms.CharField(label=_("Reason for this read"), max_length=255,
                             help_text=_("Required: it is kept in the audit log with your name."))
    year = forms.IntegerField(label=_("Year (optional)"), required=False, min_value=1990, max_value=9999)


class ExportRequestForm(forms.Form):
    employer = forms.IntegerField(label=_("Employer number"), min_value=1)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=9999)
    reason = forms.CharField(label=_("Reason for this export"), max_length=255)


class ExportDecideForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=255, required=False)
