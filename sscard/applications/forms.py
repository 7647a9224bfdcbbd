"""The application form, one Django form per step, each checking its fields with the domain rules."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator, flatten_choices, normalize_choices
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from sscard.domain import regions
from sscard.domain.idnumber import IdNumberError, parse_id_number
from sscard.domain.phone import PhoneError, normalize_phone
from sscard.reference.models import Outlet, PartnerBank, ServiceSettings

from . import photos, selectors
from .choices import Delivery, Nationality, Occupation, Relationship, ethnic_choices

STEP_NAMES = ("applicant", "personal", "delivery", "photo", "confirm")


def _region_label(code: str, name: str) -> str:
    if (get_language() or "").startswith("zh"):
        return name
    region = regions.get_region(code)
    return f"{name} ({region.name_en})" if region is not None and region.name_en else name


class FixedChoices(BaseChoiceIterator):
    """Choices built from fixed data (the region table, the code lists) once per language and shared by every
    form: Django takes a BaseChoiceIterator as it is, instead of building and normalizing the lists again for
    every form and every validation (hundreds of cities per address)."""

    def __init__(self, build):
        self.build = build
        self._by_language: dict[str, list] = {}
        self._markup_by_language: dict[str, list] = {}
        self._values: frozenset[str] | None = None

    def _choices(self) -> list:
        language = get_language() or ""
        choices = self._by_language.get(language)
        if choices is None:
            choices = self._by_language[language] = normalize_choices(self.build())
        return choices

    def __iter__(self):
        return iter(self._choices())

    def values(self) -> frozenset[str]:
        """Every selectable value (the same in every language)."""
        if self._values is None:
            self._values = frozenset(str(value) for value, _label in flatten_choices(self._choices()))
        return self._values

    def option_markup(self) -> list[tuple[str | None, str, str]]:
        """The <option> and <optgroup> markup of a select, as Django's widget templates write it, once per
        language: (value, markup, markup when selected) for each option, (None, markup, "") for the optgroups'
        tags."""
        language = get_language() or ""
        markup = self._markup_by_language.get(language)
        if markup is None:
            markup = self._markup_by_language[language] = _option_markup(self._choices())
        return markup

    def __copy__(self):  # immutable: forms copy their fields, and the widgets their choices, per instance
        return self

    def __deepcopy__(self, memo):
        return self


def _template_value(value) -> str:
    """`{{ value|stringformat:'s' }}` in an autoescaping template."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def _option_markup(choices) -> list[tuple[str | None, str, str]]:
    """What django/forms/widgets/select.html and select_option.html write for each option (see
    ChoiceWidget.optgroups: an option is selected by the checked_attribute, {"selected": True})."""
    def option(value, label):
        head = f'\n  <option value="{_template_value(value)}"'
        tail = f">{conditional_escape(str(label))}</option>\n"
        return str(value), head + tail, head + " selected" + tail

    markup = []
    for value, label in choices:
        value = "" if value is None else value
        if isinstance(label, (list, tuple)):
            markup.append((None, f'\n  <optgroup label="{conditional_escape(str(value))}">', ""))
            markup.extend(option(sub_value, sub_label) for sub_value, sub_label in label)
            markup.append((None, "\n  </optgroup>", ""))
        else:
            markup.append(option(value, label))
    return markup


class FixedSelect(forms.Select):
    """A select on FixedChoices whose options' markup is made once per language: Django renders each of the
    hundreds of options through two templates (about 10 ms per address). The markup is the same as that of
    Django's own widget templates (tests/applications/test_fixed_choices.py compares them)."""

    def render(self, name, value, attrs=None, renderer=None):
        if not isinstance(self.choices, FixedChoices) or self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{conditional_escape(name)}"']
        parts += [f" {conditional_escape(key)}" + ("" if item is True else f'="{_template_value(item)}"')
                  for key, item in attrs.items() if item is not False]
        parts.append(">")
        selected = False
        for option_value, markup, markup_selected in self.choices.option_markup():
            if not selected and option_value is not None and option_value in values:
                parts.append(markup_selected)
                selected = True
            else:
                parts.append(markup)
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class FixedChoiceField(forms.ChoiceField):
    """A ChoiceField on FixedChoices: the posted value is looked up in a set, not searched in the lists."""

    widget = FixedSelect

    def valid_value(self, value):
        choices = self.choices
        if isinstance(choices, FixedChoices):
            return str(value) in choices.values()
        return super().valid_value(value)


def province_choices():
    return [("", _("— choose —"))] + [(code, _region_label(code, name)) for code, name in regions.provinces()]


def city_choices():
    groups = [("", _("— choose —"))]
    for code, name in regions.provinces():
        cities = regions.prefectures(code)
        if cities:
            groups.append((_region_label(code, name), [(c, _region_label(c, n)) for c, n in cities]))
    return groups


