"""Keys from the institution's staff page: staff who may manage agreements (`reference.manage_institution_agreement`,
beside the page's `reference.view_designatedinstitution`) issue a key, whose secret is shown once on the answer
(never stored in clear, never in the audit data, a message, the session or a log), and revoke a key of that
institution; the signed API takes the new key and refuses the revoked one. Others are refused and change nothing."""

import json
import logging

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from sscard.audit.models import AuditEvent
from sscard.settlement.client import HospitalClient, django_transport
from sscard.settlement.keys import issue_key
from sscard.settlement.models import InstitutionKey
from tests.casework.conftest import new_staff, staff_client

from .conftest import insured


def member(*codenames):
    staff = new_staff([], areas=[])
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="reference",
                                                          codename__in=codenames))
    return staff


def manager():
    return member("view_designatedinstitution", "manage_institution_agreement")


def _issue(client, inst):
    return client.post(reverse("casework:settlement_key_issue", args=[inst.pk]), HTTP_ACCEPT_LANGUAGE="en")


def test_a_manager_issues_a_key_seen_once_and_the_api_takes_it(hospital, caplog):
    client = staff_client(manager())
    page = client.get(reverse("casework:settlement_institution", args=[hospital.pk])).content.decode()
    assert "Issue a key" in page
    chinese = client.get(reverse("casework:settlement_institution", args=[hospital.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "签发密钥" in chinese.content.decode()
    caplog.set_level(logging.DEBUG)
    response = _issue(client, hospital)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = InstitutionKey.objects.get(institution=hospital)
    secret = response.context["secret"]
    assert key.key_id in response.content.decode() and secret in response.content.decode()
    assert len(secret) >= 40  # 32 random bytes, URL-safe base 64
    # Never stored in clear, never in the audit data, the messages, the session or a log.
    assert secret.encode() not in bytes(key.secret_encrypted)
    event = AuditEvent.objects.get(event_type="settlement.key_issued")
    assert event.data == {"key_id": key.key_id} and event.subject_id == hospital.code
    assert secret not in json.dumps(list(AuditEvent.objects.values("data", "subject_id", "actor_label")),
                                    ensure_ascii=False, default=str)
    assert secret not in caplog.text
    assert not list(response.context["messages"])
    assert secret not in str(dict(client.session)) and secret not in str(response.cookies)
    # The page afterwards lists the key id, never the secret.
    page = client.get(reverse("casework:settlement_institution", args=[hospital.pk])).content.decode()
    assert key.key_id in page and secret not in page
    # The institution signs with it.
    card, identity = insured()
    his = HospitalClient(hospital.code, key.key_id, secret, django_transport(Client(HTTP_ACCEPT_LANGUAGE="en")))
    assert his.person(identity)[0] == 200


def test_a_manager_revokes_a_key_and_the_api_refuses_it(hospital):
    key_id, secret = issue_key(institution=hospital, actor=None)
    card, identity = insured()
    his = HospitalClient(hospital.code, key_id, secret, django_transport(Client(HTTP_ACCEPT_LANGUAGE="en")))
    assert his.person(identity)[0] == 200
    boss = manager()
    response = staff_client(boss).post(reverse("casework:settlement_key_revoke", args=[hospital.pk, key_id]),
                                       HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200 and f"Key {key_id} is revoked" in response.content.decode()
    assert InstitutionKey.objects.get(key_id=key_id).revoked_at is not None
    event = AuditEvent.objects.get(event_type="settlement.key_revoked")
    assert (event.actor, event.data) == (boss, {"key_id": key_id})
    status, body = his.person(identity)
    assert (status, body["code"]) == (401, "unknown_key")


def test_a_third_key_is_refused_while_two_are_active(hospital):
    issue_key(institution=hospital, actor=None)
    issue_key(institution=hospital, actor=None)
    client = staff_client(manager())
    page = client.get(reverse("casework:settlement_institution", args=[hospital.pk])).content.decode()
    assert "revoke the old one first" in page
    response = client.post(reverse("casework:settlement_key_issue", args=[hospital.pk]), HTTP_ACCEPT_LANGUAGE="en",
                           follow=True)
    assert "two active keys: revoke the old one first" in response.content.decode()
    assert InstitutionKey.objects.filter(institution=hospital).count() == 2


def test_another_institutions_key_or_a_revoked_one_is_not_revoked(hospital):
    from .conftest import institution

    other = institution("H42010600009")
    key_id, _secret = issue_key(institution=other, actor=None)
    client = staff_client(manager())
    response = client.post(reverse("casework:settlement_key_revoke", args=[hospital.pk, key_id]),
                           HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "no active key with this id" in response.content.decode()
    assert InstitutionKey.objects.get(key_id=key_id).revoked_at is None
    assert not AuditEvent.objects.filter(event_type="settlement.key_revoked").exists()
    assert client.post(reverse("casework:settlement_key_issue", args=[99999])).status_code == 404


def test_staff_without_the_permission_are_refused_and_nothing_changes(hospital):
    key_id, _secret = issue_key(institution=hospital, actor=None)
    reader = member("view_designatedinstitution")  # reads the page, may not manage
    page = staff_client(reader).get(reverse("casework:settlement_institution", args=[hospital.pk]))
    assert page.status_code == 200 and "Issue a key" not in page.content.decode()
    for staff in (reader, member("manage_institution_agreement"), new_staff(["supervisor"])):
        client = staff_client(staff)
        assert _issue(client, hospital).status_code == 403
        assert client.post(reverse("casework:settlement_key_revoke", args=[hospital.pk, key_id])).status_code == 403
    assert InstitutionKey.objects.filter(institution=hospital).count() == 1
    assert InstitutionKey.objects.get(key_id=key_id).revoked_at is None
    assert AuditEvent.objects.filter(event_type__startswith="settlement.key_").count() == 1  # the fixture's issue
