"""The shape of the PIN forms (the rules are `sscard.domain.pin`, applied by `cards.pin`), and the short form of a
replacement or renewal: the reason (replacement only) and the delivery, with the delivery choices of the first
application (`applications.forms.DeliveryForm`, without the bank: the new card is a card of the old card's bank)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sscard.accounts.forms import SmsCodeField
from sscard.applications.choices import Kind, ReplacementReason
from sscard.applications.forms import DeliveryForm


class PinField(forms.CharField):
    """Six digits, typed hidden. No length limit here: the PIN rules answer with their own message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.widget = forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "6"})


class _NewPin(forms.Form):
    pin = PinField(label=_("New PIN (6 digits)"))
    pin_repeat = PinField(label=_("New PIN again"))


class EnableCardForm(_NewPin):
    field_order = ["sms_code", "pin", "pin_repeat"]
    sms_code = SmsCodeField()


class ChangePinForm(_NewPin):
    field_order = ["old_pin", "pin", "pin_repeat"]
    old_pin = PinField(label=_("Current PIN"))


class ResetPinForm(_NewPin):
    field_order = ["id_number", "sms_code", "pin", "pin_repeat"]
    id_number = forms.CharField(label=_("The cardholder's ID number"), max_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    sms_code = SmsCodeField()


class CardLookupForm(forms.Form):
    card_number = forms.CharField(label=_("Card number"), max_length=9)


class CounterPinForm(forms.Form):
    id_number = forms.CharField(label=_("ID number on the document presented"), max_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    document_checked = forms.BooleanField(label=_("I have checked the holder's ID document in person"),
                                          required=False)


class ReplacementForm(DeliveryForm):
    reason = forms.ChoiceField(label=_("Why do you need a new card?"), choices=ReplacementReason.choices,
                               widget=forms.RadioSelect)

    def __init__(self, *args, kind: str = Kind.REPLACEMENT, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["bank"]
        if kind != Kind.REPLACEMENT:
            del self.fields["reason"]

    def model_fields(self) -> dict:
        self.cleaned_data.setdefault("bank", None)
        fields = super().model_fields()
        fields.pop("bank")
        return fields
