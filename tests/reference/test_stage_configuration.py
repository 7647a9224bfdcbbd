"""The stage table's fields all do something: `order` sorts the workbench's stage lists, `lead_days` gives
the citizen the usual date of the next step, `plain_stage` and `notify_citizen` (tested with the
applications). The free-text staff label, which nothing read, is gone: a stage is named by its state's
translated label."""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from sscard.applications import selectors
from sscard.casework import selectors as casework_selectors
from sscard.reference.models import Stage
from tests.applications.helpers import edit
from tests.casework.conftest import new_application, new_citizen, new_staff

pytestmark = pytest.mark.django_db


def _entered_on_wednesday_30_september(application):
    """The application entered its current stage on Wednesday 30 September 2026, 10:00 in Wuhan."""
    at = timezone.make_aware(datetime(2026, 9, 30, 10, 0))
    application.changes.update(at=at)
    return application


# lead_days of the `submitted` stage -> the date shown (working days after 30 September 2026: the National
# Day week 1-7 October is off, Saturday 10 October is a make-up working day). Written by hand.
NEXT_STEP = [(1, "2026-10-08"), (3, "2026-10-10"), (5, "2026-10-13")]


@pytest.mark.parametrize(("lead_days", "shown"), NEXT_STEP)
def test_the_citizen_sees_when_the_current_stage_usually_ends(lead_days, shown):
    citizen = new_citizen()
    application = _entered_on_wednesday_30_september(new_application(citizen))
    edit(Stage.objects.get(code="submitted"), lead_days=lead_days)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(citizen)
    page = client.get(reverse("applications:detail", args=[application.office_code])).content.decode()
    assert "Next step usually by" in page and shown in page


def test_no_next_step_date_for_a_stage_without_a_usual_duration():
    citizen = new_citizen()
    application = _entered_on_wednesday_30_september(new_application(citizen))
    edit(Stage.objects.get(code="submitted"), lead_days=0)
    assert selectors.next_step_expected(application) is None
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(citizen)
    page = client.get(reverse("applications:detail", args=[application.office_code])).content.decode()
    assert "Next step usually by" not in page


def test_the_workbench_lists_stages_in_the_configured_order():
    staff = new_staff(["supervisor"], areas=["city:420100"])
    default = [row["state"] for row in casework_selectors.stage_counts(staff)]
    assert default[:4] == ["submitted", "under_review", "returned", "resubmitted"]
    edit(Stage.objects.get(code="resubmitted"), order=1)
    reordered = [row["state"] for row in casework_selectors.stage_counts(staff)]
    assert reordered[:4] == ["resubmitted", "submitted", "under_review", "returned"]
    assert sorted(reordered) == sorted(default)  # every state still listed once


def test_a_stage_has_no_free_text_label_and_is_named_in_the_readers_language():
    assert "label" not in {field.name for field in Stage._meta.get_fields()}
    with translation.override("es"):
        assert str(Stage.objects.get(code="posted")) == "Enviada por correo"
