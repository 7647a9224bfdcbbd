"""Filling in and submitting the online application: steps, draft, office code, notifications."""

import pytest
from django.urls import reverse

from sscard.applications.models import Application, ApplicationDraft, IssuedOfficeCode, StatusChange
from sscard.domain import officecode

from .conftest import step_url

pytestmark = pytest.mark.django_db


def test_happy_path_gives_an_office_code_and_a_confirmation(logged_in, citizen, fill, submit,
                                                            django_capture_on_commit_callbacks):
    fill(logged_in)
    response = logged_in.get(step_url("confirm"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please check your answers" in page
    assert citizen.id_number not in page  # masked
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(logged_in)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:done", args=[application.office_code])
    assert officecode.is_valid(application.office_code)
    assert IssuedOfficeCode.objects.filter(code=application.office_code).exists()
    assert application.state == "submitted"
    assert application.subject_id_number == citizen.id_number
    assert application.subject_sex == "M" and str(application.subject_birth_date) == "1990-03-07"
    assert application.photo
    assert not ApplicationDraft.objects.exists()
    assert StatusChange.objects.filter(application=application, to_state="submitted").count() == 1
    done = logged_in.get(response["Location"]).content.decode()
    assert application.display_code in done
    assert application.expected_completion.isoformat() in done


def test_submission_sends_sms_and_in_site_message_with_the_code_and_audits(logged_in, citizen, fill, submit,
                                                                           django_capture_on_commit_callbacks):
    from sscard.audit.models import AuditEvent
    from sscard.notify.models import Message, OutboxSms

    fill(logged_in)
    with django_capture_on_commit_callbacks(execute=True):
        submit(logged_in)
    application = Application.objects.get()
    sms = OutboxSms.objects.get(phone=citizen.phone)
    assert application.display_code in sms.text
    message = Message.objects.get(user=citizen)
    assert application.display_code in message.subject + message.body
    assert message.link == reverse("applications:detail", args=[application.office_code])
    event = AuditEvent.objects.get(event_type="card_application.submitted")
    assert event.subject_id == application.office_code
    assert citizen.id_number not in str(event.data)


def test_double_click_and_resent_form_make_one_application(logged_in, fill, submit):
    from sscard.applications.models import ApplicationDraft

    fill(logged_in)
    token = str(ApplicationDraft.objects.get().token)
    data = {"token": token, "declaration": "on", "consent": "on"}
    first = logged_in.post(step_url("confirm"), data)
    second = logged_in.post(step_url("confirm"), data)
    third = logged_in.post(step_url("confirm"), data)
    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"] == third["Location"]


def test_missing_declaration_and_consent_are_both_reported_and_nothing_is_saved(logged_in, fill, submit):
    fill(logged_in)
    response = submit(logged_in, declaration=False, consent=False)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please confirm the declaration of truth." in page
    assert "Please give your consent to the use of your data for the card." in page
    assert 'id="error-summary"' in page and 'href="#id_declaration"' in page
    assert Application.objects.count() == 0
    assert ApplicationDraft.objects.count() == 1


def test_a_stale_token_does_not_submit(logged_in, fill):
    fill(logged_in)
    response = logged_in.post(step_url("confirm"), {"token": "6f1c5c9e-2d7e-4a43-9d77-1d2f64b0c111",
                                                    "declaration": "on", "consent": "on"})
    assert response.status_code == 302
    assert Application.objects.count() == 0


def test_the_draft_resumes_where_the_person_stopped(logged_in, fill):
    fill(logged_in, until="delivery")
    response = logged_in.get(reverse("applications:apply"))
    assert response["Location"] == step_url("delivery")
    # Coming back to an earlier step shows what was saved.
    page = logged_in.get(step_url("personal")).content.decode()
    assert "中北路 100 号 1 栋 101 室" in page
    assert 'value="2035-01-01"' in page


def test_steps_cannot_be_skipped(logged_in):
    response = logged_in.get(step_url("photo"))
    assert response["Location"] == step_url("applicant")
    response = logged_in.post(step_url("confirm"), {"token": "x", "declaration": "on", "consent": "on"})
    assert response.status_code == 302
    assert Application.objects.count() == 0


def test_the_form_is_prefilled_from_the_account_masked_with_sex_and_birth_date(logged_in, citizen):
    page = logged_in.get(step_url("applicant")).content.decode()
    assert citizen.masked_id_number in page and citizen.id_number not in page
    assert citizen.masked_phone in page and citizen.phone not in page
    assert "1990-03-07" in page and "Male" in page


def test_discarding_the_draft_starts_again(logged_in, fill):
    fill(logged_in, until="photo")
    logged_in.post(reverse("applications:apply_restart"))
    assert not ApplicationDraft.objects.exists()
    assert logged_in.get(reverse("applications:apply"))["Location"] == step_url("applicant")


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("applications:apply"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_staff_cannot_use_the_citizen_form(client, db):
    from sscard.accounts.models import User

    staff = User.objects.create_user(username="clerk", password="x-Strong-pass-1", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("applications:apply")).status_code == 302


def test_a_submission_overtaken_by_its_own_double_click_returns_the_application_made(logged_in, citizen, fill,
                                                                                    monkeypatch):
    """The other request (same token) commits between this one's token check and its one-card check."""
    from sscard.applications import drafts, selectors, services
    from sscard.reference import selectors as reference_selectors

    fill(logged_in)
    draft = ApplicationDraft.objects.get()
    fields = drafts.review(draft=draft, user=citizen, settings_row=reference_selectors.service_settings()).fields
    real = selectors.blocking_reason
    made = []

    def overtaken(id_number, *, user=None, **kwargs):
        monkeypatch.setattr(selectors, "blocking_reason", real)
        made.append(services.submit_application(user=citizen, token=draft.token, fields=fields).application)
        return real(id_number, user=user, **kwargs)

    monkeypatch.setattr(selectors, "blocking_reason", overtaken)
    submission = services.submit_application(user=citizen, token=draft.token, fields=fields)
    assert submission.application == made[0] and not submission.created
    assert Application.objects.count() == 1
