"""Issue 9: a squatted ID number is given back to its holder at a counter, confirmed by a second person.

Someone registered the ID number of 王五 (the holder) with another name and their own phone. 王五 comes to the
Wuchang outlet with their ID card; a clerk proposes the correction, a supervisor confirms it.
"""

import html
import importlib
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.core.cache import cache
from django.utils import translation

from sscard.accounts.models import SmsCode
from sscard.accounts.services import create_citizen
from sscard.audit.models import AuditEvent
from sscard.casework import identity
from sscard.casework.models import IdentityCorrection
from sscard.casework.services import CaseworkError
from sscard.domain.idnumber import make_id_number
from sscard.notify.models import Message, OutboxSms

from ..accounts.conftest import last_code
from .conftest import PASSWORD, jiangan, new_staff, staff_client, wuchang

HOLDER_ID = make_id_number("420106", date(1985, 6, 1), 217)
HOLDER_PHONE = "13712345678"
SQUATTER_PHONE = "13900009999"
# Masked forms, written by hand.
HOLDER_ID_MASKED = HOLDER_ID[:6] + "********" + HOLDER_ID[-4:]
HOLDER_PHONE_MASKED = "137****5678"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def granted(seeded):
    # Transactional tests elsewhere may have flushed the seeded groups: grant the permissions again.
    importlib.import_module("sscard.casework.migrations.0003_identity_correction").seed(apps, None)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # messages quoted in English below
        yield


@pytest.fixture
def squatter(db):
    return create_citizen(real_name="李四", document_type="resident_id", id_number=HOLDER_ID,
                          phone=SQUATTER_PHONE, password=PASSWORD, channel="test")


@pytest.fixture
def clerk(db):
    return new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"], name="clerk")


@pytest.fixture
def supervisor(db):
    return new_staff(["supervisor"], areas=["district:420106"], name="supervisor")


def age_codes(phone):
    SmsCode.objects.filter(phone=phone).update(created_at=datetime(2000, 1, 1, tzinfo=UTC))
    cache.clear()


