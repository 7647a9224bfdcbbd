"""The Django admin (/django-admin/): the staff second factor, masked read-only personal records, audited views.

Issue 9: with the staff TOTP required (production), a superuser refused at the staff log-in without a code
could still sign in at /django-admin/ with the password alone and read or edit every citizen's ID number
and phone, unaudited.
"""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sscard.accounts import services as account_services
from sscard.audit.models import AuditEvent
from sscard.notify.services import post_message
from tests.casework.conftest import give_card, new_application, reseed

pytestmark = pytest.mark.django_db

PASSWORD = "Root-pass-2026-x"
ACCOUNT = "6222020000004321"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "private"  # the application's photo
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reseed()


@pytest.fixture
def otp_required(settings):
    settings.STAFF_OTP_REQUIRED = True  # production (pyproject's test env turns it off by default)


@pytest.fixture
def root():
    return account_services.create_staff(username="root", password=PASSWORD, real_name="管理员",
                                         is_superuser=True)


@pytest.fixture
def application():
    return new_application()


@pytest.fixture
def citizen(application):
    return application.applicant


def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def token_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def admin_urls(citizen, application) -> list[str]:
    card = give_card(application, account=ACCOUNT)
    return [
        "/django-admin/",
        "/django-admin/accounts/user/",
        f"/django-admin/accounts/user/{citizen.pk}/change/",
        f"/django-admin/accounts/user/{citizen.pk}/password/",
        "/django-admin/applications/application/",
        f"/django-admin/applications/application/{application.pk}/change/",
        f"/django-admin/cards/card/{card.pk}/change/",
        "/django-admin/reference/partnerbank/",
        "/django-admin/notify/message/",
    ]


def secrets_of(citizen) -> list[str]:
    return [citizen.id_number, citizen.phone, citizen.real_name, ACCOUNT]


# --- The second factor ---------------------------------------------------------------------------------------

