"""What the citizen is told as the back office moves a case (issue 11): that the review passed (before, the
first message after "application received" was "in production"), and, once the card is posted or ready
at the outlet, a message that leads to the card page, where the receipt is confirmed."""

import pytest
from django.utils import translation

from sscard.cards import delivery
from sscard.casework import services
from sscard.domain.casestates import State
from sscard.notify.models import Message, OutboxSms
from sscard.reference.models import Stage

from .conftest import give_card, new_application, receive

pytestmark = pytest.mark.django_db

# language: (message subject, words of the message body, words of the SMS), written by hand
REVIEW_PASSED = {
    "en": ("Card application {code}: review passed",
           ["review of your social security card application {code} is done: it passed",
            "bank now pre-opens the account"],
           ["Application {code} passed the review", "bank now pre-opens"]),
    "zh-hans": ("社会保障卡申领{code}：审核通过",
                ["您的社会保障卡申领{code}已审核通过", "银行", "预开立"],
                ["【社会保障卡】您的申领{code}已审核通过", "银行正在预开户"]),
    "es": ("Solicitud de tarjeta {code}: revisión superada",
           ["ha superado", "preabre ahora la cuenta"],
           ["La solicitud {code} ha superado la revisión"]),
}


def _last_message(user):
    return Message.objects.filter(user=user).order_by("-id").first()


def _last_sms(user):
    return OutboxSms.objects.filter(phone=user.phone).order_by("-id").first()


def test_the_stage_reached_on_approval_notifies_the_citizen_by_default():
    assert Stage.objects.get(code="bank_preopening").notify_citizen is True


@pytest.mark.parametrize("language", sorted(REVIEW_PASSED))
def test_approval_tells_the_citizen_the_review_passed_by_message_and_sms(reviewer, language,
                                                                         django_capture_on_commit_callbacks):
    application = new_application()
    citizen = application.applicant
    citizen.preferred_language = language  # the citizen's language, whoever acts (here a reviewer in Chinese)
    citizen.save(update_fields=["preferred_language"])
    services.claim(staff=reviewer, application=application)
    before = Message.objects.filter(user=citizen).count()
    subject, body_words, sms_words = REVIEW_PASSED[language]
    code = application.display_code
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        services.approve(staff=reviewer, application=application)
    assert application.state == State.BANK_PREOPENING
    assert Message.objects.filter(user=citizen).count() == before + 1
    message = _last_message(citizen)
    assert message.subject == subject.format(code=code)
    for words in body_words:
        assert words.format(code=code) in message.body
    assert message.link == f"/card/applications/{application.office_code}"
    sms = _last_sms(citizen)
    for words in sms_words:
        assert words.format(code=code) in sms.text


def test_an_administrator_can_still_turn_the_review_notice_off(reviewer):
    stage = Stage.objects.get(code="bank_preopening")
    stage.notify_citizen = False
    stage.save()
    application = new_application()
    services.claim(staff=reviewer, application=application)
    before = Message.objects.filter(user=application.applicant).count()
    services.approve(staff=reviewer, application=application)
    assert Message.objects.filter(user=application.applicant).count() == before


def test_the_posting_message_leads_to_the_card_page_where_the_receipt_is_confirmed(
        production, client, django_capture_on_commit_callbacks):
    application = new_application(delivery="post", state=State.IN_PRODUCTION)
    application.applicant.preferred_language = "en"
    application.applicant.save(update_fields=["preferred_language"])
    give_card(application)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        delivery.record_tracking(staff=production, application=application, tracking_number="SF1234567890")
    message = _last_message(application.applicant)
    assert message.link == "/cards/"
    assert 'confirm its receipt in "My homepage" › "My social security card"' in message.body
    assert '"My social security card"' in _last_sms(application.applicant).text
    client.force_login(application.applicant)
    page = client.get(message.link).content.decode()
    assert "I have received my card" in page


def test_the_ready_for_pickup_message_leads_to_the_card_page(clerk, django_capture_on_commit_callbacks):
    application = new_application(state=State.IN_PRODUCTION)
    give_card(application)
    receive(application)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.mark_ready(staff=clerk, application=application)
    assert _last_message(application.applicant).link == "/cards/"


def test_without_a_card_the_message_still_leads_to_the_application(supervisor):
    application = new_application(state=State.IN_PRODUCTION)
    receive(application)
    delivery.mark_ready(staff=supervisor, application=application)
    assert _last_message(application.applicant).link == f"/card/applications/{application.office_code}"
