"""A submitted draft is gone for good (issue 11): the browser's Back button after submitting leads to the
office code page, not to a new step 1, and no draft is made by merely looking at step 1, so "My
applications" shows no stale "unfinished application"."""

import pytest
from django.urls import reverse

from sscard.applications.models import Application, ApplicationDraft

from .conftest import step_url

pytestmark = pytest.mark.django_db

UNFINISHED = "You have an unfinished application."


def _submitted(logged_in, fill, submit):
    fill(logged_in)
    response = submit(logged_in)
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:done", args=[application.office_code])
    return application


@pytest.mark.parametrize("step", ["confirm", "photo", "delivery", "personal", "applicant"])
def test_back_after_submitting_shows_the_office_code_page(logged_in, fill, submit, step):
    application = _submitted(logged_in, fill, submit)
    response = logged_in.get(step_url(step))  # what Back (or Back again) reloads: the pages are never cached
    assert response.status_code == 302
    assert response["Location"] == f"/card/applications/{application.office_code}/submitted"
    assert not ApplicationDraft.objects.exists()
    page = logged_in.get(reverse("applications:mine")).content.decode()
    assert UNFINISHED not in page
    assert application.display_code in page


def test_sending_the_confirmation_again_after_submitting_leads_to_the_same_application(logged_in, fill, submit):
    application = _submitted(logged_in, fill, submit)
    response = logged_in.post(step_url("confirm"), {"token": "6f1c5c9e-2d7e-4a43-9d77-1d2f64b0c111",
                                                    "declaration": "on", "consent": "on"})
    assert response["Location"] == f"/card/applications/{application.office_code}/submitted"
    assert Application.objects.count() == 1 and not ApplicationDraft.objects.exists()


def test_online_application_after_submitting_starts_a_new_application(logged_in, fill, submit):
    _submitted(logged_in, fill, submit)
    response = logged_in.get(reverse("applications:apply"))  # the "Online application" button
    assert response["Location"] == step_url("applicant")
    page = logged_in.get(step_url("applicant"))
    assert page.status_code == 200 and "Save and continue" in page.content.decode()
    assert not ApplicationDraft.objects.exists()


def test_viewing_step_1_makes_no_draft_and_saving_it_does(logged_in):
    assert logged_in.get(reverse("applications:apply"))["Location"] == step_url("applicant")
    page = logged_in.get(step_url("applicant")).content.decode()
    assert "Save and continue" in page
    assert "Discard this draft and start again" not in page  # there is no draft to discard
    assert not ApplicationDraft.objects.exists()
    assert UNFINISHED not in logged_in.get(reverse("applications:mine")).content.decode()
    response = logged_in.post(step_url("applicant"), {"applying_for": "self"})
    assert response["Location"] == step_url("personal")
    assert ApplicationDraft.objects.get().step == "personal"
    assert UNFINISHED in logged_in.get(reverse("applications:mine")).content.decode()


def test_later_steps_without_a_draft_lead_to_step_1_without_making_one(logged_in):
    for step in ("personal", "delivery", "photo", "confirm"):
        assert logged_in.get(step_url(step))["Location"] == step_url("applicant")
    assert not ApplicationDraft.objects.exists()