def test_with_otp_required_a_password_only_superuser_reaches_no_admin_page(otp_required, root, citizen,
                                                                             application):
    browser = client()
    browser.force_login(root, backend="django.contrib.auth.backends.ModelBackend")  # password, no TOTP
    for url in admin_urls(citizen, application):
        response = browser.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/django-admin/login/"), url
        landing = browser.get(url, follow=True)
        assert landing.request["PATH_INFO"] == "/accounts/staff/login", url  # our staff log-in asks the code
        assert "authenticator" in landing.content.decode() or 'name="otp_token"' in landing.content.decode()
        for value in secrets_of(citizen):
            assert value not in landing.content.decode(), (url, value)
    # and nothing could be changed either
    response = browser.post(f"/django-admin/accounts/user/{citizen.pk}/change/",
                            {"username": citizen.username, "is_staff": "on", "is_superuser": "on"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert not citizen.is_staff and not citizen.is_superuser


def test_with_otp_required_no_registered_admin_page_answers_a_password_only_session(otp_required, root):
    from django.contrib import admin

    browser = client()
    browser.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    urls = ["/django-admin/", "/django-admin/password_change/"]
    for model in admin.site._registry:
        urls += [f"/django-admin/{model._meta.app_label}/", f"/django-admin/{model._meta.app_label}/"
                 f"{model._meta.model_name}/", f"/django-admin/{model._meta.app_label}/{model._meta.model_name}/add/"]
    assert len(urls) > 3 * 20  # users, applications, cards, casework, notify, audit, reference data...
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/django-admin/login/"), url


def test_the_admin_login_form_signs_nobody_in_with_a_password(otp_required, root):
    browser = client()
    response = browser.post("/django-admin/login/?next=/django-admin/",
                            {"username": "root", "password": PASSWORD, "next": "/django-admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/staff/login?next=%2Fdjango-admin%2F"
    assert "_auth_user_id" not in browser.session
    assert browser.get("/django-admin/").status_code == 302


def test_refused_at_the_staff_login_without_a_code_means_no_admin_either(otp_required, root):
    browser = client()
    TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    response = browser.post("/accounts/staff/login?next=/django-admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 200 and "authenticator app" in response.content.decode()
    assert browser.get("/django-admin/").status_code == 302


def test_the_admin_login_sends_elsewhere_only_inside_the_site(otp_required):
    response = client().get("/django-admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/staff/login?next=%2Fdjango-admin%2F"


@pytest.fixture
def verified(otp_required, root):
    """A superuser signed in through the staff log-in with a TOTP code, as production requires."""
    browser = client()
    device = TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    response = browser.post("/accounts/staff/login?next=/django-admin/",
                            {"username": "root", "password": PASSWORD, "otp_token": token_for(device),
                             "next": "/django-admin/"})
    assert response.status_code == 302 and response["Location"] == "/django-admin/"
    return browser


def test_with_a_verified_totp_device_the_superuser_reaches_the_admin(verified, citizen, application):
    for url in admin_urls(citizen, application):
        if url.endswith("/password/"):
            assert verified.get(url).status_code == 403, url  # a citizen's password: not from the admin
            continue
        assert verified.get(url).status_code == 200, url


def test_without_otp_required_as_in_make_run_the_password_is_enough(root):
    browser = client()
    browser.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get("/django-admin/").status_code == 200


# --- Personal data: masked, read-only -------------------------------------------------------------------------

def _inputs(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))


def test_the_user_change_page_shows_the_id_and_phone_masked_and_not_editable(verified, citizen):
    html = verified.get(f"/django-admin/accounts/user/{citizen.pk}/change/").content.decode()
    id_number, phone = citizen.id_number, citizen.phone
    assert f"{id_number[:6]}********{id_number[-4:]}" in html
    assert f"{phone[:3]}****{phone[-4:]}" in html
    assert "张*" in html
    for value in secrets_of(citizen)[:3]:
        assert value not in html
    inputs = _inputs(html)
    assert not inputs & {"id_number", "phone", "real_name", "document_type", "first_name", "last_name", "email",
                         "is_staff", "is_superuser", "username"}
    assert 'name="_save"' not in html


def test_a_citizen_account_cannot_be_changed_from_the_admin(verified, citizen):
    response = verified.post(f"/django-admin/accounts/user/{citizen.pk}/change/",
                             {"username": citizen.username, "id_number": "360426199101010071",
                              "phone": "13912345678", "is_active": "on", "is_staff": "on",
                              "is_superuser": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert response.status_code == 403
    before = (citizen.id_number, citizen.phone)
    citizen.refresh_from_db()
    assert (citizen.id_number, citizen.phone, citizen.is_staff, citizen.is_superuser) == (*before, False, False)
    assert verified.get("/django-admin/accounts/user/add/").status_code == 403
    assert verified.post(f"/django-admin/accounts/user/{citizen.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_user_list_masks_and_cannot_be_searched_by_id_number(verified, citizen):
    html = verified.get("/django-admin/accounts/user/").content.decode()
    assert citizen.masked_id_number in html and citizen.masked_phone in html
    for value in secrets_of(citizen)[:3]:
        assert value not in html
    search = verified.get("/django-admin/accounts/user/", {"q": citizen.id_number}).content.decode()
    assert citizen.masked_id_number not in search  # no hit: the admin is no ID-number look-up


def test_application_card_and_message_pages_are_masked_and_read_only(verified, citizen, application):
    card = give_card(application, account=ACCOUNT)
    post_message(user=citizen, subject="Your card is ready", body="Collect it at the outlet.")
    pages = [f"/django-admin/applications/application/{application.pk}/change/",
             f"/django-admin/cards/card/{card.pk}/change/",
             "/django-admin/notify/message/",
             "/django-admin/cards/card/"]
    for url in pages:
        html = verified.get(url).content.decode()
        for value in secrets_of(citizen):
            assert value not in html, (url, value)
        assert 'name="_save"' not in html, url
    card_html = verified.get(f"/django-admin/cards/card/{card.pk}/change/").content.decode()
    assert "6222 **** **** 4321" in card_html and citizen.masked_id_number in card_html
    message = citizen.inbox_messages.get(subject="Your card is ready")
    assert verified.post(f"/django-admin/notify/message/{message.pk}/change/",
                         {"subject": "Forged", "body": "x"}).status_code == 403
    assert verified.get("/django-admin/notify/message/add/").status_code == 403


def test_the_staff_area_form_lists_staff_and_no_citizen(verified, root, citizen):
    html = verified.get("/django-admin/casework/staffarea/add/").content.decode()
    assert citizen.masked_id_number not in html and citizen.username not in html
    users = re.search(r'<select name="user".*?</select>', html, re.DOTALL).group(0)
    assert re.findall(r'<option value="(\d+)"', users) == [str(root.pk)]


# --- Every view is an audit event ------------------------------------------------------------------------------

def test_viewing_a_citizen_record_is_an_audit_event(verified, root, citizen):
    before = AuditEvent.objects.count()
    assert verified.get(f"/django-admin/accounts/user/{citizen.pk}/change/").status_code == 200
    event = AuditEvent.objects.filter(seq__gt=before).get(event_type="admin.record_viewed")
    assert (event.actor, event.subject_type, event.subject_id) == (root, "user", str(citizen.pk))


def test_viewing_an_application_record_is_an_audit_event(verified, root, application):
    assert verified.get(f"/django-admin/applications/application/{application.pk}/change/").status_code == 200
    event = AuditEvent.objects.filter(event_type="admin.record_viewed").get()
    assert (event.actor, event.subject_type, event.subject_id) == (root, "card_application",
                                                                   application.office_code)


def test_listing_citizens_is_an_audit_event_too(verified, root, citizen):
    assert verified.get("/django-admin/accounts/user/", {"q": citizen.id_number}).status_code == 200
    event = AuditEvent.objects.filter(event_type="admin.list_viewed").get()
    assert (event.actor, event.subject_type) == (root, "user")
    assert citizen.id_number not in str(event.data)  # the search, masked


def test_reference_data_stays_editable(verified):
    from sscard.reference.models import PartnerBank

    bank = PartnerBank.objects.get(code="icbc")
    html = verified.get(f"/django-admin/reference/partnerbank/{bank.pk}/change/").content.decode()
    assert 'name="_save"' in html and 'name="name"' in html
    assert not AuditEvent.objects.filter(event_type__startswith="admin.").exists()


def test_the_admin_never_shows_a_staff_members_totp_secret(verified):
    colleague = account_services.create_staff(username="reviewer9", password=PASSWORD, real_name="王审核")
    device = TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    html = verified.get(f"/django-admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in html and "qrcode" not in html
    assert "qrcode" not in verified.get("/django-admin/otp_totp/totpdevice/").content.decode()
    assert verified.get(f"/django-admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert verified.get(f"/django-admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403


def test_the_population_register_is_masked_read_only_and_audited(verified, root):
    from sscard.accounts.models import PopulationRecord

    row = PopulationRecord.objects.create(id_number="360426199101010071", name="赵六")
    for url in ("/django-admin/accounts/populationrecord/",
                f"/django-admin/accounts/populationrecord/{row.pk}/change/"):
        html = verified.get(url).content.decode()
        assert "360426********0071" in html and "赵*" in html, url
        assert "360426199101010071" not in html and "赵六" not in html, url
        assert 'name="_save"' not in html and 'name="id_number"' not in html, url
    assert set(AuditEvent.objects.filter(actor=root, event_type__startswith="admin.")
               .values_list("event_type", flat=True)) == {"admin.list_viewed", "admin.record_viewed"}
