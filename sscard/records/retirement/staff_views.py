"""The records officer's retirement form, posted from the page of a person's records (/staff/records/persons/):
POST only, the ID number in no URL; a success goes back to that page with a message, a refusal shows the page
again with the error next to its field."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sscard.domain.masking import mask_id_number

from ..queries import forms as query_forms
from ..services import RecordsError
from ..staff_views import records_staff
from . import services
from .forms import RetirementForm


@records_staff
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    form = RetirementForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            row = services.register_retirement(staff=request.user, request=request, **form.cleaned_data)
        except RecordsError as error:
            form.add_error(error.field if error.field in form.fields else None, error.translated())
            status = {"not_found": 404, "not_allowed": 403}.get(error.code, 400)
        else:
            messages.success(request, _("Registered: %(person)s is retired from %(day)s.") % {
                "person": mask_id_number(row.id_number), "day": row.retired_from.isoformat()})
            return redirect("casework:records_person")
    return render(request, "records/queries/staff_person.html", {
        "form": query_forms.LookupForm(), "retire_form": form, "read": None, "nav": "records_persons"},
        status=status)
