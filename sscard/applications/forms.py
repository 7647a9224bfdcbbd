"""The application form, one Django form per step, each checking its fields with the domain rules."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sscard.domain import officecode
from sscard.domain.phone import PhoneError, normalize_phone
from sscard.reference import selectors as reference_selectors
from sscard.reference.models import Outlet, PartnerBank, ServiceSettings

from . import eligibility, photos
from .choices import Delivery, Nationality, Occupation, Relationship
from .fields import (
    ETHNIC_CHOICES,
    FixedChoiceField,
    FixedChoices,
    IsoDateField,
    address_fields,
    clean_address,
)
from .selectors import MSG_SUFFIX

STEP_NAMES = ("applicant", "personal", "delivery", "photo", "confirm")


def _name(value: str) -> str:
    name = " ".join((value or "").split())
    if any(ch.isdigit() for ch in name) or not all(ch.isalpha() or ch in " ·.-" for ch in name):
        raise forms.ValidationError(gettext("Enter the name as written on the identity document."))
    return name


class StepForm(forms.Form):
    """Remembers what was posted so that the draft can keep it and bind it again later."""

    def raw(self) -> dict:
        return {name: self.data.get(self.add_prefix(name)) for name in self.fields
                if not isinstance(self.fields[name], forms.FileField)}

    def kept(self) -> dict | None:
        """The validated values the draft keeps for the confirmation and the submission (JSON: dates as ISO
        text, banks and outlets by id), or None for a step whose rules are all checked again there."""
        return None


class ApplicantForm(StepForm):
    applying_for = forms.ChoiceField(
        label=_("Who is the card for?"), initial="self", widget=forms.RadioSelect,
        choices=FixedChoices(lambda: [("self", _("For myself")), ("child", _("For a child in my care"))]))
    child_name = forms.CharField(label=_("Child's name"), required=False, max_length=30)
    child_id_number = forms.CharField(label=_("Child's ID number"), required=False, max_length=32,
                                      help_text=_("18 characters, as on the household register or ID card."))
    relationship = FixedChoiceField(label=_("Your relationship to the child"), required=False,
                                    choices=FixedChoices(lambda: [("", _("— choose —"))] + Relationship.choices))

    def __init__(self, *args, user, settings_row: ServiceSettings, today: date | None = None,
                 check_blocker: bool = True, **kwargs):
        """`check_blocker=False` leaves out the one-person-one-card rule (two queries), for callers that only
        need the subject (the photo step) or that check the rule themselves (the submission)."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.settings_row = settings_row
        self.today = today or timezone.localdate()
        self.check_blocker = check_blocker
        self.blocker = None
        self.fields["applying_for"].choices = [
            ("self", _("For myself")),
            ("child", gettext("For a child in my care (under %(age)s)") % {"age": settings_row.guardian_age}),
        ]

    def _check(self, field: str, applying_for: str, child_id_number: str = ""):
        """The eligibility rules (`applications.eligibility`); a refusal is an error next to `field`."""
        result = eligibility.check_subject(user=self.user, applying_for=applying_for, settings_row=self.settings_row,
                                           today=self.today, child_id_number=child_id_number,
                                           check_blocker=self.check_blocker)
        if result.blocker is not None:
            self.blocker = result.blocker
        if result.problem is not None:
            message, params = result.problem
            self.add_error(field, gettext(message) % params if params else gettext(message))
        return result.subject

    def clean(self):
        data = super().clean()
        if data.get("applying_for") == "child":
            for name in ("child_name", "child_id_number", "relationship"):
                if not data.get(name):
                    self.add_error(name, gettext("This field is required when applying for a child."))
            if data.get("child_name"):
                try:
                    data["child_name"] = _name(data["child_name"])
                except forms.ValidationError as error:
                    self.add_error("child_name", error)
            if data.get("child_id_number"):
                info = self._check("child_id_number", "child", data["child_id_number"])
                if info is not None:
                    data["child_id_number"] = info.number
                    data["subject"] = info
            if not self.errors:
                data["subject_name"] = data["child_name"]
        elif data.get("applying_for") == "self":
            info = self._check("applying_for", "self")
            if info is not None:
                data["subject"] = info
                data["subject_name"] = self.user.real_name
        return data

    def subject_fields(self) -> dict:
        data = self.cleaned_data
        info = data["subject"]
        child = data["applying_for"] == "child"
        return {"for_child": child, "relationship": data.get("relationship") if child else "",
                "subject_name": data["subject_name"], "subject_id_number": info.number,
                "subject_sex": info.sex, "subject_birth_date": info.birth_date}

    def subject_age(self) -> int:
        return self.cleaned_data["subject"].age_on(self.today)


