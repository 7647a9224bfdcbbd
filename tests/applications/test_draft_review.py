"""The confirmation page and the submission use the values kept when each step was validated, and check
again only what may have changed since: the applicant step (account, date, settings, one person one card),
the document's validity, the bank and the outlet, the photo requirement."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sscard.applications import forms, services
from sscard.applications.models import Application, ApplicationDraft
from sscard.reference.models import Outlet, PartnerBank, ServiceSettings
from tests.applications.helpers import edit

from .conftest import delivery_data, step_url

pytestmark = pytest.mark.django_db


def _refuse_validation(monkeypatch):
    def refuse(self):
        raise AssertionError(f"{type(self).__name__} validated again")

    monkeypatch.setattr(forms.PersonalForm, "full_clean", refuse)
    monkeypatch.setattr(forms.DeliveryForm, "full_clean", refuse)


def _sent_to(response, step):
    assert response.status_code == 302
    assert response["Location"] == step_url(step) + "?check=1"
    assert ApplicationDraft.objects.get().step == step


def test_the_draft_keeps_the_validated_values_of_the_personal_and_delivery_steps(logged_in, fill):
    fill(logged_in)
    draft = ApplicationDraft.objects.get()
    personal = services.kept_values(draft, "personal")
    delivery = services.kept_values(draft, "delivery")
    assert personal["document_valid_until"] == "2035-01-01" and personal["res_district"] == "420106"
    assert delivery["bank"] == PartnerBank.objects.get(code="icbc").pk and delivery["delivery"] == "pickup"
    assert delivery["outlet"] == Outlet.objects.first().pk
    assert services.kept_values(draft, "applicant") is None  # checked again as a whole


def test_confirmation_and_submission_do_not_validate_the_kept_steps_again(logged_in, fill, submit, monkeypatch):
    fill(logged_in)
    _refuse_validation(monkeypatch)
    page = logged_in.get(step_url("confirm")).content.decode()
    assert "中北路 100 号 1 栋 101 室" in page and "2035-01-01" in page
    response = submit(logged_in)
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:done", args=[application.office_code])
    assert application.res_detail == "中北路 100 号 1 栋 101 室" and str(application.document_valid_until) == "2035-01-01"
    assert application.bank.code == "icbc" and application.outlet == Outlet.objects.first()


def test_posting_a_step_again_replaces_its_kept_values(logged_in, fill, submit):
    fill(logged_in)
    other = PartnerBank.objects.exclude(code="icbc").filter(active=True).first()
    logged_in.post(step_url("delivery"), delivery_data(bank=str(other.pk)))
    assert ApplicationDraft.objects.get().step == "confirm"  # a step done again keeps the progress
    submit(logged_in)
    assert Application.objects.get().bank == other


@pytest.mark.parametrize("when", ["confirm", "submit"])
def test_a_bank_made_inactive_meanwhile_is_refused(logged_in, fill, submit, when):
    fill(logged_in)
    edit(PartnerBank.objects.get(code="icbc"), active=False)
    response = logged_in.get(step_url("confirm")) if when == "confirm" else submit(logged_in)
    _sent_to(response, "delivery")
    page = logged_in.get(response["Location"]).content.decode()
    assert "Some answers need your attention before you can submit." in page
    assert 'id="id_bank_errors"' in page
    assert Application.objects.count() == 0


@pytest.mark.parametrize("when", ["confirm", "submit"])
def test_an_outlet_closed_meanwhile_is_refused(logged_in, fill, submit, when):
    fill(logged_in)
    edit(Outlet.objects.first(), active=False)
    response = logged_in.get(step_url("confirm")) if when == "confirm" else submit(logged_in)
    _sent_to(response, "delivery")
    assert 'id="id_outlet_errors"' in logged_in.get(response["Location"]).content.decode()
    assert Application.objects.count() == 0


def _age_the_document(days_past):
    """As if the date moved on past the document's end date since the personal step was validated."""
    draft = ApplicationDraft.objects.get()
    until = (timezone.localdate() - timedelta(days=days_past)).isoformat()
    kept = draft.data[services.KEPT]
    kept["personal"]["values"]["document_valid_until"] = until
    draft.data["personal"]["document_valid_until"] = until
    draft.save()
    return until


@pytest.mark.parametrize("when", ["confirm", "submit"])
def test_a_document_expired_since_the_personal_step_is_refused(logged_in, fill, submit, when):
    fill(logged_in)
    until = _age_the_document(1)
    response = logged_in.get(step_url("confirm")) if when == "confirm" else submit(logged_in)
    _sent_to(response, "personal")
    assert f"The ID document expired on {until}" in logged_in.get(response["Location"]).content.decode()
    assert Application.objects.count() == 0


def test_a_person_who_got_an_application_meanwhile_is_sent_to_the_applicant_step(logged_in, citizen, fill,
                                                                                 submit):
    fill(logged_in)
    # Another application for the same person (say, made at a counter) is now in progress.
    from sscard.accounts.models import User

    clerk_made = User.objects.create_user(username="counter", password="x-Strong-pass-1", real_name="柜台")
    kept = ApplicationDraft.objects.get()
    Application.objects.create(
        office_code="K7QMX3P9C4R", applicant=clerk_made, idempotency_key="6f1c5c9e-2d7e-4a43-9d77-1d2f64b0c111",
        subject_name=citizen.real_name, subject_id_number=citizen.id_number, subject_sex="M",
        subject_birth_date="1990-03-07", ethnicity="01", nationality="CHN", document_long_term=True, occupation="2",
        res_province="420000", res_city="420100", res_district="420106", res_detail="x",
        bank=PartnerBank.objects.get(code="icbc"), delivery="pickup", outlet=Outlet.objects.first(),
        declared_at=timezone.now(), submitted_at=timezone.now(), expected_completion=timezone.localdate())
    _sent_to(logged_in.get(step_url("confirm")), "applicant")
    ApplicationDraft.objects.filter(pk=kept.pk).update(step="confirm")
    response = submit(logged_in)
    _sent_to(response, "applicant")
    page = logged_in.get(response["Location"]).content.decode()
    assert "A card application for this person is already in progress" in page
    assert Application.objects.count() == 1


def test_a_lower_photo_age_set_meanwhile_asks_for_a_photo(logged_in, fill, submit):
    from datetime import date

    from .conftest import child_id

    kid = child_id(date.today() - timedelta(days=5 * 365), seq=213)
    fill(logged_in, applicant={"applying_for": "child", "child_name": "张小明", "child_id_number": kid,
                               "relationship": "parent"}, photo=False)
    edit(ServiceSettings.load(), photo_required_age=3)
    _sent_to(submit(logged_in), "photo")
    assert Application.objects.count() == 0


def test_a_draft_saved_before_values_were_kept_is_validated_again(logged_in, fill, submit):
    fill(logged_in)
    draft = ApplicationDraft.objects.get()
    del draft.data[services.KEPT]
    draft.save()
    assert logged_in.get(step_url("confirm")).status_code == 200
    submit(logged_in)
    application = Application.objects.get()
    assert application.res_district == "420106" and application.bank.code == "icbc"


def test_a_draft_saved_before_values_were_kept_with_an_answer_no_longer_valid_is_sent_to_its_step(logged_in,
                                                                                                  fill):
    fill(logged_in)
    draft = ApplicationDraft.objects.get()
    del draft.data[services.KEPT]
    draft.data["personal"]["document_valid_until"] = (timezone.localdate() - timedelta(days=3)).isoformat()
    draft.save()
    _sent_to(logged_in.get(step_url("confirm")), "personal")
