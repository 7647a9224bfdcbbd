"""Every rule of the form: each bad input gets its message next to its field, all at once, nothing saved."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sscard.applications.models import Application, ApplicationDraft
from sscard.reference.models import ServiceSettings
from tests.applications.helpers import edit

from .conftest import PERSONAL, child_id, delivery_data, step_url

pytestmark = pytest.mark.django_db


def saved_step(step):
    draft = ApplicationDraft.objects.first()
    return draft.data.get(step) if draft else None


def errors_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_all_errors_of_a_step_are_shown_at_once_next_to_their_fields_with_a_summary(logged_in, fill):
    fill(logged_in, until="personal")
    response = logged_in.post(step_url("personal"), {**PERSONAL, "ethnicity": "99", "occupation": "",
                                                     "document_valid_until": "", "res_detail": ""})
    page = errors_of(response)
    assert 'id="error-summary"' in page
    for field in ("ethnicity", "occupation", "document_valid_until", "res_detail"):
        assert f'href="#id_{field}"' in page  # summary links to the field
        assert f'id="id_{field}_errors"' in page  # error next to the field
        assert f'aria-describedby="id_{field}_errors"' in page or f'id_{field}_errors"' in page
    assert "Enter the date the ID document is valid until" in page
    assert saved_step("personal") is None


@pytest.mark.parametrize("changes, field, message", [
    ({"document_valid_until": "2020-01-01"}, "document_valid_until", "The ID document expired on 2020-01-01"),
    ({"document_long_term": "on"}, "document_valid_until", "either an end date or long-term validity"),
    ({"document_valid_until": "not a date"}, "document_valid_until", "Enter the date as YYYY-MM-DD"),
    ({"nationality": "XXX"}, "nationality", "Select a valid choice"),
    ({"res_city": "110100"}, "res_city", "This city is not in the chosen province."),
    ({"res_district": "420502"}, "res_district", "This district is not in the chosen city."),
    ({"res_district": ""}, "res_district", "Choose the district or county."),
    ({"res_province": "110000", "res_city": "110100", "res_district": "420106"}, "res_district",
     "Districts are listed for Hubei only"),
    ({"res_detail": "x"}, "res_detail", "at least 4 characters"),
])
def test_personal_details_rules(logged_in, fill, changes, field, message):
    fill(logged_in, until="personal")
    page = errors_of(logged_in.post(step_url("personal"), {**PERSONAL, **changes}))
    assert message in page
    assert f'id="id_{field}_errors"' in page
    assert saved_step("personal") is None


def test_long_term_validity_and_an_address_outside_hubei_are_accepted(logged_in, fill):
    fill(logged_in, until="personal")
    response = logged_in.post(step_url("personal"), {
        **PERSONAL, "document_valid_until": "", "document_long_term": "on", "res_province": "110000",
        "res_city": "110100", "res_district": "", "res_detail": "东城区某街 1 号"})
    assert response.status_code == 302
    assert saved_step("personal")["res_city"] == "110100"


def test_a_document_valid_until_today_is_not_expired(logged_in, fill):
    fill(logged_in, until="personal")
    today = timezone.localdate().isoformat()
    assert logged_in.post(step_url("personal"), {**PERSONAL, "document_valid_until": today}).status_code == 302


@pytest.mark.parametrize("changes, field, message", [
    ({"delivery": "pickup", "outlet": ""}, "outlet", "Choose the outlet where you will pick up the card."),
    ({"delivery": "post"}, "recipient_name", "This field is required for delivery by post."),
    ({"delivery": "post", "recipient_name": "李四", "recipient_phone": "12345", "post_province": "420000",
      "post_city": "420100", "post_district": "420106", "post_detail": "中北路 1 号"},
     "recipient_phone", "mobile"),
    ({"delivery": "post", "recipient_name": "李四1", "recipient_phone": "13900139000", "post_province": "420000",
      "post_city": "420100", "post_district": "420106", "post_detail": "中北路 1 号"},
     "recipient_name", "Enter the name as written on the identity document."),
    ({"bank": ""}, "bank", "This field is required."),
    ({"delivery": "drone"}, "delivery", "Select a valid choice"),
])
def test_bank_and_delivery_rules(logged_in, fill, changes, field, message):
    fill(logged_in, until="delivery")
    page = errors_of(logged_in.post(step_url("delivery"), delivery_data(**changes)))
    assert message.lower() in page.lower()
    assert f'id="id_{field}_errors"' in page
    assert saved_step("delivery") is None


def test_post_delivery_needs_every_address_field_at_once(logged_in, fill):
    fill(logged_in, until="delivery")
    page = errors_of(logged_in.post(step_url("delivery"), delivery_data(delivery="post", outlet="")))
    for field in ("recipient_name", "recipient_phone", "post_province", "post_city", "post_detail"):
        assert f'id="id_{field}_errors"' in page


def test_delivery_by_post_is_stored(logged_in, fill, submit):
    fill(logged_in, delivery=delivery_data(delivery="post", outlet="", recipient_name="李四",
                                           recipient_phone="139 0013 9000", post_province="420000",
                                           post_city="420100", post_district="420106", post_detail="中北路 1 号"))
    submit(logged_in)
    application = Application.objects.get()
    assert application.delivery == "post" and application.outlet is None
    assert application.recipient_phone == "13900139000"


def test_an_inactive_bank_cannot_be_chosen(logged_in, fill):
    from sscard.reference.models import PartnerBank

    fill(logged_in, until="delivery")
    bank = PartnerBank.objects.get(code="icbc")
    bank.active = False
    bank.save()
    page = errors_of(logged_in.post(step_url("delivery"), delivery_data()))
    assert 'id="id_bank_errors"' in page


# --- Who the card is for ------------------------------------------------------------------------------------

def test_a_guardian_applies_for_a_young_child_without_a_photo(logged_in, fill, submit, citizen):
    kid = child_id(date.today() - timedelta(days=3 * 365))
    fill(logged_in, applicant={"applying_for": "child", "child_name": "张小明", "child_id_number": kid,
                               "relationship": "parent"}, photo=False)
    submit(logged_in)
    application = Application.objects.get()
    assert application.for_child and application.relationship == "parent"
    assert application.subject_id_number == kid and application.subject_name == "张小明"
    assert application.applicant == citizen and application.photo == ""


def test_a_child_from_seven_needs_a_photo(logged_in, fill):
    kid = child_id(date.today() - timedelta(days=10 * 365), seq=203)
    fill(logged_in, applicant={"applying_for": "child", "child_name": "张小明", "child_id_number": kid,
                               "relationship": "parent"}, until="photo")
    page = errors_of(logged_in.post(step_url("photo"), {"action": "continue"}))
    assert "Please choose a photo file." in page
    assert ApplicationDraft.objects.get().step == "photo"


def test_the_photo_age_threshold_is_configurable(logged_in, fill):
    edit(ServiceSettings.load(), photo_required_age=12)
    kid = child_id(date.today() - timedelta(days=10 * 365), seq=205)
    fill(logged_in, applicant={"applying_for": "child", "child_name": "张小明", "child_id_number": kid,
                               "relationship": "parent"}, photo=False)
    assert ApplicationDraft.objects.get().step == "confirm"


@pytest.mark.parametrize("data, field, message", [
    ({"child_name": "", "child_id_number": "", "relationship": ""}, "child_name",
     "This field is required when applying for a child."),
    ({"child_id_number": "360426199101010072"}, "child_id_number", "does not match the others"),
    ({"child_id_number": "12345"}, "child_id_number", "18 characters"),
    ({"child_id_number": child_id(date(2000, 1, 1))}, "child_id_number", "Only children under 16"),
    ({"relationship": "stranger"}, "relationship", "Select a valid choice"),
    ({"child_name": "Ab3"}, "child_name", "Enter the name as written"),
])
def test_child_rules(logged_in, data, field, message):
    post = {"applying_for": "child", "child_name": "张小明", "child_id_number": child_id(date(2020, 1, 1)),
            "relationship": "parent", **data}
    page = errors_of(logged_in.post(step_url("applicant"), post))
    assert message in page
    assert f'id="id_{field}_errors"' in page
    assert saved_step("applicant") is None


def test_the_guardian_age_is_configurable(logged_in):
    edit(ServiceSettings.load(), guardian_age=18)
    post = {"applying_for": "child", "child_name": "张小明", "child_id_number": child_id(date.today().replace(
        year=date.today().year - 17) - timedelta(days=2)), "relationship": "parent"}
    assert logged_in.post(step_url("applicant"), post).status_code == 302


def test_ones_own_id_number_is_not_a_child(logged_in, citizen):
    post = {"applying_for": "child", "child_name": "张小明", "child_id_number": citizen.id_number,
            "relationship": "parent"}
    page = errors_of(logged_in.post(step_url("applicant"), post))
    assert "This is your own ID number." in page


def test_a_minor_cannot_apply_for_themselves(client, make_citizen):
    teen = make_citizen(birth=date.today().replace(year=date.today().year - 12))
    client.force_login(teen)
    page = errors_of(client.post(step_url("applicant"), {"applying_for": "self"}))
    assert "People under 16 are applied for by a parent or guardian" in page


# --- One person, one card -----------------------------------------------------------------------------------

def test_no_second_application_while_one_is_in_progress(logged_in, fill, submit):
    fill(logged_in)
    submit(logged_in)
    code = Application.objects.get().display_code
    page = errors_of(logged_in.post(step_url("applicant"), {"applying_for": "self"}))
    assert "You already have a card application in progress" in page and code in page
    assert "Follow or withdraw the application in progress" in page
    assert Application.objects.count() == 1


def test_no_new_application_for_a_person_who_holds_a_card(logged_in, fill, submit):
    fill(logged_in)
    submit(logged_in)
    Application.objects.update(state="collected")
    page = errors_of(logged_in.post(step_url("applicant"), {"applying_for": "self"}))
    assert "already has a social security card" in page
    assert "report the loss" in page


def test_a_withdrawn_application_does_not_block(logged_in, fill, submit):
    fill(logged_in)
    submit(logged_in)
    Application.objects.update(state="withdrawn")
    assert logged_in.post(step_url("applicant"), {"applying_for": "self"}).status_code == 302


def test_another_guardians_application_for_the_same_child_blocks_without_revealing_it(
        client, make_citizen, fill, submit):
    kid = child_id(date(2021, 1, 1), seq=207)
    applicant = {"applying_for": "child", "child_name": "张小明", "child_id_number": kid, "relationship": "parent"}
    mother, father = make_citizen(name="李梅"), make_citizen(name="张伟")
    client.force_login(mother)
    fill(client, applicant=applicant, photo=False)
    submit(client)
    code = Application.objects.get().display_code
    client.force_login(father)
    page = errors_of(client.post(step_url("applicant"), applicant))
    assert "A card application for this person is already in progress" in page
    assert code not in page


def test_the_rule_is_checked_again_at_submission(client, make_citizen, fill, submit):
    """Two guardians fill in the form for the same child; the second submission is refused."""
    kid = child_id(date(2021, 1, 1), seq=209)
    applicant = {"applying_for": "child", "child_name": "张小明", "child_id_number": kid, "relationship": "parent"}
    mother, father = make_citizen(name="李梅"), make_citizen(name="张伟")
    from django.test import Client

    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(mother)
    other.force_login(father)
    fill(client, applicant=applicant, photo=False)
    fill(other, applicant=applicant, photo=False)
    submit(client)
    response = submit(other)
    assert response.status_code == 302 and response["Location"] == step_url("applicant") + "?check=1"
    page = other.get(response["Location"]).content.decode()
    assert "A card application for this person is already in progress" in page
    assert Application.objects.count() == 1
