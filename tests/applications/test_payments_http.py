"""The generic HTTP payment gateway against a fake gateway server (127.0.0.1, random port, in a thread): the
holder is sent to its pay page, its signed notification is recorded once however often it comes, a forged,
unknown or wrong-amount notification changes nothing, the return page asks the gateway, a rejected paid case
is refunded through it (and a failed refund refuses the rejection)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from sscard.applications.models import Application, Payment
from sscard.applications.payments import http as http_gateway
from sscard.audit.models import AuditEvent
from sscard.casework.reasons import REJECTION_REASONS
from sscard.casework.services import CaseworkError, review
from tests.cards.test_replacement import apply, held_card
from tests.casework.conftest import new_staff, reseed, wuchang

from .fake_gateway import MERCHANT, SECRET, FakeGateway, encode, sign

pytestmark = pytest.mark.django_db

# Written by hand, computed with `openssl dgst -sha256 -hmac test-secret-do-not-use` (docs/formats.md).
VECTOR_BODY = (b'{"amount_fen":2000,"merchant":"SSCARD-TEST","order_id":"SS20261201ABCDEF0123456789ABCD",'
               b'"status":"paid","transaction_id":"T-0001"}')
VECTOR_SIGNATURE = "adc6c6a9784574f3ef631ee5d5fe9d4999ed901c5477d8393cdae33b4d2746e6"


@pytest.fixture(autouse=True)
def _seeded(db):
    reseed()


@pytest.fixture
def gateway(settings):
    with FakeGateway() as fake:
        settings.PAYMENT_GATEWAY = "http"
        settings.PAYMENT_HTTP_URL = fake.url
        settings.PAYMENT_HTTP_MERCHANT = MERCHANT
        settings.PAYMENT_HTTP_SECRET = SECRET
        yield fake


def test_the_hmac_test_vector():
    assert http_gateway.sign(SECRET, VECTOR_BODY) == VECTOR_SIGNATURE
    assert http_gateway.signature_ok(SECRET, VECTOR_BODY, VECTOR_SIGNATURE.upper())
    assert not http_gateway.signature_ok(SECRET, VECTOR_BODY + b" ", VECTOR_SIGNATURE)
    assert not http_gateway.signature_ok("", VECTOR_BODY, VECTOR_SIGNATURE)


def _notify(client, body: bytes, signature: str):
    return client.post(reverse("applications:payment_notify", args=["http"]), body, content_type="application/json",
                       HTTP_X_SIGNATURE=signature)


def _apply_and_start(client, gateway):
    card = held_card("temporarily_lost")
    application = apply(card)
    payment = Payment.objects.get(application=application)
    assert payment.gateway == "http"
    client.force_login(card.holder)
    page = client.get(reverse("applications:pay", args=[application.office_code])).content.decode()
    assert "Pay online" in page and "20.00 yuan" in page
    response = client.post(reverse("applications:pay", args=[application.office_code]))
    assert response.status_code == 302 and response.url == f"{gateway.url}/pay/{payment.order_id}"
    path, sent = gateway.requests[-1]
    assert path == "/orders"
    assert sent["amount_fen"] == 2000 and sent["currency"] == "CNY" and sent["merchant"] == MERCHANT
    assert sent["notify_url"].endswith(reverse("applications:payment_notify", args=["http"]))
    assert sent["return_url"].endswith(reverse("applications:payment_return", args=[application.office_code]))
    return card, application, Payment.objects.get(pk=payment.pk)


def test_pay_online_and_the_same_notification_twice_is_recorded_once(client, gateway):
    _card, application, payment = _apply_and_start(client, gateway)
    body, signature = gateway.pay(payment.order_id, "T-42")
    first = _notify(client, body, signature)
    assert first.status_code == 200 and first.json() == {"result": "ok", "order_id": payment.order_id,
                                                         "recorded": True}
    again = _notify(client, body, signature)
    assert again.status_code == 200 and again.json()["recorded"] is False
    payment.refresh_from_db()
    assert (payment.state, payment.gateway_reference) == ("paid", "T-42")
    assert AuditEvent.objects.filter(event_type="payment.paid", subject_id=payment.order_id).count() == 1
    page = client.get(reverse("applications:pay", args=[application.office_code])).content.decode()
    assert "The fee is paid." in page and "Pay online" not in page


@pytest.mark.parametrize(("change", "status", "code"), [
    ("signature", 403, "bad_signature"),
    ("order", 404, "unknown_order"),
    ("amount", 400, "wrong_amount"),
    ("status", 400, "not_paid"),
    ("merchant", 400, "malformed"),
])
def test_a_bad_notification_is_refused_and_changes_nothing(client, gateway, change, status, code):
    _card, _application, payment = _apply_and_start(client, gateway)
    data = {"merchant": MERCHANT, "order_id": payment.order_id, "amount_fen": 2000, "status": "paid",
            "transaction_id": "T-1"}
    if change == "order":
        data["order_id"] = "SS20260101NOSUCHORDER0000000000"
    elif change == "amount":
        data["amount_fen"] = 1
    elif change == "status":
        data["status"] = "failed"
    elif change == "merchant":
        data["merchant"] = "SOMEBODY-ELSE"
    body = encode(data)
    signature = sign(body, "a-guessed-secret") if change == "signature" else sign(body)
    response = _notify(client, body, signature)
    assert response.status_code == status and response.json() == {"result": "refused", "code": code}
    payment.refresh_from_db()
    assert payment.state == "pending" and payment.paid_at is None
    assert not AuditEvent.objects.filter(event_type="payment.paid").exists()
    assert AuditEvent.objects.filter(event_type="payment.notification_refused").count() == 1


def test_a_notification_without_a_signature_or_for_an_unknown_gateway_is_refused(client, gateway):
    _card, _application, payment = _apply_and_start(client, gateway)
    body, _signature = gateway.pay(payment.order_id)
    assert client.post(reverse("applications:payment_notify", args=["http"]), body,
                       content_type="application/json").status_code == 403
    assert _notify(client, body, sign(body)).status_code == 200  # the real one still counts afterwards
    assert client.post(reverse("applications:payment_notify", args=["nosuch"]), body,
                       content_type="application/json").status_code == 404
    assert client.get(reverse("applications:payment_notify", args=["http"])).status_code == 405


def test_back_from_the_pay_page_before_the_notification_the_gateway_is_asked(client, gateway):
    _card, application, payment = _apply_and_start(client, gateway)
    response = client.get(reverse("applications:payment_return", args=[application.office_code]), follow=True)
    assert "The payment has not been confirmed yet." in response.content.decode()
    gateway.pay(payment.order_id, "T-7")  # paid; the notification is lost on its way
    response = client.get(reverse("applications:payment_return", args=[application.office_code]), follow=True)
    assert "Thank you: the fee is paid." in response.content.decode()
    payment.refresh_from_db()
    assert (payment.state, payment.gateway_reference) == ("paid", "T-7")
    assert gateway.requests[-1][0] == "/orders/query"


def test_the_gateway_down_is_told_and_changes_nothing(client, gateway):
    card = held_card("temporarily_lost")
    application = apply(card)
    gateway.fail_with = 503
    client.force_login(card.holder)
    response = client.post(reverse("applications:pay", args=[application.office_code]))
    assert "The payment service cannot be reached just now." in response.content.decode()
    assert Payment.objects.get(application=application).pay_url == ""


def _reject(application):
    reviewer, supervisor = new_staff(["reviewer"]), new_staff(["supervisor"])
    review.start_review(staff=reviewer, application=application)
    review.propose_rejection(staff=reviewer, application=application, reason_code=next(iter(REJECTION_REASONS)),
                             note="x")
    review.decide_rejection(staff=supervisor, application=application, confirm=True)


def test_a_paid_case_rejected_is_refunded_through_the_gateway(client, gateway):
    _card, application, payment = _apply_and_start(client, gateway)
    _notify(client, *gateway.pay(payment.order_id))
    _reject(application)
    payment.refresh_from_db()
    assert payment.state == "refunded" and payment.refunded_at is not None
    path, sent = gateway.requests[-1]
    assert path == "/refunds" and sent["order_id"] == payment.order_id and sent["amount_fen"] == 2000
    assert gateway.orders[payment.order_id]["status"] == "refunded"
    assert Application.objects.get(pk=application.pk).state == "rejected"


def test_a_failed_refund_refuses_the_rejection_and_changes_nothing(client, gateway):
    _card, application, payment = _apply_and_start(client, gateway)
    _notify(client, *gateway.pay(payment.order_id))
    gateway.refunds_fail = True
    with pytest.raises(CaseworkError) as error:
        _reject(application)
    assert error.value.code == "refund_failed"
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert Application.objects.get(pk=application.pk).state == "under_review"


def test_the_system_check_refuses_an_unknown_gateway_and_an_unconfigured_http_gateway(settings):
    settings.PAYMENT_GATEWAY = "carrier-pigeon"
    with pytest.raises(SystemCheckError, match="applications.E001"):
        call_command("check")
    settings.PAYMENT_GATEWAY = "http"
    settings.PAYMENT_HTTP_URL = settings.PAYMENT_HTTP_SECRET = settings.PAYMENT_HTTP_MERCHANT = ""
    with pytest.raises(SystemCheckError, match="PAYMENT_HTTP_SECRET"):
        call_command("check")


def test_applying_on_the_page_sends_the_holder_straight_to_the_gateway(client, gateway):
    card = held_card("temporarily_lost")
    client.force_login(card.holder)
    response = client.post(reverse("cards:replace", args=[card.card_number, "replacement"]),
                           {"reason": "lost", "delivery": "pickup", "outlet": wuchang().pk})
    payment = Payment.objects.get(application__kind="replacement")
    assert response.status_code == 302 and response.url == f"{gateway.url}/pay/{payment.order_id}"
    gateway.fail_with = 503  # down: the holder lands on the fee page with the reason, and can try again
    other = held_card("formally_lost")
    client.force_login(other.holder)
    response = client.post(reverse("cards:replace", args=[other.card_number, "replacement"]),
                           {"reason": "lost", "delivery": "pickup", "outlet": wuchang().pk}, follow=True)
    assert "The payment service cannot be reached just now." in response.content.decode()
    assert "Pay online" in response.content.decode()
