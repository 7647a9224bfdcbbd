"""The person's "My medical settlements" page and the staff page of an institution (agreement and keys)."""

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from sscard.settlement.keys import issue_key, revoke_key
from tests.casework.conftest import new_staff, staff_client

from .conftest import institution, insured


def test_my_medical_settlements_lists_mine_with_the_trace(his):
    card, identity = insured(balance_fen=50_000)
    _, settled = his.settle(identity, med_type="inpatient", total=1_000_000, eligible=900_000)
    other, other_identity = insured()
    his.settle(other_identity, med_type="outpatient", total=4_321, eligible=4_321)
    his.cancel(settled["setl_id"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(card.holder)
    response = client.get(reverse("settlement:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "10000.00" in page and "7052.00" in page and "2448.00" in page  # worked example 1
    assert "Pooled fund ratio 86.00% of 8200.00 yuan: 7052.00 yuan" in page
    assert "(cancelled)" in page and "-7052.00" in page
    assert "43.21" not in page  # the other person's settlement


def test_staff_page_shows_agreement_and_keys_never_a_secret(db):
    inst = institution("H42010600007", days_left=-1)
    key_old, secret_old = issue_key(institution=inst, actor=None)
    key_new, secret_new = issue_key(institution=inst, actor=None)
    revoke_key(key_id=key_old, actor=None)
    url = reverse("casework:settlement_institution", args=[inst.pk])
    plain = new_staff([], areas=[])
    assert staff_client(plain).get(url).status_code == 403
    reader = new_staff([], areas=[])
    reader.user_permissions.add(Permission.objects.get(codename="view_designatedinstitution"))
    response = staff_client(reader).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert inst.code in page and key_old in page and key_new in page
    assert secret_old not in page and secret_new not in page
    assert "The institution&#x27;s agreement has lapsed." in page or "agreement has lapsed" in page
    assert staff_client(reader).get(reverse("casework:settlement_institution", args=[99999])).status_code == 404
