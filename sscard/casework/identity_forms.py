"""Forms of the squatted ID number pages: shape of the input only (rules live in `identity.py`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sscard.accounts.forms import PhoneField, SmsCodeField, clean_document_number, clean_real_name
from sscard.accounts.models import DocumentType


class ProposeCorrectionForm(forms.Form):
    outlet = forms.ModelChoiceField(label=_("Outlet where the person is"), queryset=None, empty_label=None)
    real_name = forms.CharField(label=_("Real name"), max_length=30, min_length=2)
    document_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices,
                                      initial=DocumentType.RESIDENT_ID)
    id_number = forms.CharField(label=_("Document number"), max_length=32,
                                help_text=_("For a resident ID card: 18 characters; a final x may be lower case."))
    document_seen = forms.CharField(
        label=_("Document seen"), max_length=200,
        help_text=_("The original you checked: issuing authority and validity, e.g. \"Wuchang police, valid until "
                    "2035-01-01\"."))
    phone = PhoneField(label=_("The person's mobile phone"))
    sms_code = SmsCodeField(required=False, help_text=_("Send a code to the person's phone; they read it to you."))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    identity_checked = forms.BooleanField(
        label=_("I checked the original document in front of me and the person matches its photo"))

    def __init__(self, *args, outlets, sending_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = outlets
        if sending_code:  # only the phone matters to send a code
            for name, field in self.fields.items():
                field.required = name == "phone"

    def clean_real_name(self):
        return clean_real_name(self.cleaned_data["real_name"], _("Enter the name as written on the identity document."))

    def clean(self):
        data = super().clean()
        clean_document_number(self, data)
        return data


class DecideCorrectionForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
