"""Issue 9: no answer of the account pages may depend on an account's data before its secret is verified.

Each test compares what a stranger sees (status code and the messages next to each field) for a registered
phone / ID number and for an unknown one, or for guesses of the owner's data and unrelated input. The
expected answers are written out by hand.
"""

import json
from datetime import date

import pytest
from django.test import Client

from sscard.accounts import services
from sscard.accounts.models import User
from sscard.audit.models import AuditEvent
from sscard.domain.idnumber import make_id_number
from sscard.notify.models import Message, OutboxSms

from .conftest import PASSWORD, last_code

RESET = "/accounts/password-reset"
REGISTER = "/accounts/register"
SMS_LOGIN = "/accounts/login/sms"
UNKNOWN_PHONE = "13311112222"

REQUIRED = "This field is required."
NEVER_SENT = "The code has expired or was never sent. Ask for a new code."
TRIES_LEFT_4 = "The code is wrong. You have 4 more tries."
TRIES_LEFT_3 = "The code is wrong. You have 3 more tries."
ALREADY_PHONE = ("This mobile number is already used by another account. Log in with it, or use another "
                 "number.")
RESETS_LIMITED = ("Too many failed attempts to reset a password. Try again in an hour, or come to a "
                  "service counter.")


def answer(response, form: str = "form") -> tuple[int, dict]:
    """What the person sees: the status and the messages per field ("__all__" for the whole form)."""
    form = response.context[form]
    return response.status_code, {field: list(messages) for field, messages in form.errors.items()}


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def guesses(person) -> dict[str, str]:
    """Passwords a stranger would try to learn the owner's ID number or name, and an unrelated one."""
    return {
        "full ID number": person["id_number"],
        "8 digits of the ID number": "Aa" + person["id_number"][6:14],
        "last 6 of the ID number": person["id_number"][-6:],
        "the name": person["real_name"],
        "the name and digits": person["real_name"] + "12",
        "the phone": "pw" + person["phone"],
        "unrelated": "Unrelated-pass-77",
        "unrelated short": "李四12",
    }


def post_reset(client, phone, code, password):
    return client.post(RESET, {"action": "reset", "phone": phone, "sms_code": code,
                               "password1": password, "password2": password})


# --- 1. Password reset is no oracle for the owner's ID number or name ----------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(("code", "expected"), [
    ("", (200, {"sms_code": [REQUIRED]})),
    ("000000", (200, {"sms_code": [NEVER_SENT]})),
])
def test_reset_without_a_valid_code_answers_alike_whatever_the_password_and_phone(client, citizen, person, code,
                                                                                 expected):
    for phone in (citizen.phone, UNKNOWN_PHONE):
        for label, password in guesses(person).items():
            assert answer(post_reset(client, phone, code, password)) == expected, (phone, label)
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


@pytest.mark.django_db
def test_reset_with_a_wrong_code_answers_alike_for_registered_and_unknown_phones(client, citizen, person,
                                                                                 send_code):
    for phone in (citizen.phone, UNKNOWN_PHONE):
        send_code(RESET, phone)
    bad = wrong(last_code(citizen.phone))
    for phone in (citizen.phone, UNKNOWN_PHONE):
        # the owner's ID number as the guess, then an unrelated password: only the code is talked about
        assert answer(post_reset(client, phone, bad, person["id_number"])) == (200, {"sms_code": [TRIES_LEFT_4]})
        assert answer(post_reset(client, phone, bad, "Unrelated-pass-77")) == (200, {"sms_code": [TRIES_LEFT_3]})
    assert not OutboxSms.objects.filter(phone=UNKNOWN_PHONE).exists()


@pytest.mark.django_db
def test_after_the_right_code_the_password_rules_apply_and_the_code_stays_usable(client, citizen, send_code):
    send_code(RESET, citizen.phone)
    code = last_code(citizen.phone)
    status, errors = answer(post_reset(client, citizen.phone, code, citizen.id_number))
    assert status == 200 and list(errors) == ["password1"]
    assert "must not contain your ID number or mobile phone" in " ".join(errors["password1"])
    response = post_reset(client, citizen.phone, code, "Brand-new-pass-9")  # corrected, with the same code
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("Brand-new-pass-9")
    assert post_reset(client, citizen.phone, code, "Another-pass-9").status_code == 200  # the code is used up


