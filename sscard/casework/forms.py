from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sscard.applications.models import STATE_CHOICES

from .reasons import REJECTION_CHOICES, RETURN_REASONS


class QueueFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    q = forms.CharField(label=_("Office code"), required=False, max_length=20)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("All open stages"))] + list(STATE_CHOICES)
        self.fields["area"].choices = [("", _("All my areas"))] + [(a.key, str(a)) for a in areas]


class StateForm(forms.Form):
    """Every action carries the stage the member of staff saw, to detect a colleague's change."""

    expected_state = forms.CharField(widget=forms.HiddenInput)


class NoteForm(StateForm):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(StateForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(StateForm):
    """One checkbox and one note per coded reason: every problem is listed at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, (_section, label) in RETURN_REASONS.items():
            self.fields[f"r_{code}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"n_{code}"] = forms.CharField(
                label=gettext("Note for the citizen: %(reason)s") % {"reason": label}, required=False,
                max_length=250)

    def reason_rows(self):
        return [(self[f"r_{code}"], self[f"n_{code}"]) for code in RETURN_REASONS]

    def clean(self):
        data = super().clean()
        chosen = []
        for code, (_section, label) in RETURN_REASONS.items():
            note = (data.get(f"n_{code}") or "").strip()
            if data.get(f"r_{code}"):
                if not note:
                    self.add_error(f"n_{code}", _("Write a note for the reason \"%(reason)s\".") % {"reason": label})
                chosen.append((code, note))
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Choose at least one reason, each with a note for the citizen."))
        data["reasons"] = chosen
        return data


class RejectForm(StateForm):
    reason_code = forms.ChoiceField(label=_("Reason for rejection"), choices=REJECTION_CHOICES)
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DecideRejectionForm(StateForm):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(StateForm):
    days = forms.IntegerField(label=_("Working days to add"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(StateForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None, required=False,
                                      empty_label=_("Nobody (release the case)"))
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)

    def __init__(self, *args, assignees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda u: u.real_name or u.get_username()


class RevealForm(forms.Form):
    field = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why do you need the full value?"), max_length=200)


class TrackingForm(StateForm):
    tracking_number = forms.CharField(label=_("Post tracking number"), max_length=40)


class HandOverForm(StateForm):
    collector = forms.ChoiceField(label=_("Who collects the card?"), widget=forms.RadioSelect,
                                  choices=[("holder", _("The cardholder")), ("agent", _("An authorised agent"))],
                                  initial="holder")
    id_number = forms.CharField(label=_("ID number on the document presented"), max_length=18)
    agent_name = forms.CharField(label=_("Agent's name (agent only)"), required=False, max_length=64)
    authorisation_checked = forms.BooleanField(
        label=_("I checked the holder's written authorisation (agent only)"), required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def read(self) -> bytes:
        return self.cleaned_data["file"].read()
