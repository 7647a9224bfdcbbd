import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from sscard.accounts.models import PopulationRecord, User
from sscard.audit.models import AuditEvent
from sscard.domain.idnumber import make_id_number

from .conftest import PASSWORD, last_code

URL = "/accounts/register"


def form_data(person, code="", **overrides):
    data = {"action": "register", "real_name": person["real_name"], "document_type": "resident_id",
            "id_number": person["id_number"], "phone": person["phone"], "sms_code": code,
            "password1": PASSWORD, "password2": PASSWORD, "accept_terms": "on"}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_newcomer_registers_with_sms_code_and_lands_in_personal_center(client, person, send_code):
    response = send_code(URL, person["phone"], real_name=person["real_name"], id_number=person["id_number"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "138****8000" in page and person["id_number"] in page  # refilled with what the person typed
    code = last_code(person["phone"])
    response = client.post(URL, form_data(person, code))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:space")
    user = User.objects.get(id_number=person["id_number"])
    assert user.phone == person["phone"] and user.real_name == "张三"
    assert user.terms_version and user.terms_accepted_at is not None
    assert user.password.startswith("argon2")
    assert AuditEvent.objects.filter(event_type="account.registered", subject_id=str(user.pk)).exists()
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 200
    assert reverse("applications:service") in home.content.decode()


@pytest.mark.django_db
def test_lower_case_x_is_accepted_and_stored_upper_case(client, send_code):
    number = "34052119800101007X"
    person = {"real_name": "王五", "id_number": number.lower(), "phone": "13700137000"}
    send_code(URL, person["phone"])
    response = client.post(URL, form_data(person, last_code(person["phone"])))
    assert response.status_code == 302
    assert User.objects.filter(id_number=number).exists()


BAD_IDS = [
    ("", "This field is required"),
    ("42010619900307", "18 characters"),
    ("4201061990030712A4", "characters"),
    ("360426199101010072", "does not match"),
    ("420106199002301234", "not a real date"),
    (make_id_number("420106", date(2090, 1, 1), 1), "future"),
    ("990106199003071236", "region"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("id_number", "fragment"), BAD_IDS)
def test_each_id_number_rule_has_its_own_message_and_creates_nothing(client, person, id_number, fragment):
    response = client.post(URL, form_data(person, "123456", id_number=id_number))
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "field", "fragment"), [
    ({"phone": "12345"}, "phone", "mobile"),
    ({"real_name": "Z3"}, "real_name", "identity document"),
    ({"password2": "Other-pass-2026"}, "password2", "not the same"),
    ({"password1": "abc", "password2": "abc"}, "password1", "too short"),
    ({"accept_terms": ""}, "accept_terms", "accept the terms"),
])
def test_bad_input_is_reported_next_to_its_field_and_creates_nothing(client, person, send_code, overrides, field,
                                                                     fragment):
    send_code(URL, person["phone"])
    response = client.post(URL, form_data(person, last_code(person["phone"]), **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert fragment in " ".join(errors[field])
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_password_may_not_contain_id_number_or_phone(client, person, send_code):
    send_code(URL, person["phone"])
    for password in (person["id_number"], "pw" + person["phone"]):
        response = client.post(URL, form_data(person, last_code(person["phone"]), password1=password,
                                              password2=password))
        assert "must not contain your ID number or mobile phone" in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_wrong_code_is_refused_and_counts_a_try(client, person, send_code):
    send_code(URL, person["phone"])
    right = last_code(person["phone"])
    wrong = "000000" if right != "000000" else "111111"
    response = client.post(URL, form_data(person, wrong))
    assert "4 more tries" in response.content.decode()
    assert User.objects.count() == 0
    # the right code still works afterwards
    assert client.post(URL, form_data(person, right)).status_code == 302


@pytest.mark.django_db
def test_one_account_per_id_number_and_per_phone_without_saying_whose(client, citizen, person, send_code):
    other_phone = "13600136000"
    send_code(URL, other_phone)
    response = client.post(URL, form_data(person, last_code(other_phone), phone=other_phone, real_name="赵六"))
    page = response.content.decode()
    assert "already exists" in page
    assert citizen.real_name not in page.replace('value="张三"', "")
    other_id = make_id_number("420102", date(1985, 1, 1), 11)
    send_code(URL, person["phone"])  # the phone in use is revealed only to whoever holds it (issue 9)
    response = client.post(URL, form_data({"real_name": "赵六", "id_number": other_id, "phone": person["phone"]},
                                          last_code(person["phone"])))
    assert "already used by another account" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_register_identity_provider_checks_name_against_population_register(client, person, send_code, settings):
    settings.IDENTITY_PROVIDER = "register"
    PopulationRecord.objects.create(id_number=person["id_number"], name="张三")
    send_code(URL, person["phone"])
    response = client.post(URL, form_data(person, last_code(person["phone"]), real_name="张四"))
    assert "do not match the population register" in response.content.decode()
    assert User.objects.count() == 0
    response = client.post(URL, form_data(person, last_code(person["phone"])))
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_registration_creates_one_account(person):
    client = Client()
    client.post(URL, {"action": "send_code", "phone": person["phone"]})
    data = form_data(person, last_code(person["phone"]))
    results = []
    barrier = threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            results.append(Client(HTTP_ACCEPT_LANGUAGE="en").post(URL, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 302]
    assert User.objects.filter(id_number=person["id_number"]).count() == 1