@pytest.mark.django_db
def test_failed_resets_are_limited_per_phone_alike_for_registered_and_unknown_phones(client, citizen, settings,
                                                                                     send_code):
    settings.PASSWORD_RESET_PHONE_FAILURE_LIMIT = 3
    for phone in (citizen.phone, UNKNOWN_PHONE):
        send_code(RESET, phone)
    right = last_code(citizen.phone)
    for phone in (citizen.phone, UNKNOWN_PHONE):
        for _ in range(3):
            post_reset(client, phone, wrong(right), "Brand-new-pass-9")
        assert answer(post_reset(client, phone, wrong(right), "Brand-new-pass-9")) == (
            200, {"__all__": [RESETS_LIMITED]})
    # even the right code is refused while the phone is limited
    assert answer(post_reset(client, citizen.phone, right, "Brand-new-pass-9")) == (200, {"__all__": [RESETS_LIMITED]})
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)
    failed = AuditEvent.objects.filter(event_type="account.password_reset_failed")
    assert failed.count() == 6
    assert {event.data["phone"] for event in failed} == {"138****8000", "133****2222"}
    tripped = AuditEvent.objects.filter(event_type="limit.tripped", subject_id="reset_phone")
    assert tripped.count() == 2  # once per phone and window, not once per refused request
    for event in [*failed, *tripped]:
        text = json.dumps(event.data) + event.subject_id
        assert citizen.phone not in text and UNKNOWN_PHONE not in text and "127.0.0.1" not in text


@pytest.mark.django_db
def test_failed_resets_are_limited_per_client(citizen, settings):
    settings.PASSWORD_RESET_CLIENT_FAILURE_LIMIT = 2
    stranger = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.0.0.7")
    for phone in ("13311112222", "13311113333"):
        assert answer(post_reset(stranger, phone, "000000", "Brand-new-pass-9")) == (200, {"sms_code": [NEVER_SENT]})
    assert answer(post_reset(stranger, citizen.phone, "000000", "Brand-new-pass-9")) == (
        200, {"__all__": [RESETS_LIMITED]})
    other = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.0.0.8")
    assert answer(post_reset(other, citizen.phone, "000000", "Brand-new-pass-9")) == (200, {"sms_code": [NEVER_SENT]})


# --- 2. Which ID numbers and phones have accounts cannot be listed ---------------------------------------------

def registration(person, code, **overrides):
    data = {"action": "register", "real_name": person["real_name"], "document_type": "resident_id",
            "id_number": person["id_number"], "phone": person["phone"], "sms_code": code,
            "password1": PASSWORD, "password2": PASSWORD, "accept_terms": "on"}
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "expected"), [
    ("", (200, {"sms_code": [REQUIRED]})),
    ("000000", (200, {"sms_code": [NEVER_SENT]})),
])
def test_registration_without_a_valid_code_does_not_say_whether_id_number_or_phone_is_taken(client, citizen, person,
                                                                                            code, expected):
    fresh_id = make_id_number("420102", date(1985, 1, 1), 11)
    cases = {
        "taken ID number and phone": registration(person, code),
        "taken ID number, new phone": registration(person, code, phone="13911112222", real_name="赵六"),
        "new ID number, taken phone": registration(person, code, id_number=fresh_id, real_name="赵六"),
        "new ID number and phone": registration(person, code, id_number=fresh_id, phone="13911112222",
                                                real_name="赵六"),
        "password is the owner's ID number": registration(person, code, phone="13911112222",
                                                          password1=person["id_number"],
                                                          password2=person["id_number"]),
    }
    for label, data in cases.items():
        assert answer(client.post(REGISTER, data)) == expected, label
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_registration_with_a_taken_id_number_after_the_code_sends_to_a_counter_and_tells_the_owner(
        client, citizen, person, send_code, django_capture_on_commit_callbacks):
    newcomer = "13911112222"
    send_code(REGISTER, newcomer)
    code = last_code(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, registration(person, code, phone=newcomer, real_name="赵六"))
    status, errors = answer(response)
    assert status == 200 and list(errors) == ["id_number"]
    message = " ".join(errors["id_number"])
    assert "already exists" in message and "service counter" in message and "ID card" in message
    assert User.objects.count() == 1
    # the owner is told by SMS and in-site message, with masked data only
    sms = OutboxSms.objects.filter(phone=citizen.phone).get()
    assert "420106********" in sms.text and "139****2222" in sms.text
    assert citizen.id_number not in sms.text and newcomer not in sms.text
    notice = Message.objects.filter(user=citizen).order_by("-id").first()
    assert citizen.id_number not in str(notice.body) and newcomer not in str(notice.body)
    event = AuditEvent.objects.get(event_type="account.registration_id_taken")
    assert citizen.id_number not in json.dumps(event.data) and newcomer not in json.dumps(event.data)
    # the code is used up: a second try with it learns nothing and sends the owner nothing more
    assert answer(client.post(REGISTER, registration(person, code, phone=newcomer, real_name="赵六"))) == (
        200, {"sms_code": [NEVER_SENT]})
    assert OutboxSms.objects.filter(phone=citizen.phone).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("sent", [False, True])
