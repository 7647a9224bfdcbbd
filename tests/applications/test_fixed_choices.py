"""The fixed lists of the form (regions, ethnic groups, nationalities, occupations) are built once per
language, validated by set look-up and rendered from cached markup that is exactly Django's."""

import pytest
from django import forms as django_forms
from django.utils import translation
from django.utils.safestring import mark_safe

from sscard.applications import fields, forms
from sscard.applications.fields import FixedChoices, FixedSelect


def _django_select(widget: FixedSelect) -> django_forms.Select:
    return django_forms.Select(attrs=widget.attrs, choices=list(widget.choices))


@pytest.mark.parametrize("language", ["zh-hans", "en", "es"])
@pytest.mark.parametrize("field, value", [
    ("res_province", "420000"), ("res_province", ""), ("res_province", None),
    ("res_city", "420100"), ("res_city", "110100"), ("res_city", "no such city"),
    ("res_district", "420106"), ("res_district", ""),
    ("ethnicity", "01"), ("ethnicity", "56"), ("nationality", "CHN"), ("occupation", ""),
])
def test_the_cached_select_markup_is_djangos(language, field, value):
    with translation.override(language):
        form = forms.PersonalForm()
        widget = form.fields[field].widget
        assert isinstance(widget, FixedSelect)
        attrs = {"id": f"id_{field}", "required": True, "aria-describedby": "x_help x_errors",
                 "aria-invalid": "true", "disabled": False}
        assert widget.render(field, value, attrs=attrs) == _django_select(widget).render(field, value, attrs=attrs)


def test_the_cached_select_markup_escapes_like_djangos_templates():
    choices = FixedChoices(lambda: [("", "— <choose> —"), ("G&1", [("1", "one"), ("2", mark_safe("<b>two</b>"))]),
                                    ("3\"", "three"), (None, "none")])
    widget = FixedSelect(attrs={"data-x": "a&b", "data-safe": mark_safe("<i>")}, choices=choices)
    for value in ["2", "3\"", "", None, ["1", "2"]]:
        assert widget.render("f", value) == django_forms.Select(attrs=widget.attrs, choices=list(choices)).render(
            "f", value)


def test_a_page_with_the_address_lists_is_rendered_the_same(logged_in):
    from .conftest import PERSONAL, step_url

    logged_in.post(step_url("applicant"), {"applying_for": "self"})
    page = logged_in.get(step_url("personal")).content.decode()
    assert '<option value="420000">湖北省 (Hubei)</option>' in page  # the client asks for English
    logged_in.post(step_url("personal"), PERSONAL)
    page = logged_in.get(step_url("personal")).content.decode()
    assert '<option value="420106" selected>' in page and '<option value="420100" selected>' in page


def test_fixed_lists_validate_by_value():
    field = fields.FixedChoiceField(choices=fields.CITY_CHOICES)
    assert field.valid_value("420100") and not field.valid_value("湖北省") and not field.valid_value("429999")
    assert field.clean("420100") == "420100"
    with pytest.raises(django_forms.ValidationError):
        field.clean("420000")  # a province is not a city


def test_a_spanish_reader_sees_districts_named_in_spanish(logged_in):
    from .conftest import step_url

    logged_in.post(step_url("applicant"), {"applying_for": "self"})
    page = logged_in.get(step_url("personal"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<option value="420103">江汉区 (Distrito de Jianghan)</option>' in page
    assert "Jianghan District" not in page
