"""Designated institutions: entered in the admin (awaiting approval), approved and suspended only through the
service (permission, reason for a suspension, history row, audit event), never deleted."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client

from sscard.accounts import services as account_services
from sscard.audit.models import AuditEvent
from sscard.reference import services
from sscard.reference.models import DesignatedInstitution, InstitutionStateChange

pytestmark = pytest.mark.django_db

PASSWORD = "Root-pass-2026-x"


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def institution(code="H42010600001", tier="3", district="420106", **extra) -> DesignatedInstitution:
    row = DesignatedInstitution(code=code, name="武汉市第一医院", name_en="Wuhan No. 1 Hospital", tier=tier,
                                district_code=district, agreement_from=date(2026, 1, 1),
                                agreement_to=date(2026, 12, 31), **extra)
    row.full_clean()
    row.save()
    return row


@pytest.fixture
def manager():
    staff = account_services.create_staff(username="insman", password=PASSWORD, real_name="王经办")
    staff.user_permissions.add(Permission.objects.get(codename="manage_institution_agreement"))
    return staff


@pytest.fixture
def root():
    return account_services.create_staff(username="root", password=PASSWORD, real_name="管理员", is_superuser=True)


def browser_for(user) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return browser


def test_a_new_institution_awaits_approval_and_may_not_settle():
    row = institution()
    assert row.state == "pending"
    assert [r.value for r in row.may_settle(date(2026, 6, 1))] == ["institution_not_approved"]


@pytest.mark.parametrize(("fields", "errors"), [
    ({"code": "P42010600001"}, {"code"}),                      # a pharmacy's letter on a hospital
    ({"code": "H42010200001"}, {"code"}),                      # another district's digits
    ({"district_code": "420100", "code": "H42010000001"}, {"district_code"}),  # a city, not a district
    ({"agreement_to": date(2025, 12, 31)}, {"agreement_to"}),
])
def test_an_institution_that_does_not_add_up_is_refused_with_the_field(fields, errors):
    values = {"code": "H42010600001", "name": "医院", "tier": "3", "district_code": "420106",
              "agreement_from": date(2026, 1, 1), "agreement_to": date(2026, 12, 31), **fields}
    with pytest.raises(ValidationError) as caught:
        DesignatedInstitution(**values).full_clean()
    assert set(caught.value.message_dict) == errors


def test_approval_and_suspension_write_history_and_audit(manager):
    row = institution()
    services.approve_institution(institution_id=row.pk, actor=manager)
    row.refresh_from_db()
    assert row.state == "approved" and row.may_settle(date(2026, 6, 1)) == ()
    services.suspend_institution(institution_id=row.pk, actor=manager, note="billing irregularities")
    row.refresh_from_db()
    assert row.state == "suspended"
    assert [r.value for r in row.may_settle(date(2026, 6, 1))] == ["institution_suspended"]
    services.approve_institution(institution_id=row.pk, actor=manager, note="reinstated after review")
    history = list(InstitutionStateChange.objects.filter(institution=row).values_list(
        "from_state", "to_state", "note", "actor"))
    assert history == [("pending", "approved", "", manager.pk),
                       ("approved", "suspended", "billing irregularities", manager.pk),
                       ("suspended", "approved", "reinstated after review", manager.pk)]
    events = list(AuditEvent.objects.filter(subject_type="designated_institution").order_by("seq").values_list(
        "event_type", "subject_id", "actor"))
    assert events == [("reference.institution_approved", "H42010600001", manager.pk),
                      ("reference.institution_suspended", "H42010600001", manager.pk),
                      ("reference.institution_approved", "H42010600001", manager.pk)]


@pytest.mark.parametrize(("start", "action", "kwargs", "code"), [
    ("pending", services.suspend_institution, {"note": "x"}, "transition"),
    ("approved", services.approve_institution, {}, "transition"),
    ("approved", services.suspend_institution, {"note": "  "}, "note_required"),
])
def test_changes_the_rules_refuse_change_nothing(manager, start, action, kwargs, code):
    row = institution(state=start)
    with pytest.raises(services.InstitutionError) as caught:
        action(institution_id=row.pk, actor=manager, **kwargs)
    assert caught.value.code == code
    assert caught.value.translated()
    row.refresh_from_db()
    assert row.state == start
    assert not InstitutionStateChange.objects.exists()
    assert not AuditEvent.objects.filter(subject_type="designated_institution").exists()


def test_staff_without_the_permission_cannot_approve():
    clerk = account_services.create_staff(username="clerk", password=PASSWORD, real_name="李职员")
    row = institution()
    with pytest.raises(services.InstitutionError) as caught:
        services.approve_institution(institution_id=row.pk, actor=clerk)
    assert caught.value.code == "not_allowed"
    row.refresh_from_db()
    assert row.state == "pending"


def test_the_admin_approves_and_suspends_through_the_service(root):
    row = institution()
    browser = browser_for(root)
    listing = browser.get("/django-admin/reference/designatedinstitution/")
    assert listing.status_code == 200 and "H42010600001" in listing.content.decode()
    url = "/django-admin/reference/designatedinstitution/"
    browser.post(url, {"action": "approve_selected", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.state == "approved"
    # suspending asks for the reason first, changing nothing until it is given
    page = browser.post(url, {"action": "suspend_selected", "_selected_action": [row.pk]})
    assert page.status_code == 200 and "Reason for the suspension" in page.content.decode()
    row.refresh_from_db()
    assert row.state == "approved"
    browser.post(url, {"action": "suspend_selected", "_selected_action": [row.pk], "apply": "1",
                       "note": "agreement breached"})
    row.refresh_from_db()
    assert row.state == "suspended"
    assert InstitutionStateChange.objects.filter(institution=row).last().note == "agreement breached"
    assert AuditEvent.objects.filter(event_type="reference.institution_suspended", actor=root).count() == 1
    change = browser.get(f"/django-admin/reference/designatedinstitution/{row.pk}/change/")
    assert "agreement breached" in change.content.decode()  # the history inline
    assert browser.get(f"/django-admin/reference/designatedinstitution/{row.pk}/delete/").status_code == 403


def test_the_admin_offers_the_actions_only_to_staff_with_the_permission():
    editor = account_services.create_staff(username="editor", password=PASSWORD, real_name="赵编辑")
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_designatedinstitution",
                                                                         "change_designatedinstitution"]))
    row = institution()
    browser = browser_for(editor)
    listing = browser.get("/django-admin/reference/designatedinstitution/").content.decode()
    assert "approve_selected" not in listing and "suspend_selected" not in listing
    browser.post("/django-admin/reference/designatedinstitution/",
                 {"action": "approve_selected", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.state == "pending"
