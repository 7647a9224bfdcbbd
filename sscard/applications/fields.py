"""Form fields and widgets the application forms share: choice lists fixed when first used (regions, ethnic
groups) and rendered from pre-escaped markup, and the province / city / district address fields with their
cross-checks."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django import forms
from django.utils.choices import BaseChoiceIterator, flatten_choices, normalize_choices
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from sscard.domain import regions

from .choices import ethnic_choices


def _region_label(code: str, name: str) -> str:
    language = get_language() or ""
    if language.startswith("zh"):
        return name
    own = regions.localized_name(code, language)
    return f"{name} ({own})" if own and own != name else name


_DATE_PARTS = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?|([0-9]{4})([0-9]{2})([0-9]{2})")


class IsoDateField(forms.DateField):
    """A date typed as YYYY-MM-DD in a plain text box, shown the same in every browser and language: a browser's
    date input shows its own locale's format (mm/dd/yyyy in en-US) whatever our hint says. Also accepted, for
    whoever types it so: full-width digits, 2030/6/30, 2030.6.30, 2030年6月30日 and 20300630."""

    default_error_messages = {"invalid": _("Enter the date as YYYY-MM-DD, for example 2030-06-30.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(format="%Y-%m-%d", attrs={
            "autocomplete": "off", "spellcheck": "false", "maxlength": "20"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        match = _DATE_PARTS.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
        if match is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) for part in match.groups() if part is not None)
        try:
            return date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


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