def propose(clerk, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        identity.send_phone_code(staff=clerk, phone=overrides.get("phone", HOLDER_PHONE))
    fields = {"outlet": wuchang(), "id_number": HOLDER_ID, "real_name": "王五", "document_type": "resident_id",
              "document_seen": "居民身份证，武汉市公安局武昌分局，有效期至2035-01-01", "phone": HOLDER_PHONE,
              "note": "本人持证到柜台"}
    fields.update(overrides)
    fields["sms_code"] = overrides.get("sms_code") or last_code(fields["phone"])
    return identity.propose_correction(staff=clerk, **fields)


def sms_to(phone):
    return [sms.text for sms in OutboxSms.objects.filter(phone=phone, purpose="id_number_correction")]


# --- Services --------------------------------------------------------------------------------------------------

def test_clerk_proposes_supervisor_confirms_and_the_id_number_changes_hands(
        clerk, supervisor, squatter, django_capture_on_commit_callbacks):
    correction = propose(clerk, django_capture_on_commit_callbacks)
    squatter.refresh_from_db()
    assert (squatter.is_active, squatter.id_number) == (True, HOLDER_ID)  # nothing happens before confirmation
    assert correction.outcome == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        identity.decide_correction(staff=supervisor, correction=correction, confirm=True, note="核实无误")

    correction.refresh_from_db()
    squatter.refresh_from_db()
    assert correction.outcome == "confirmed" and correction.decided_by == supervisor
    # The wrong account is kept, disabled, without the ID number; the holder's own account has it.
    assert (squatter.is_active, squatter.id_number, squatter.real_name) == (False, None, "李四")
    holder = correction.right_account
    assert (holder.real_name, holder.id_number, holder.phone, holder.is_active) == ("王五", HOLDER_ID, HOLDER_PHONE,
                                                                                    True)
    assert not holder.has_usable_password()  # the holder logs in with an SMS code and sets a password
    # Both told, masked data only.
    [to_squatter] = sms_to(SQUATTER_PHONE)
    assert HOLDER_ID_MASKED in to_squatter and HOLDER_ID not in to_squatter
    [to_holder] = sms_to(HOLDER_PHONE)
    assert HOLDER_ID_MASKED in to_holder and HOLDER_PHONE_MASKED in to_holder and HOLDER_ID not in to_holder
    inbox = Message.objects.filter(user=holder)
    assert inbox.count() == 2  # welcome, and what happened
    notice = inbox.order_by("-id").first()  # after the welcome message
    assert HOLDER_ID_MASKED in notice.body and HOLDER_ID not in notice.body
    # Audited, with masked data.
    events = {e.event_type: e for e in AuditEvent.objects.filter(event_type__in=[
        "casework.id_number_correction_proposed", "casework.id_number_correction_confirmed", "account.disabled",
        "account.registered"])}
    assert events["casework.id_number_correction_proposed"].actor == clerk
    assert events["casework.id_number_correction_confirmed"].actor == supervisor
    assert events["account.disabled"].subject_id == str(squatter.pk)
    assert events["account.registered"].data["channel"] == "counter"
    for event in events.values():
        assert HOLDER_ID not in str(event.data) and HOLDER_PHONE not in str(event.data)


def test_a_clerk_cannot_confirm_their_own_proposal(clerk, squatter, django_capture_on_commit_callbacks):
    both = new_staff(["clerk", "supervisor"], areas=[f"outlet:{wuchang().pk}"])
    correction = propose(both, django_capture_on_commit_callbacks)
    with pytest.raises(CaseworkError) as refused:
        identity.decide_correction(staff=both, correction=correction, confirm=True)
    assert refused.value.code == "own"
    squatter.refresh_from_db()
    assert squatter.is_active and squatter.id_number == HOLDER_ID


def test_declined_changes_nothing(clerk, supervisor, squatter, django_capture_on_commit_callbacks):
    correction = propose(clerk, django_capture_on_commit_callbacks)
    identity.decide_correction(staff=supervisor, correction=correction, confirm=False, note="证件存疑")
    correction.refresh_from_db()
    squatter.refresh_from_db()
    assert correction.outcome == "declined" and correction.right_account is None
    assert squatter.is_active and squatter.id_number == HOLDER_ID
    assert sms_to(SQUATTER_PHONE) == [] and sms_to(HOLDER_PHONE) == []
    with pytest.raises(CaseworkError) as refused:  # decided once only
        identity.decide_correction(staff=supervisor, correction=correction, confirm=True)
    assert refused.value.code == "stale"


# role/area -> allowed to propose (clerk at the Wuchang outlet), allowed to confirm; written by hand.
ROLES = [
    (["clerk"], "outlet:{wuchang}", True, False),
    (["supervisor"], "district:420106", True, True),
    (["supervisor"], "district:420102", False, False),  # another district: out of area
    (["clerk"], "outlet:{jiangan}", False, False),   # another outlet
    (["reviewer"], "district:420106", False, False),
    (["production"], "district:420106", False, False),
    (["auditor"], "", False, False),
]


@pytest.mark.parametrize(("roles", "area", "may_propose", "may_confirm"), ROLES)
def test_who_may_propose_and_confirm(roles, area, may_propose, may_confirm, clerk, squatter,
                                     django_capture_on_commit_callbacks):
    area = area.format(wuchang=wuchang().pk, jiangan=jiangan().pk)
    staff = new_staff(roles, areas=[area] if area else [])
    if may_propose:
        assert propose(staff, django_capture_on_commit_callbacks).outcome == "pending"
        IdentityCorrection.objects.all().delete()
        age_codes(HOLDER_PHONE)
    else:
        with pytest.raises(CaseworkError) as refused:
            propose(staff, django_capture_on_commit_callbacks)
        assert refused.value.code in {"permission", "area"}
        age_codes(HOLDER_PHONE)
    correction = propose(clerk, django_capture_on_commit_callbacks)
    if may_confirm:
        assert identity.decide_correction(staff=staff, correction=correction, confirm=True).outcome == "confirmed"
    else:
        with pytest.raises(CaseworkError) as refused:
            identity.decide_correction(staff=staff, correction=correction, confirm=True)
        assert refused.value.code in {"permission", "area"}
        correction.refresh_from_db()
        assert correction.outcome == "pending"


def test_the_person_own_account_and_wrong_codes_are_refused(clerk, squatter, django_capture_on_commit_callbacks):
    from sscard.accounts.errors import FieldErrors

    # The phone of the account that holds the ID number: it is the person's own account.
    with pytest.raises(FieldErrors) as refused:
        propose(clerk, django_capture_on_commit_callbacks, phone=SQUATTER_PHONE)
    assert "person's own account" in refused.value.errors["phone"][0]
    age_codes(SQUATTER_PHONE)
    # A wrong SMS code: the phone is not proven.
    with django_capture_on_commit_callbacks(execute=True):
        identity.send_phone_code(staff=clerk, phone=HOLDER_PHONE)
    wrong = f"{(int(last_code(HOLDER_PHONE)) + 1) % 1_000_000:06d}"
    with pytest.raises(FieldErrors) as refused:
        identity.propose_correction(staff=clerk, outlet=wuchang(), id_number=HOLDER_ID, real_name="王五",
                                    document_type="resident_id", document_seen="居民身份证", phone=HOLDER_PHONE,
                                    sms_code=wrong)
    assert "The code is wrong" in refused.value.errors["sms_code"][0]
    # An ID number nobody holds.
    age_codes(HOLDER_PHONE)
    with pytest.raises(FieldErrors) as refused:
        propose(clerk, django_capture_on_commit_callbacks, id_number=make_id_number("420106", date(1970, 1, 1), 1))
    assert "No account holds this ID number" in refused.value.errors["id_number"][0]
    assert not IdentityCorrection.objects.exists()



# --- Staff pages -----------------------------------------------------------------------------------------------

URL = "/staff/id-numbers/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_data(**overrides):
    data = {"outlet": str(wuchang().pk), "real_name": "王五", "document_type": "resident_id",
            "id_number": HOLDER_ID.lower(), "document_seen": "居民身份证，有效期至2035-01-01",
            "phone": HOLDER_PHONE, "note": "", "identity_checked": "on"}
    data.update(overrides)
    return data


def test_the_whole_flow_through_the_staff_pages(clerk, supervisor, squatter, django_capture_on_commit_callbacks):
    from django.test import Client

    squatter_browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    squatter_browser.force_login(squatter)
    assert squatter_browser.get("/accounts/home").status_code == 200

    counter = staff_client(clerk)
    page = counter.get(URL)
    assert page.status_code == 200 and "Give an ID number back to its holder" in text(page)
    with django_capture_on_commit_callbacks(execute=True):
        sent = counter.post(URL + "propose", {**form_data(), "send_code": "1"})
    assert sent.status_code == 200 and "A code was sent to the person's mobile phone" in text(sent)
    proposed = counter.post(URL + "propose", {**form_data(), "propose": "1", "sms_code": last_code(HOLDER_PHONE)})
    correction = IdentityCorrection.objects.get()
    assert proposed.status_code == 302 and proposed["Location"] == f"{URL}{correction.pk}"
    own_page = text(counter.get(f"{URL}{correction.pk}"))
    assert HOLDER_ID_MASKED in own_page and HOLDER_ID not in own_page and HOLDER_PHONE not in own_page
    assert "139****9999" in own_page and "Confirm: close the wrong account" not in own_page  # no own decision
    assert counter.post(f"{URL}{correction.pk}/decide", {"decision": "confirm"}).status_code == 403

    boss = staff_client(supervisor)
    detail = text(boss.get(f"{URL}{correction.pk}"))
    assert "Confirm: close the wrong account" in detail and HOLDER_ID not in detail
    with django_capture_on_commit_callbacks(execute=True):
        decided = boss.post(f"{URL}{correction.pk}/decide", {"decision": "confirm", "note": "ok"}, follow=True)
    assert "Confirmed: the wrong account is closed" in text(decided)
    assert AuditEvent.objects.filter(event_type="casework.id_number_correction_viewed", actor=supervisor).exists()

    # The wrong account is out: its open session ends, its password no longer works.
    assert squatter_browser.get("/accounts/home").status_code == 302
    login = Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/login", {"identifier": SQUATTER_PHONE,
                                                                        "password": PASSWORD})
    assert login.status_code == 200 and "is wrong" in text(login)
    # The holder logs in with an SMS code to their phone and finds the ID number theirs.
    age_codes(HOLDER_PHONE)
    holder_browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    with django_capture_on_commit_callbacks(execute=True):
        holder_browser.post("/accounts/login/sms", {"action": "send_code", "phone": HOLDER_PHONE})
    logged_in = holder_browser.post("/accounts/login/sms", {"action": "login", "phone": HOLDER_PHONE,
                                                            "sms_code": last_code(HOLDER_PHONE)})
    assert logged_in.status_code == 302
    profile = holder_browser.get("/accounts/profile")
    assert profile.status_code == 200 and HOLDER_ID_MASKED in text(profile)


