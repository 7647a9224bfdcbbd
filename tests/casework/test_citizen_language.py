"""A citizen's language is theirs (issue 11): SMS, in-site messages and history notes reach a Spanish-speaking
citizen in Spanish when a Chinese-speaking member of staff acts, and stored messages and notes are read in the
reader's language, so they follow a later switch. Expected texts are written out by hand."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sscard.accounts.services import set_preferred_language
from sscard.cards import delivery
from sscard.domain.casestates import State
from sscard.notify.models import Message, OutboxSms
from sscard.notify.services import post_message

from .conftest import give_card, new_application, new_citizen, receive, staff_client

pytestmark = pytest.mark.django_db

# What the citizen reads when the card is ready at the Wuchang outlet, by language (hand-written).
READY = {
    "es": {
        "subject": "Solicitud de tarjeta {code}: Tarjeta en camino o lista para recoger",
        "sms": "[Tarjeta de seguridad social] Solicitud {code}: Tarjeta en camino o lista para recoger. Detalles en "
               "línea. Su tarjeta está lista para recoger en Ventanilla de tarjetas, Centro de Servicios "
               "Administrativos del distrito de Wuchang (武昌区政务服务中心社保卡窗口), Centro de Servicios "
               "Administrativos del distrito de Wuchang, Wuhan. Horario de atención: De lunes a viernes, "
               "9:00–17:00; sábados, 9:00–12:00. Traiga su tarjeta de identidad (si la recoge un representante, "
               "este debe traer su propia tarjeta de identidad y su autorización escrita).",
        "body_start": "Su solicitud de la tarjeta de seguridad social {code} se encuentra ahora en la etapa: "
                      "Tarjeta en camino o lista para recoger.",
    },
    "zh-hans": {
        "subject": "社会保障卡申领{code}：卡片寄送中/待领取",
        "sms": "【社会保障卡】您的申领{code}：卡片寄送中/待领取，详情请登录网站查看。 您的社会保障卡已可在"
               "武昌区政务服务中心社保卡窗口（武汉市武昌区政务服务中心）领取。办公时间：周一至周五 9:00–17:00，"
               "周六 9:00–12:00。请携带本人身份证领取（委托他人代领的，代领人须携带其本人身份证和您的书面委托书）。",
        "body_start": "您的社会保障卡申领（办件码{code}）当前办理阶段：卡片寄送中/待领取。",
    },
    "en": {
        "subject": "Card application {code}: Card on its way / ready",
        "sms": "[Social security card] Application {code}: Card on its way / ready. Details online. Your card is "
               "ready for collection at Wuchang District service centre card counter (武昌区政务服务中心社保卡窗口), "
               "Wuchang District Government Service Centre, Wuhan. Opening hours: Monday to Friday 9:00–17:00, "
               "Saturday 9:00–12:00. Bring your ID card (an agent brings their own ID card and your written "
               "authorisation).",
        "body_start": "Your social security card application {code} is now at the stage: Card on its way / ready.",
    },
}
HANDED_OVER = {"es": "Tarjeta entregada al titular en el mostrador.",
               "zh-hans": "已在窗口将社会保障卡交付持卡人本人。",
               "en": "Card handed over to the cardholder at the counter."}


def citizen_in(language):
    citizen = new_citizen()
    set_preferred_language(user=citizen, language=language)
    return citizen


def browser(user, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def ready_case(citizen, clerk, capture):
    application = new_application(citizen, state=State.IN_PRODUCTION)
    receive(application)
    with translation.override("zh-hans"), capture(execute=True):  # the clerk works in Chinese
        delivery.mark_ready(staff=clerk, application=application)
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("language", ["es", "zh-hans", "en"])
def test_the_citizen_gets_sms_and_message_in_their_language_when_a_chinese_clerk_acts(
        language, clerk, django_capture_on_commit_callbacks):
    citizen = citizen_in(language)
    application = ready_case(citizen, clerk, django_capture_on_commit_callbacks)
    code = application.display_code
    expected = {key: text.format(code=code) for key, text in READY[language].items()}
    sms = OutboxSms.objects.filter(phone=citizen.phone).order_by("-id").first()
    assert sms.text == expected["sms"]
    message = Message.objects.filter(user=citizen).order_by("-id").first()
    # The text kept for older readers is in the citizen's language too.
    assert message.subject == expected["subject"]
    inbox = browser(citizen, language).get(reverse("notify:inbox")).content.decode()
    assert expected["subject"] in inbox
    page = browser(citizen, language).get(reverse("notify:detail", args=[message.pk])).content.decode()
    assert expected["body_start"] in page


def test_a_stored_message_follows_the_citizens_later_switch_of_language(clerk, django_capture_on_commit_callbacks):
    citizen = citizen_in("es")
    application = ready_case(citizen, clerk, django_capture_on_commit_callbacks)
    code = application.display_code
    message = Message.objects.filter(user=citizen).order_by("-id").first()
    client = browser(citizen, "es")
    assert READY["es"]["subject"].format(code=code) in client.get(reverse("notify:inbox")).content.decode()

    client.post(reverse("web:set_language"), {"language": "zh-hans", "next": "/messages/"})
    citizen.refresh_from_db()
    assert citizen.preferred_language == "zh-hans"
    page = client.get(reverse("notify:detail", args=[message.pk])).content.decode()
    assert READY["zh-hans"]["subject"].format(code=code) in page
    assert READY["zh-hans"]["body_start"].format(code=code) in page
    assert "Solicitud de tarjeta" not in page


def test_history_notes_are_read_in_the_readers_language(clerk, django_capture_on_commit_callbacks):
    citizen = citizen_in("es")
    application = ready_case(citizen, clerk, django_capture_on_commit_callbacks)
    give_card(application)
    with translation.override("zh-hans"):
        delivery.hand_over(staff=clerk, application=application, collector="holder", id_number=citizen.id_number)
    detail = reverse("applications:detail", args=[application.office_code])
    client = browser(citizen, "es")
    page = client.get(detail).content.decode()
    assert HANDED_OVER["es"] in page and HANDED_OVER["zh-hans"] not in page
    client.post(reverse("web:set_language"), {"language": "zh-hans", "next": detail})
    page = client.get(detail).content.decode()
    assert HANDED_OVER["zh-hans"] in page and HANDED_OVER["es"] not in page
    # Staff read the notes in their own language (staff_client asks for English pages).
    case = staff_client(clerk).get(reverse("casework:case", args=[application.office_code])).content.decode()
    assert HANDED_OVER["en"] in case
    ready_note_en = "Your card is ready for collection at Wuchang District service centre card counter"
    assert ready_note_en in case


def test_an_agents_hand_over_note_keeps_only_masked_data(clerk):
    citizen = citizen_in("es")
    application = new_application(citizen, state=State.READY_FOR_PICKUP)
    give_card(application)
    delivery.hand_over(staff=clerk, application=application, collector="agent", id_number="360426199101010071",
                       agent_name="李四", authorisation_checked=True)
    change = application.changes.order_by("-id").first()
    stored = json.dumps(change.note_text, ensure_ascii=False)
    assert "360426199101010071" not in stored and "李四" not in stored
    with translation.override("es"):
        assert change.shown_note == ("Tarjeta entregada en el mostrador a un representante autorizado (李*, "
                                     "documento 360426********0071).")


def test_messages_written_before_keys_were_stored_show_their_text_as_written(db):
    citizen = citizen_in("es")
    old = Message.objects.create(user=citizen, subject="旧消息", body="旧正文")  # as rows were before issue 11
    with translation.override("es"):
        assert (old.shown_subject, old.shown_body) == ("旧消息", "旧正文")
    plain = post_message(user=citizen, subject="Texto libre", body="")
    assert plain.subject_text is None and plain.shown_subject == "Texto libre"


def test_a_return_for_correction_reads_in_the_citizens_language(reviewer, django_capture_on_commit_callbacks):
    from sscard.applications.models import CorrectionItem
    from sscard.casework import services

    citizen = citizen_in("es")
    application = new_application(citizen)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        services.claim(staff=reviewer, application=application)
        services.return_for_correction(staff=reviewer, application=application,
                                       reasons=[("address_incomplete", "请补充门牌号")])
    code = application.display_code
    sms = OutboxSms.objects.filter(phone=citizen.phone).order_by("-id").first()
    assert sms.text == (f"[Tarjeta de seguridad social] Solicitud {code}: Requiere su intervención. Detalles en "
                        "línea. Domicilio incompleto o poco claro: 请补充门牌号")  # the reviewer's own words as written
    assert CorrectionItem.objects.get(application=application).message == "Domicilio incompleto o poco claro: 请补充门牌号"
    change = application.changes.order_by("-id").first()
    with translation.override("zh-hans"):
        assert change.shown_note == "居住地址不完整或不清楚：请补充门牌号"
