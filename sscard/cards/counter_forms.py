"""The forms of the counter card page and of the cancellations page: the shape of the input only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CardCancellation


class CounterSearchForm(forms.Form):
    q = forms.CharField(label=_("Card number or ID number"), max_length=32,
                        help_text=_("The 9-character card number printed on the card, or the holder's 18-digit "
                                    "ID number."))


class CardStateForm(forms.Form):
    """Every action carries the state the clerk saw, to detect a change made meanwhile."""

    expected_state = forms.CharField(widget=forms.HiddenInput)


class FormalLossForm(CardStateForm):
    reason = forms.CharField(label=_("Reason given by the holder"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CancellationRequestForm(CardStateForm):
    reason = forms.ChoiceField(label=_("Reason for the cancellation"),
                               choices=[("", "---------"), *CardCancellation.Reason.choices])
    note = forms.CharField(label=_("Note (document seen, date of death, country...)"), required=False,
                           max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DecideCancellationForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