class PersonalForm(StepForm):
    ethnicity = FixedChoiceField(label=_("Ethnic group"), initial="01", choices=ETHNIC_CHOICES)
    nationality = FixedChoiceField(label=_("Nationality"), choices=FixedChoices(lambda: Nationality.choices),
                                   initial=Nationality.CHN)
    document_valid_until = IsoDateField(  # a text box, not the browser's date input (see IsoDateField)
        label=_("ID document valid until"), required=False,
        help_text=_("The end date printed on the document, as YYYY-MM-DD. Tick \"long-term\" if it has none."))
    document_long_term = forms.BooleanField(label=_("Long-term validity"), required=False)
    occupation = FixedChoiceField(label=_("Occupation"),
                                  choices=FixedChoices(lambda: [("", _("— choose —"))] + Occupation.choices))
    employer = forms.CharField(label=_("Employer or school (optional)"), required=False, max_length=100)

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields.update(address_fields("res"))
        self.fields["res_province"].label = _("Residential address: province")
        self.order_fields(["ethnicity", "nationality", "document_valid_until", "document_long_term", "occupation",
                           "employer", "res_province", "res_city", "res_district", "res_detail"])

    def clean(self):
        data = super().clean()
        until, long_term = data.get("document_valid_until"), data.get("document_long_term")
        if "document_valid_until" not in self.errors:
            if long_term and until:
                self.add_error("document_valid_until", gettext(
                    "Give either an end date or long-term validity, not both."))
            elif not long_term and not until:
                self.add_error("document_valid_until", gettext(
                    "Enter the date the ID document is valid until, or tick \"long-term validity\"."))
            elif until and until < self.today:
                self.add_error("document_valid_until", gettext(
                    "The ID document expired on %(date)s. Renew it before applying.") % {"date": until.isoformat()})
        clean_address(self, "res")
        return data

    def model_fields(self) -> dict:
        d = self.cleaned_data
        return {"ethnicity": d["ethnicity"], "nationality": d["nationality"],
                "document_valid_until": None if d["document_long_term"] else d["document_valid_until"],
                "document_long_term": bool(d["document_long_term"]), "occupation": d["occupation"],
                "employer": d.get("employer") or "", "res_province": d["res_province"], "res_city": d["res_city"],
                "res_district": d.get("res_district") or "", "res_detail": d["res_detail"]}

    def kept(self) -> dict:
        fields = self.model_fields()
        until = fields["document_valid_until"]
        return {**fields, "document_valid_until": until.isoformat() if until else None}


class BankChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class OutletChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.label} — {obj.address}"