def district_choices():
    groups: dict[str, list] = {}
    for code, name in regions.hubei_counties():
        groups.setdefault(code[:4] + "00", []).append((code, _region_label(code, name)))
    choices = [("", _("— choose (Hubei addresses) —"))]
    for prefecture, items in groups.items():
        choices.append((_region_label(prefecture, regions.region_name(prefecture) or prefecture), items))
    return choices


PROVINCE_CHOICES = FixedChoices(province_choices)
CITY_CHOICES = FixedChoices(city_choices)
DISTRICT_CHOICES = FixedChoices(district_choices)
ETHNIC_CHOICES = FixedChoices(ethnic_choices)


def clean_address(form: forms.Form, prefix: str) -> None:
    """Check that the chosen city lies in the province and the district in the city (for Hubei, where the
    district list is complete; elsewhere the district goes into the detailed address)."""
    data = form.cleaned_data
    province, city, district = (data.get(f"{prefix}_province"), data.get(f"{prefix}_city"),
                                data.get(f"{prefix}_district"))
    if province and city and city[:2] != province[:2]:
        form.add_error(f"{prefix}_city", gettext("This city is not in the chosen province."))
        return
    if province and province.startswith(regions.HUBEI) and city:
        if not district:
            form.add_error(f"{prefix}_district", gettext("Choose the district or county."))
        elif district[:4] != city[:4]:
            form.add_error(f"{prefix}_district", gettext("This district is not in the chosen city."))
    elif district:
        form.add_error(f"{prefix}_district", gettext(
            "Districts are listed for Hubei only: leave this empty and write the district in the detailed "
            "address."))


def address_fields(prefix: str, required: bool = True) -> dict[str, forms.Field]:
    attrs = {"data-region": prefix}
    return {
        f"{prefix}_province": FixedChoiceField(label=_("Province"), required=required, choices=PROVINCE_CHOICES,
                                               widget=FixedSelect(attrs={**attrs, "data-level": "province"})),
        f"{prefix}_city": FixedChoiceField(label=_("City"), required=required, choices=CITY_CHOICES,
                                           widget=FixedSelect(attrs={**attrs, "data-level": "city"})),
        f"{prefix}_district": FixedChoiceField(
            label=_("District or county"), required=False, choices=DISTRICT_CHOICES,
            help_text=_("Required for addresses in Hubei. Elsewhere, write the district in the detailed address."),
            widget=FixedSelect(attrs={**attrs, "data-level": "district"})),
        f"{prefix}_detail": forms.CharField(label=_("Street, building and room"), required=required, max_length=120,
                                            min_length=4),
    }


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

    def _block(self, field: str, id_number: str) -> None:
        if not self.check_blocker:
            return
        blocker = selectors.blocking_reason(id_number, user=self.user)
        if blocker is not None:
            self.blocker = blocker
            self.add_error(field, gettext(blocker.message) % blocker.params if blocker.params
                           else gettext(blocker.message))

    def clean(self):
        data = super().clean()
        guardian_age = self.settings_row.guardian_age
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
                try:
                    info = parse_id_number(data["child_id_number"], today=self.today)
                except IdNumberError as error:
                    self.add_error("child_id_number", gettext(error.message))
                else:
                    data["child_id_number"] = info.number
                    if info.number == (self.user.id_number or "").upper():
                        self.add_error("child_id_number", gettext("This is your own ID number."))
                    elif info.age_on(self.today) >= guardian_age:
                        self.add_error("child_id_number", gettext(
                            "Only children under %(age)s are applied for by a guardian. From %(age)s, people "
                            "apply for themselves with their own account.") % {"age": guardian_age})
                    else:
                        self._block("child_id_number", info.number)
                    data["subject"] = info
            if not self.errors:
                data["subject_name"] = data["child_name"]
        elif data.get("applying_for") == "self":
            try:
                info = parse_id_number(self.user.id_number, today=self.today)
            except IdNumberError:
                self.add_error("applying_for", gettext(
                    "Online applications need a resident ID number registered with your account. Please apply "
                    "at a service outlet with your document."))
            else:
                if info.age_on(self.today) < guardian_age:
                    self.add_error("applying_for", gettext(
                        "People under %(age)s are applied for by a parent or guardian from the guardian's own "
                        "account.") % {"age": guardian_age})
                else:
                    self._block("applying_for", info.number)
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
    document_valid_until = forms.DateField(
        label=_("ID document valid until"), required=False,
        help_text=_("The end date printed on the document, as YYYY-MM-DD. Tick \"long-term\" if it has none."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
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
        self.fields["bank"].queryset = selectors.active_banks()
        self.fields["outlet"].queryset = selectors.active_outlets()
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
                           help_text=_("11 characters, e.g. K7QM-X3P9-C4B. Lower case and spaces are fine."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))
    id_suffix = forms.CharField(label=_("Last 6 characters of the ID number"), max_length=8, min_length=6,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
