"""The shape of a declaration's input: the month and a file, or the wages entered on the page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from ..forms import MonthField


class MonthForm(forms.Form):
    month = MonthField(label=gettext_lazy("Month declared"))


class UploadForm(forms.Form):
    month = MonthField(label=gettext_lazy("Month declared"))
    file = forms.FileField(label=gettext_lazy("Declaration file (.csv or .xlsx)"),
                           help_text=gettext_lazy("Columns 证件号码, 姓名, 缴费工资 (ID number, name, monthly wage in "
                                                  "yuan), one line per employee."))


class LinesForm(forms.Form):
    """One wage field per employee enrolled in the month (`wage_<enrolment id>`); an empty wage leaves the
    employee out of the declaration."""

    month = MonthField(widget=forms.HiddenInput)

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        for enrolment in self.enrolments:
            self.fields[f"wage_{enrolment.pk}"] = forms.CharField(
                label=gettext_lazy("Monthly wage (yuan)"), required=False, max_length=20)

    def rows(self):
        """(enrolment, its bound wage field) for the template."""
        return [(enrolment, self[f"wage_{enrolment.pk}"]) for enrolment in self.enrolments]

    def declared(self) -> list:
        """The enrolments given a wage, in the page's order (the order of the lines declared)."""
        return [enrolment for enrolment in self.enrolments
                if (self.cleaned_data.get(f"wage_{enrolment.pk}") or "").strip()]

    def lines(self) -> list[tuple[str, str, str]]:
        return [(enrolment.id_number, enrolment.name, self.cleaned_data[f"wage_{enrolment.pk}"])
                for enrolment in self.declared()]
