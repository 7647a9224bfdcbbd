"""The shape of the retirement form on the staff page of a person's records (the rules: the service and
`sscard.domain.retirement`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sscard.applications.fields import IsoDateField


class RetirementForm(forms.Form):
    prefix = "retire"

    id_number = forms.CharField(label=_("ID number"), max_length=18)
    retired_from = IsoDateField(label=_("Retired from"), help_text=_("YYYY-MM-DD, as in the approval."))
    reference = forms.CharField(label=_("Approval reference"), max_length=255,
                                help_text=_("The number of the retirement approval, or why this corrects an "
                                            "earlier registration."))
