import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sscard.accounts import services
from sscard.accounts.models import SmsCode
from sscard.audit.models import AuditEvent

from .conftest import PASSWORD, last_code

LOGIN = "/accounts/login"


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["id_number", "phone", "id_lower"])
def test_citizen_logs_in_with_id_number_or_phone(client, citizen, which):
    identifier = {"id_number": citizen.id_number, "phone": citizen.phone,
                  "id_lower": citizen.id_number.lower()}[which]
    response = client.post(LOGIN, {"identifier": identifier, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert AuditEvent.objects.filter(event_type="login.succeeded", actor=citizen).exists()


@pytest.mark.django_db
def test_wrong_password_gives_one_message_for_unknown_and_known_accounts(client, citizen):
    known = client.post(LOGIN, {"identifier": citizen.phone, "password": "Wrong-pass-1"}).content.decode()
    unknown = client.post(LOGIN, {"identifier": "13311112222", "password": "Wrong-pass-1"}).content.decode()
    message = "The ID number / mobile number or the password is wrong."
    assert message in known and message in unknown
    assert AuditEvent.objects.filter(event_type="login.failed").count() == 2


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_with_time_to_wait(client, citizen):
    for _ in range(4):
        assert client.post(LOGIN, {"identifier": citizen.phone, "password": "nope-nope"}).status_code == 200
    # the fifth failure, by the other identifier of the same account, locks it
    response = client.post(LOGIN, {"identifier": citizen.id_number, "password": "nope-nope"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-in attempts" in page and "15 minutes" in page
    # even the right password is refused while locked
    response = client.post(LOGIN, {"identifier": citizen.phone, "password": PASSWORD})
    assert response.status_code == 429
    assert not client.get("/accounts/home").wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(event_type="login.locked_out").exists()


@pytest.mark.django_db
def test_log_in_with_sms_code(client, citizen, send_code):
    response = send_code("/accounts/login/sms", citizen.phone)
    assert "138****8000" in response.content.decode()
    response = client.post("/accounts/login/sms", {"action": "login", "phone": citizen.phone,
                                                   "sms_code": last_code(citizen.phone)})
    assert response.status_code == 302
    assert client.get("/accounts/home").status_code == 200


@pytest.mark.django_db
def test_sms_code_for_unknown_number_is_not_sent_but_answered_alike(client, citizen, send_code):
    from sscard.notify.models import OutboxSms

    response = send_code("/accounts/login/sms", "13311112222")
    assert "133****2222" in response.content.decode()
    assert not OutboxSms.objects.filter(phone="13311112222").exists()


@pytest.mark.django_db
def test_staff_cannot_use_the_citizen_login_and_citizens_cannot_use_the_staff_login(client, citizen):
    services.create_staff(username="reviewer1", password=PASSWORD, real_name="王审核")
    response = client.post(LOGIN, {"identifier": "reviewer1", "password": PASSWORD})
    assert response.status_code == 200
    response = client.post("/accounts/staff/login", {"username": citizen.username, "password": PASSWORD})
    assert "The username or password is wrong." in response.content.decode()
    response = client.post("/accounts/staff/login", {"username": "reviewer1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/staff/").status_code == 200
    assert client.get("/accounts/home").status_code == 302  # staff are sent to their workbench


@pytest.mark.django_db
def test_staff_need_a_totp_code_when_required(client, settings):
    settings.STAFF_OTP_REQUIRED = True
    staff = services.create_staff(username="reviewer1", password=PASSWORD, real_name="王审核")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    response = client.post("/accounts/staff/login", {"username": "reviewer1", "password": PASSWORD})
    assert "authenticator app" in response.content.decode()
    assert client.get("/accounts/staff/").status_code == 302
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post("/accounts/staff/login", {"username": "reviewer1", "password": PASSWORD,
                                                     "otp_token": token})
    assert response.status_code == 302
    assert client.get("/accounts/staff/").status_code == 200


@pytest.mark.django_db
def test_password_reset_by_sms(client, citizen, send_code):
    send_code("/accounts/password-reset", citizen.phone)
    response = client.post("/accounts/password-reset", {
        "action": "reset", "phone": citizen.phone, "sms_code": last_code(citizen.phone),
        "password1": "Brand-new-pass-9", "password2": "Brand-new-pass-9"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("Brand-new-pass-9")
    assert AuditEvent.objects.filter(event_type="account.password_reset", actor=citizen).exists()


@pytest.mark.django_db
def test_logout_ends_the_session(client, citizen):
    client.force_login(citizen, backend="sscard.accounts.backends.CitizenBackend")
    assert client.post("/accounts/logout").status_code == 302
    assert client.get("/accounts/home").status_code == 302


@pytest.mark.django_db
def test_session_expires_after_inactivity(client, citizen, settings):
    settings.SESSION_INACTIVITY_SECONDS = 60
    client.force_login(citizen, backend="sscard.accounts.backends.CitizenBackend")
    assert client.get("/accounts/home").status_code == 200
    session = client.session
    session["_last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get("/accounts/home")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "inactivity" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_personal_center_shows_masked_identity_only(client, citizen):
    client.force_login(citizen, backend="sscard.accounts.backends.CitizenBackend")
    page = client.get("/accounts/profile").content.decode()
    assert citizen.masked_id_number in page and "138****8000" in page
    assert citizen.id_number not in page and citizen.phone not in page


@pytest.mark.django_db
def test_phone_change_needs_a_code_sent_to_the_new_number_and_the_password(client, citizen, send_code):
    client.force_login(citizen, backend="sscard.accounts.backends.CitizenBackend")
    new = "13911112222"
    send_code("/accounts/profile/phone", new)
    response = client.post("/accounts/profile/phone", {"action": "change", "phone": new,
                                                       "sms_code": last_code(new), "password": "wrong"})
    assert "The password is wrong." in response.content.decode()
    response = client.post("/accounts/profile/phone", {"action": "change", "phone": new,
                                                       "sms_code": last_code(new), "password": PASSWORD})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == new
    assert AuditEvent.objects.filter(event_type="account.phone_changed").exists()


@pytest.mark.django_db
class TestSmsLimits:
    def test_one_code_per_phone_per_minute(self, client, citizen, send_code):
        send_code("/accounts/login/sms", citizen.phone)
        response = send_code("/accounts/login/sms", citizen.phone)
        assert "less than a minute ago" in response.content.decode()
        assert SmsCode.objects.filter(phone=citizen.phone).count() == 1

    def test_ten_codes_per_phone_per_day(self, client, citizen, send_code, monkeypatch):
        # Mid-afternoon local time, so the ten earlier codes fall on the same local day whenever the test runs.
        now = datetime(2026, 6, 15, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(timezone, "now", lambda: now)
        for minutes in range(10):
            SmsCode.objects.create(phone=citizen.phone, purpose="login", code_hash="x",
                                   created_at=now - timedelta(minutes=2 + minutes),
                                   expires_at=now)
        response = send_code("/accounts/login/sms", citizen.phone)
        assert "most codes allowed in one day" in response.content.decode()

    def test_code_expires_after_five_minutes(self, client, citizen, send_code):
        send_code("/accounts/login/sms", citizen.phone)
        SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        response = client.post("/accounts/login/sms", {"action": "login", "phone": citizen.phone,
                                                       "sms_code": last_code(citizen.phone)})
        assert "expired" in response.content.decode()

    def test_five_wrong_tries_burn_the_code(self, client, citizen, send_code):
        send_code("/accounts/login/sms", citizen.phone)
        right = last_code(citizen.phone)
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(5):
            client.post("/accounts/login/sms", {"action": "login", "phone": citizen.phone, "sms_code": wrong})
        response = client.post("/accounts/login/sms", {"action": "login", "phone": citizen.phone,
                                                       "sms_code": right})
        assert "Too many wrong codes" in response.content.decode()
        assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_password_change_needs_the_current_password_and_keeps_the_session(client, citizen):
    client.force_login(citizen, backend="sscard.accounts.backends.CitizenBackend")
    url = reverse("accounts:change_password")
    response = client.post(url, {"old_password": "wrong", "password1": "Another-pass-77",
                                 "password2": "Another-pass-77"})
    assert "The current password is wrong." in response.content.decode()
    response = client.post(url, {"old_password": PASSWORD, "password1": citizen.phone,
                                 "password2": citizen.phone})
    assert "must not contain your ID number or mobile phone" in response.content.decode()
    response = client.post(url, {"old_password": PASSWORD, "password1": "Another-pass-77",
                                 "password2": "Another-pass-77"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("Another-pass-77")
    assert client.get("/accounts/home").status_code == 200  # still logged in
    assert AuditEvent.objects.filter(event_type="account.password_changed", actor=citizen).exists()