def test_refusals_are_clear_messages(clerk, supervisor, squatter, django_capture_on_commit_callbacks):
    reviewer = staff_client(new_staff(["reviewer"]))
    page = reviewer.get(URL)
    assert page.status_code == 403 and "Your role does not allow this action." in text(page)
    assert reviewer.post(URL + "propose", {**form_data(), "propose": "1"}).status_code == 403
    # A supervisor may read and decide but a clerk's area is needed to see another area's correction.
    correction = propose(clerk, django_capture_on_commit_callbacks)
    elsewhere = staff_client(new_staff(["supervisor"], areas=["district:420102"]))
    assert elsewhere.get(f"{URL}{correction.pk}").status_code == 404
    assert elsewhere.post(f"{URL}{correction.pk}/decide", {"decision": "confirm"}).status_code == 404
    # An outlet outside the clerk's areas is not offered, and refused if sent.
    age_codes(HOLDER_PHONE)
    counter = staff_client(clerk)
    refused = counter.post(URL + "propose", {**form_data(outlet=str(jiangan().pk)), "propose": "1",
                                             "sms_code": "123456"})
    assert refused.status_code == 400 and "Select a valid choice" in text(refused)
    # A second proposal for the same ID number while one waits.
    again = counter.post(URL + "propose", {**form_data(phone="13712340000"), "propose": "1", "sms_code": "123456"})
    assert again.status_code == 400
    assert "already waiting for a supervisor's confirmation" in text(again)
    # A wrong ID number format is a field error.
    bad = counter.post(URL + "propose", {**form_data(id_number="360426199101010072"), "propose": "1",
                                         "sms_code": "123456"})
    assert bad.status_code == 400 and "id_id_number_errors" in text(bad)
    assert IdentityCorrection.objects.count() == 1


