"""What every page of the staff workbench shares: the gate (`workbench`), permission checks, the upload of an
exchange file with its line-by-line feedback, and the audited download of a file of personal data. Used by
the workbench pages of casework, casework.production and cards (delivery)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sscard.accounts.decorators import staff_required

from . import forms
from .lines import ImportRejected
from .roles import perm
from .services import CaseworkError, ImportResult, record_read


def workbench(view):
    """Signed-in staff with a back office role (permission `use_workbench`)."""

    @wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(perm("use_workbench")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def can(request, codename: str) -> bool:
    return request.user.has_perm(perm(codename))


def need(request, codename: str) -> None:
    if not can(request, codename):
        raise PermissionDenied



def import_feedback(request, result: ImportResult) -> None:
    if result.applied:
        messages.success(request, _("Imported: %(applied)s line(s) applied, %(unchanged)s already done.")
                         % {"applied": result.applied, "unchanged": result.unchanged})
    else:
        messages.info(request, _("Nothing changed: every line of this file was already imported."))



def upload(request: HttpRequest, importer):
    """Handle an uploaded exchange file: returns (form, line errors, imported?). All-or-nothing imports say
    what is wrong line by line; a refused action says why."""
    if request.method != "POST":
        return forms.UploadForm(), [], False
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, [], False
    try:
        result = importer(form.read())
    except ImportRejected as rejected:
        messages.error(request, _("The file was not imported: nothing changed. Fix the lines below "
                                  "and import it again."))
        return form, rejected.errors, False
    except CaseworkError as error:
        messages.error(request, error.translated())
        return form, [], False
    import_feedback(request, result)
    return form, [], True


def audited_download(request: HttpRequest, data: bytes, content_type: str, filename: str, *, event_type: str,
                      subject_type: str, subject_id: str) -> HttpResponse:
    """A file of personal data leaves the agency: never cached, always audited."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    record_read(staff=request.user, event_type=event_type, subject_type=subject_type, subject_id=subject_id,
                request=request)
    return response


# --- Actions other apps add to the case page ------------------------------------------------------------------

@dataclass(frozen=True)
class CaseActionHandler:
    """An action of the case page served by another app (delivery: `sscard.cards`): its form, and `run(request,
    application, cleaned_data)` which calls one service and returns the success message (a refusal raises
    CaseworkError)."""

    form_class: type
    run: Callable


CASE_ACTIONS: dict[str, CaseActionHandler] = {}


def register_case_action(name: str, form_class: type, run: Callable) -> None:
    CASE_ACTIONS[name] = CaseActionHandler(form_class=form_class, run=run)