def test_sms_login_answers_alike_for_registered_and_unknown_phones(client, citizen, send_code, sent):
    if sent:
        for phone in (citizen.phone, UNKNOWN_PHONE):
            send_code(SMS_LOGIN, phone)
    bad = wrong(last_code(citizen.phone)) if sent else "000000"
    answers = {phone: answer(client.post(SMS_LOGIN, {"action": "login", "phone": phone, "sms_code": bad}),
                          "sms_form")
               for phone in (citizen.phone, UNKNOWN_PHONE)}
    expected = (200, {"sms_code": [TRIES_LEFT_4 if sent else NEVER_SENT]})
    assert answers == {citizen.phone: expected, UNKNOWN_PHONE: expected}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [SMS_LOGIN, RESET])
def test_send_code_answers_and_limits_alike_for_registered_and_unknown_phones(client, citizen, send_code, url):
    def seen(response):
        page = response.content.decode()
        return (response.status_code,
                "A verification code was sent to" in page,
                "less than a minute ago" in page)

    first = {phone: seen(send_code(url, phone)) for phone in (citizen.phone, UNKNOWN_PHONE)}
    again = {phone: seen(send_code(url, phone)) for phone in (citizen.phone, UNKNOWN_PHONE)}
    assert first == {citizen.phone: (200, True, False), UNKNOWN_PHONE: (200, True, False)}
    assert again == {citizen.phone: (200, False, True), UNKNOWN_PHONE: (200, False, True)}


@pytest.mark.django_db
def test_phone_change_says_the_new_number_is_taken_only_after_its_code(client, citizen, send_code):
    other = services.create_citizen(real_name="李四", document_type="resident_id",
                                    id_number=make_id_number("420102", date(1985, 1, 1), 11), phone="13911112222",
                                    password=PASSWORD, channel="test")
    client.force_login(citizen, backend="sscard.accounts.backends.CitizenBackend")
    url = "/accounts/profile/phone"
    for phone in (other.phone, "13922223333"):  # taken, free
        data = {"action": "change", "phone": phone, "sms_code": "000000", "password": PASSWORD}
        assert answer(client.post(url, data)) == (200, {"sms_code": [NEVER_SENT]}), phone
    send_code(url, other.phone)
    data = {"action": "change", "phone": other.phone, "sms_code": last_code(other.phone), "password": PASSWORD}
    assert answer(client.post(url, data)) == (200, {"phone": [ALREADY_PHONE]})
    citizen.refresh_from_db()
    assert citizen.phone == "13800138000"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [SMS_LOGIN, RESET])
def test_send_code_does_the_same_work_in_the_request_for_registered_and_unknown_phones(
        client, citizen, url, django_capture_on_commit_callbacks):
    """Timing: the request writes one code row and queues one task either way; only the task (on a worker)
    looks at whether the number has an account."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def work(phone):
        with CaptureQueriesContext(connection) as queries, \
                django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(url, {"action": "send_code", "phone": phone})
        statements = [query["sql"].replace(phone, "PHONE") for query in queries.captured_queries]
        return [" ".join(word for word in sql.split() if not any(ch.isdigit() for ch in word))
                for sql in statements], len(callbacks)

    assert work(citizen.phone) == work(UNKNOWN_PHONE)
    assert work("13322223333")[1] == 1  # the queued task


@pytest.mark.django_db
def test_the_code_task_sends_once_even_when_it_runs_twice(citizen, django_capture_on_commit_callbacks):
    from sscard.accounts import smscodes
    from sscard.accounts.models import SmsCode

    with django_capture_on_commit_callbacks(execute=False):
        smscodes.issue_code(phone=citizen.phone, purpose="login", only_to_account=True)
    row = SmsCode.objects.get(phone=citizen.phone)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            smscodes.deliver_code(code_id=row.pk, only_to_account=True, language="en")
    assert OutboxSms.objects.filter(phone=citizen.phone).count() == 1
