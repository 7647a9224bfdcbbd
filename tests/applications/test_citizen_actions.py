"""My applications, withdrawal, correction and resubmission; nobody sees another person's application."""

import pytest
from django.test import Client
from django.urls import reverse

from sscard.applications import services
from sscard.applications.models import Application, CorrectionItem, StatusChange
from tests.applications.helpers import edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(logged_in, fill, submit):
    fill(logged_in)
    submit(logged_in)
    return Application.objects.get()


@pytest.fixture
def stranger(make_citizen):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(make_citizen(name="王五"))
    return c


def test_my_applications_lists_each_with_its_plain_stage_and_timeline(logged_in, application):
    services.change_state(application=application, to_state="under_review", role="reviewer",
                          note="Checked by the reviewer")
    page = logged_in.get(reverse("applications:mine")).content.decode()
    assert application.display_code in page
    assert "Being reviewed" in page  # plain stage
    assert "Submitted" in page and "Under review" in page  # timeline stages
    assert "Checked by the reviewer" in page  # note


@pytest.mark.parametrize("name", ["detail", "done", "receipt", "photo", "withdraw", "correct"])
def test_another_persons_application_is_never_visible(stranger, application, name):
    response = stranger.get(reverse(f"applications:{name}", args=[application.office_code]))
    assert response.status_code == 404
    assert application.display_code not in stranger.get(reverse("applications:mine")).content.decode()


def test_another_person_cannot_withdraw(stranger, application):
    stranger.post(reverse("applications:withdraw", args=[application.office_code]), {"confirm": "on"})
    application.refresh_from_db()
    assert application.state == "submitted"


