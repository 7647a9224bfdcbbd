"""Forms: the shape of each page's input, checked with the domain rules. Business checks live in services."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sscard.domain.idnumber import IdNumberError, parse_id_number
from sscard.domain.phone import PhoneError, normalize_phone

from .models import DocumentType

GB11643_DOCUMENTS = {DocumentType.RESIDENT_ID, DocumentType.HOUSEHOLD_REGISTER}


def clean_phone_value(value: str) -> str:
    try:
        return normalize_phone(value)
    except PhoneError as error:
        raise forms.ValidationError(gettext(error.message), code=error.code) from None


def clean_real_name(value: str, message) -> str:
    """A real name as written on an identity document: spaces folded, letters and · . - only."""
    name = " ".join(value.split())
    if any(ch.isdigit() for ch in name) or not all(ch.isalpha() or ch in " ·.-" for ch in name):
        raise forms.ValidationError(message)
    return name


def clean_document_number(form: forms.Form, data: dict) -> None:
    """Normalise `data["id_number"]` for its `document_type` (GB 11643 numbers parsed and checked, other
    documents' numbers upper-cased), or add the error to the form's `id_number` field."""
    number = (data.get("id_number") or "").strip()
    if not number:
        return
    if data.get("document_type") in GB11643_DOCUMENTS:
        try:
            data["id_number"] = parse_id_number(number).number
        except IdNumberError as error:
            form.add_error("id_number", gettext(error.message))
    elif not (5 <= len(number) <= 20 and number.replace("-", "").isalnum()):
        form.add_error("id_number", _("Enter the document number as printed on the document."))
    else:
        data["id_number"] = number.upper()


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value):
        value = super().clean(value)
        return clean_phone_value(value) if value else value


class SmsCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("SMS verification code"))
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("min_length", 6)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"})


class RegistrationForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=30, min_length=2,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    document_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices,
                                      initial=DocumentType.RESIDENT_ID)
    id_number = forms.CharField(label=_("Document number"), max_length=32,
                                help_text=_("For a resident ID card: 18 characters; a final x may be lower case."))
    phone = PhoneField()
    sms_code = SmsCodeField()
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validators_help_text_html)
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    accept_terms = forms.BooleanField(label=_("I have read and accept the terms of service and the privacy notice"),
                                      required=False)

    def clean_real_name(self):
        return clean_real_name(self.cleaned_data["real_name"],
                               _("Enter your name as written on your identity document."))

    def clean(self):
        data = super().clean()
        clean_document_number(self, data)
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class SendCodeForm(forms.Form):
    """Only the phone number: used when the person presses "Send code" inside a bigger form."""

    phone = PhoneField()


class PasswordLoginForm(forms.Form):
    identifier = forms.CharField(label=_("ID number or mobile phone"), max_length=32,
                                 widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class SmsLoginForm(forms.Form):
    phone = PhoneField()
    sms_code = SmsCodeField()


class PasswordResetForm(forms.Form):
    phone = PhoneField()
    sms_code = SmsCodeField()
    password1 = forms.CharField(label=_("New password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("New password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class ChangePhoneForm(forms.Form):
    phone = PhoneField(label=_("New mobile phone"))
    sms_code = SmsCodeField()
    password = forms.CharField(label=_("Current password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ChangePasswordForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    password1 = forms.CharField(label=_("New password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validators_help_text_html)
    password2 = forms.CharField(label=_("New password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class StaffLoginForm(forms.Form):
    username = forms.CharField(label=_("Staff username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp_token = forms.CharField(label=_("Authenticator code"), max_length=6, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                              "autocomplete": "one-time-code"}))