class DeliveryForm(StepForm):
    bank = BankChoiceField(label=_("Partner bank"), queryset=PartnerBank.objects.none(), empty_label=_("— choose —"),
                           help_text=_("The card is also a bank card of this bank: an account is pre-opened for you."))
    delivery = FixedChoiceField(label=_("How do you want to receive the card?"),
                                choices=FixedChoices(lambda: Delivery.choices), widget=forms.RadioSelect)
    outlet = OutletChoiceField(label=_("Service outlet for pick-up"), required=False, queryset=Outlet.objects.none(),
                               empty_label=_("— choose —"))
    recipient_name = forms.CharField(label=_("Recipient"), required=False, max_length=30)
    recipient_phone = forms.CharField(label=_("Recipient's mobile phone"), required=False, max_length=20,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = reference_selectors.active_banks()
        self.fields["outlet"].queryset = reference_selectors.active_outlets()
        self.fields.update(address_fields("post", required=False))
        self.fields["post_province"].label = _("Postal address: province")

    def clean(self):
        data = super().clean()
        method = data.get("delivery")
        if method == Delivery.PICKUP:
            if not data.get("outlet") and "outlet" not in self.errors:
                self.add_error("outlet", gettext("Choose the outlet where you will pick up the card."))
        elif method == Delivery.POST:
            required = ["recipient_name", "recipient_phone", "post_province", "post_city", "post_detail"]
            for name in required:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, gettext("This field is required for delivery by post."))
            if data.get("recipient_name"):
                try:
                    data["recipient_name"] = _name(data["recipient_name"])
                except forms.ValidationError as error:
                    self.add_error("recipient_name", error)
            if data.get("recipient_phone"):
                try:
                    data["recipient_phone"] = normalize_phone(data["recipient_phone"])
                except PhoneError as error:
                    self.add_error("recipient_phone", gettext(error.message))
            if data.get("post_detail") and len(data["post_detail"]) < 4:
                self.add_error("post_detail", gettext("Enter the full street address."))
            clean_address(self, "post")
        return data

    def model_fields(self) -> dict:
        d = self.cleaned_data
        post = d["delivery"] == Delivery.POST
        return {
            "bank": d["bank"], "delivery": d["delivery"], "outlet": None if post else d["outlet"],
            "recipient_name": d["recipient_name"] if post else "",
            "recipient_phone": d["recipient_phone"] if post else "",
            "post_province": d["post_province"] if post else "", "post_city": d["post_city"] if post else "",
            "post_district": (d.get("post_district") or "") if post else "",
            "post_detail": d["post_detail"] if post else "",
        }

    def kept(self) -> dict:
        fields = self.model_fields()
        return {**fields, "bank": fields["bank"].pk, "outlet": fields["outlet"].pk if fields["outlet"] else None}


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"), required=False,
        help_text=_("A recent colour photo (JPEG or PNG, up to %(mb)s MB) on a white or light plain background, "
                    "facing the camera."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
    crop_x = forms.CharField(required=False, widget=forms.HiddenInput)
    crop_y = forms.CharField(required=False, widget=forms.HiddenInput)
    crop_w = forms.CharField(required=False, widget=forms.HiddenInput)
    crop_h = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, settings_row: ServiceSettings, required: bool, has_photo: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings_row = settings_row
        self.photo_required = required
        self.has_photo = has_photo
        self.fields["photo"].help_text = self.fields["photo"].help_text % {"mb": settings_row.upload_max_mb}
        self.fields["photo"].widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png"})
        self.prepared: photos.PreparedPhoto | None = None

    def clean(self):
        data = super().clean()
        upload = data.get("photo")
        if upload is None:
            if self.photo_required and not self.has_photo:
                self.add_error("photo", gettext("Please choose a photo file."))
            return data
        s = self.settings_row
        try:
            checked = photos.check_upload(upload, max_mb=s.upload_max_mb)
            self.prepared = photos.prepare(checked, data, min_kb=s.photo_min_kb, max_kb=s.photo_max_kb)
        except photos.PhotoError as error:
            for message in error.messages:
                self.add_error("photo", gettext(message) % error.params if error.params else gettext(message))
        return data


class ConfirmForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    declaration = forms.BooleanField(
        label=_("I declare that the information given is true, complete and my own (or my child's), and I "
                "accept legal responsibility for it."),
        error_messages={"required": _("Please confirm the declaration of truth.")})
    consent = forms.BooleanField(
        label=_("I agree that my personal data is used to make the card and pre-open the bank account, and is "
                "shared for that purpose only with the chosen bank and the card manufacturer."),
        error_messages={"required": _("Please give your consent to the use of your data for the card.")})


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, withdraw this application"),
                                 error_messages={"required": _("Tick the box to confirm the withdrawal.")})


class ProgressForm(forms.Form):
    code = forms.CharField(label=_("Office code"), max_length=24,
                           error_messages={"max_length": _(officecode.MSG_LENGTH)},
                           help_text=_("11 characters, e.g. K7QM-X3P9-C4B. Lower case and spaces are fine."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))
    # No min_length / max_length: their message is Django's generic one ("确保该变量至少包含 6 字符…"); the
    # look-up checks the ending itself and says what it expects (selectors.MSG_SUFFIX), and so does an empty box.
    id_suffix = forms.CharField(label=_("Last 6 characters of the ID number"),
                                error_messages={"required": _(MSG_SUFFIX)},
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