def test_withdraw_before_production(logged_in, application, citizen):
    url = reverse("applications:withdraw", args=[application.office_code])
    page = logged_in.post(url, {}).content.decode()
    assert "Tick the box to confirm the withdrawal." in page
    application.refresh_from_db()
    assert application.state == "submitted"
    response = logged_in.post(url, {"confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "withdrawn"
    change = application.changes.last()
    assert change.to_state == "withdrawn" and change.actor == citizen and change.role == "citizen"
    from sscard.audit.models import AuditEvent

    assert AuditEvent.objects.filter(event_type="card_application.withdrawn",
                                     subject_id=application.office_code).exists()


def test_no_withdrawal_once_production_started(logged_in, application):
    for state, role in (("under_review", "reviewer"), ("bank_preopening", "reviewer"), ("in_production", "system")):
        services.change_state(application=application, to_state=state, role=role)
    detail = logged_in.get(reverse("applications:detail", args=[application.office_code])).content.decode()
    assert "Withdraw the application" not in detail
    logged_in.post(reverse("applications:withdraw", args=[application.office_code]), {"confirm": "on"})
    application.refresh_from_db()
    assert application.state == "in_production"


def test_an_impossible_change_writes_nothing(application):
    from sscard.audit.models import AuditEvent

    before = (StatusChange.objects.count(), AuditEvent.objects.count())
    with pytest.raises(services.ApplicationError):
        services.change_state(application=application, to_state="collected", role="clerk")
    with pytest.raises(services.ApplicationError):
        services.change_state(application=application, to_state="under_review", role="citizen")
    application.refresh_from_db()
    assert application.state == "submitted"
    assert (StatusChange.objects.count(), AuditEvent.objects.count()) == before


def test_citizens_are_notified_only_of_stages_configured_to_notify(application, citizen):
    from sscard.notify.models import Message
    from sscard.reference.models import Stage

    before = Message.objects.filter(user=citizen).count()
    services.change_state(application=application, to_state="under_review", role="reviewer")
    assert Message.objects.filter(user=citizen).count() == before  # under_review: notify_citizen off
    edit(Stage.objects.get(code="bank_preopening"), notify_citizen=True)
    services.change_state(application=application, to_state="bank_preopening", role="reviewer")
    assert Message.objects.filter(user=citizen).count() == before + 1


def _return(application, reviewer=None):
    services.change_state(application=application, to_state="under_review", role="reviewer")
    return services.return_for_correction(application=application, actor=reviewer, problems=[
        ("photo", "The photo is blurred."),
        ("address", "The building number is missing."),
    ])


def test_returned_application_lists_every_problem_at_once(logged_in, application):
    _return(application)
    detail = logged_in.get(reverse("applications:detail", args=[application.office_code])).content.decode()
    assert "The photo is blurred." in detail and "The building number is missing." in detail
    assert "Your action is needed" in detail
    page = logged_in.get(reverse("applications:correct", args=[application.office_code])).content.decode()
    assert "The photo is blurred." in page and "The building number is missing." in page


def test_return_needs_at_least_one_problem(application):
    services.change_state(application=application, to_state="under_review", role="reviewer")
    with pytest.raises(services.ApplicationError):
        services.return_for_correction(application=application, actor=None, problems=[("photo", "  ")])
    application.refresh_from_db()
    assert application.state == "under_review"


def _correction_post(application, **changes):
    from .conftest import photo_file

    data = {
        "p-ethnicity": application.ethnicity, "p-nationality": application.nationality,
        "p-document_valid_until": application.document_valid_until.isoformat(), "p-occupation": application.occupation,
        "p-res_province": application.res_province, "p-res_city": application.res_city,
        "p-res_district": application.res_district, "p-res_detail": "中北路 100 号 1 栋 1 单元 101 室",
        "d-bank": str(application.bank_id), "d-delivery": "pickup", "d-outlet": str(application.outlet_id),
        "f-photo": photo_file(),
    }
    data.update(changes)
    return data


def test_correct_and_resubmit_under_the_same_office_code(logged_in, application, citizen, private_media):
    _return(application)
    old_photo = application.photo
    code = application.office_code
    originals = private_media / "applications" / "originals"
    before = sorted(originals.iterdir()) if originals.exists() else []
    response = logged_in.post(reverse("applications:correct", args=[code]), _correction_post(application))
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.office_code == code and application.state == "resubmitted"
    assert application.res_detail == "中北路 100 号 1 栋 1 单元 101 室"
    assert application.photo != old_photo
    # Only the new card photo is kept: an application keeps no uploaded original (docs/photos.md).
    assert application.photo_original == ""
    assert (sorted(originals.iterdir()) if originals.exists() else []) == before
    assert not CorrectionItem.objects.filter(resolved_at__isnull=True).exists()
    assert list(application.changes.values_list("to_state", flat=True)) == [
        "submitted", "under_review", "returned", "resubmitted"]
    assert Application.objects.count() == 1
    # The reviewer can take it up again.
    services.change_state(application=application, to_state="under_review", role="reviewer")


def test_corrections_are_validated_all_at_once_and_nothing_is_saved(logged_in, application):
    _return(application)
    data = _correction_post(application, **{"p-document_valid_until": "2001-01-01", "p-res_detail": "",
                                            "d-outlet": ""})
    del data["f-photo"]
    response = logged_in.post(reverse("applications:correct", args=[application.office_code]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The ID document expired on 2001-01-01" in page
    assert "Choose the outlet where you will pick up the card." in page
    assert "Please choose a photo file." in page  # the photo was flagged
    assert 'id="error-summary"' in page
    application.refresh_from_db()
    assert application.state == "returned"


def test_bank_failed_applications_are_corrected_and_resubmitted(logged_in, application):
    from sscard.reference.models import PartnerBank

    for state, role in (("under_review", "reviewer"), ("bank_preopening", "reviewer"), ("bank_failed", "system")):
        services.change_state(application=application, to_state=state, role=role)
    other_bank = PartnerBank.objects.get(code="boc")
    data = _correction_post(application, **{"d-bank": str(other_bank.pk)})
    del data["f-photo"]
    response = logged_in.post(reverse("applications:correct", args=[application.office_code]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "resubmitted" and application.bank == other_bank


def test_nothing_to_correct_redirects(logged_in, application):
    response = logged_in.get(reverse("applications:correct", args=[application.office_code]))
    assert response.status_code == 302


def test_the_receipt_is_a_pdf_with_the_office_code_in_chinese(logged_in, application, tmp_path):
    import shutil
    import subprocess

    response = logged_in.get(reverse("applications:receipt", args=[application.office_code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert application.display_code in text
    assert "社会保障卡申领回执" in text and "办件码" in text
    assert application.subject_id_number not in text  # masked
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded
