"""The short form of a replacement or renewal: the reason (replacement only) and the delivery, with the
delivery choices of the first application (`applications.forms.DeliveryForm`, without the bank: the new card
is a card of the old card's bank)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sscard.applications.choices import Kind, ReplacementReason
from sscard.applications.forms import DeliveryForm


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