def test_the_wrong_accounts_applications_for_the_id_number_are_pointed_out(
        clerk, supervisor, squatter, django_capture_on_commit_callbacks):
    from .conftest import new_application

    application = new_application(squatter)
    correction = propose(clerk, django_capture_on_commit_callbacks)
    page = text(staff_client(supervisor).get(f"{URL}{correction.pk}"))
    assert "These still block an application by the holder" in page
    assert application.display_code in page
    with django_capture_on_commit_callbacks(execute=True):
        identity.decide_correction(staff=supervisor, correction=correction, confirm=True)
    event = AuditEvent.objects.get(event_type="casework.id_number_correction_confirmed")
    assert event.data["blocking_applications"] == 1


def test_the_notifications_reach_the_citizens_in_chinese_by_default(
        clerk, supervisor, squatter, django_capture_on_commit_callbacks):
    correction = propose(clerk, django_capture_on_commit_callbacks)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        identity.decide_correction(staff=supervisor, correction=correction, confirm=True)
    # Expected texts written by hand from the zh-Hans catalogue.
    assert sms_to(SQUATTER_PHONE) == [
        f"【湖北政务服务网】您以身份证件号码{HOLDER_ID_MASKED}注册的账户已被停用：该证件号码的本人已在服务窗口核验身份。"
        "如有异议，请携带您本人的身份证件到服务窗口办理。"]
    assert sms_to(HOLDER_PHONE) == [
        f"【湖北政务服务网】您的身份证件号码{HOLDER_ID_MASKED}现已注册到您本人的账户（手机号码{HOLDER_PHONE_MASKED}）。"
        "请使用短信验证码登录并设置密码。"]
    correction.refresh_from_db()
    assert Message.objects.filter(user=correction.right_account, subject="您的身份证件号码已归还给您").exists()
