"""Issue 11, "Done when": a citizen registers in their language, applies, staff working in Chinese review,
pre-open the bank account, produce and post the card, the citizen confirms its receipt — and the citizen's
messages page, the SMS they were sent (the development outbox) and the application's history all read in the
citizen's language. Checked by text; expected texts written out by hand, per language.

The citizen's steps (registration, the application by post, the receipt confirmation) are driven in the
browser; the staff steps are taken through the services (the back office's own browser test covers those
pages), with Chinese active, as a Chinese-speaking member of staff would: a reviewer claims and approves, then
the bank pre-opening and production stages, then the production operator posts the card."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from sscard.accounts.models import User
from sscard.applications import services as app_services
from sscard.applications.models import Application
from sscard.cards import delivery
from sscard.casework import services
from sscard.domain.casestates import Role, State
from sscard.domain.idnumber import make_id_number
from sscard.notify.models import OutboxSms
from tests.applications import images
from tests.casework.conftest import PASSWORD, give_card, private_media, reseed  # noqa: F401

from .steps import register_online

# What the citizen reads, by language (hand-written). {code}: the office code as shown; {tracking}: the number.
EXPECTED = {
    "zh-hans": {
        "messages": ["欢迎使用社会保障卡服务", "社会保障卡申领已收到，办件码：{code}",
                     "社会保障卡申领{code}：正在制卡", "社会保障卡申领{code}：卡片寄送中/待领取"],
        "sms_prefix": "【社会保障卡】",
        "sms": ["【社会保障卡】您的申领{code}：正在制卡，详情请登录网站查看。",
                "【社会保障卡】您的申领{code}：卡片寄送中/待领取，详情请登录网站查看。 已寄出，运单号：{tracking}。"
                "收到社会保障卡后，请登录后在“我的主页 › 我的社保卡”中确认签收。"],
        "history": ["已寄出，运单号：{tracking}。收到社会保障卡后，请登录后在“我的主页 › 我的社保卡”中确认签收。",
                    "持卡人已在线确认签收。"],
        "received": "我已收到社会保障卡",
    },
    "es": {
        "messages": ["Le damos la bienvenida al servicio de la tarjeta de seguridad social",
                     "Solicitud de tarjeta recibida: código de trámite {code}",
                     "Solicitud de tarjeta {code}: Tarjeta en fabricación",
                     "Solicitud de tarjeta {code}: Tarjeta en camino o lista para recoger"],
        "sms_prefix": "[Tarjeta de seguridad social]",
        "sms": ["[Tarjeta de seguridad social] Solicitud {code}: Tarjeta en fabricación. Detalles en línea.",
                "[Tarjeta de seguridad social] Solicitud {code}: Tarjeta en camino o lista para recoger. Detalles en "
                "línea. Enviada por correo. Número de seguimiento: {tracking}. Cuando llegue la tarjeta, confirme su "
                "recepción en «Mi página de inicio» › «Mi tarjeta de seguridad social»."],
        "history": ["Enviada por correo. Número de seguimiento: {tracking}. Cuando llegue la tarjeta, confirme su "
                    "recepción en «Mi página de inicio» › «Mi tarjeta de seguridad social».",
                    "El titular ha confirmado la recepción en línea."],
        "received": "He recibido mi tarjeta",
    },
    "en": {
        "messages": ["Welcome to the social security card service", "Card application received: office code {code}",
                     "Card application {code}: Card being made", "Card application {code}: Card on its way / ready"],
        "sms_prefix": "[Social security card]",
        "sms": ["[Social security card] Application {code}: Card being made. Details online.",
                "[Social security card] Application {code}: Card on its way / ready. Details online. Posted. "
                "Tracking number: {tracking}. When the card arrives, confirm its receipt in \"My homepage\" › "
                "\"My social security card\"."],
        "history": ["Posted. Tracking number: {tracking}. When the card arrives, confirm its receipt in \"My homepage\" › "
                    "\"My social security card\".",
                    "Receipt confirmed online by the cardholder."],
        "received": "I have received my card",
    },
}
CHINESE_ONLY = ["正在制卡", "运单号", "确认签收"]  # what the Chinese-speaking staff's language would have shown




def primary_button(page):
    return page.locator("form.stacked button[type=submit]:not(.secondary)")


def apply_by_post(page, *, person):
    """My homepage → the service item → online application, the card to be posted; returns the office code."""
    from sscard.reference.models import PartnerBank

    page.locator(f'main a[href="{reverse("accounts:home")}"]').first.click()  # personal space → My homepage
    page.locator(f'main a[href="{reverse("applications:service")}"]').first.click()
    page.locator(f'main a.button[href="{reverse("applications:apply")}"]').click()
    expect(page).to_have_url(re.compile(r"/card/apply/applicant$"))
    primary_button(page).click()
    expect(page).to_have_url(re.compile(r"/card/apply/personal$"))
    page.locator("#id_document_valid_until").fill("2036-05-01")
    page.locator("#id_occupation").select_option("2")
    page.locator("#id_res_province").select_option("420000")
    page.locator("#id_res_city").select_option("420100")
    page.locator("#id_res_district").select_option("420106")
    page.locator("#id_res_detail").fill("中北路 100 号 1 栋 101 室")
    primary_button(page).click()
    expect(page).to_have_url(re.compile(r"/card/apply/delivery$"))
    page.locator("#id_bank").select_option(str(PartnerBank.objects.get(code="icbc").pk))
    page.locator('input[name="delivery"][value="post"]').check()
    page.locator("#id_recipient_name").fill(person["real_name"])
    page.locator("#id_recipient_phone").fill(person["phone"])
    page.locator("#id_post_province").select_option("420000")
    page.locator("#id_post_city").select_option("420100")
    page.locator("#id_post_district").select_option("420106")
    page.locator("#id_post_detail").fill("珞喻路 1 号")
    primary_button(page).click()
    expect(page).to_have_url(re.compile(r"/card/apply/photo$"))
    page.locator("#id_photo").set_input_files(
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": images.portrait(width=900, height=1200)}])
    expect(page.locator("#cropper")).to_be_visible()
    page.locator('button[value="preview"]').click()
    expect(page.locator(".card-photo img")).to_be_visible()
    primary_button(page).click()
    expect(page).to_have_url(re.compile(r"/card/apply/confirm$"))
    page.locator("#id_declaration").check()
    page.locator("#id_consent").check()
    primary_button(page).click()
    expect(page).to_have_url(re.compile(r"/card/applications/[0-9A-Z]{11}/submitted$"))
    return page.locator("#office-code").inner_text().strip()


@pytest.mark.parametrize("lang, n", [("zh-hans", 1), ("es", 2), ("en", 3)])
def test_a_citizen_walks_from_registration_to_received_in_their_language(
        lang, n, django_db_serialized_rollback, make_page, assert_accessible, console_errors):
    reseed()  # an earlier transactional test may have flushed the seeded configuration
    page = make_page(locale=lang)
    person = {"real_name": "李梅", "id_number": make_id_number("420106", date(1991, 4, n), 100 + 2 * n),
              "phone": f"1360000{n:04d}"}
    register_online(page, lang=lang, person=person)
    citizen = User.objects.get(phone=person["phone"])
    assert citizen.preferred_language == lang

    shown_code = apply_by_post(page, person=person)
    application = Application.objects.get(applicant=citizen)
    assert application.display_code == shown_code and application.delivery == "post"

    # The staff, all working in Chinese.
    tracking = f"SF{n:010d}"
    staff = {role: services.create_staff_member(username=f"{role}-{n}", password=PASSWORD, real_name="员工",
                                                roles=[role], areas=["district:420106"])
             for role in ("reviewer", "production")}
    with translation.override("zh-hans"):
        services.claim(staff=staff["reviewer"], application=application)
        services.approve(staff=staff["reviewer"], application=application)
        app_services.change_state(application=application, to_state=State.IN_PRODUCTION, role=Role.SUPERVISOR)
        card = give_card(application)
        delivery.record_tracking(staff=staff["production"], application=application, tracking_number=tracking)
    code = application.display_code
    expected = {key: [t.format(code=code, tracking=tracking) for t in texts] if isinstance(texts, list) else texts
                for key, texts in EXPECTED[lang].items()}

    # The citizen confirms the receipt on "My social security card".
    page.goto(reverse("cards:mine"))
    button = page.locator(f'form[action="{reverse("cards:confirm_receipt", args=[card.card_number])}"] button')
    expect(button).to_have_text(expected["received"])
    button.click()
    application.refresh_from_db()
    assert application.state == State.COLLECTED

    # My messages: every subject in the citizen's language.
    page.goto(reverse("notify:inbox"))
    inbox = page.locator("main").inner_text()
    for subject in expected["messages"]:
        assert subject in inbox, (subject, inbox)
    assert_accessible(page)

    # The SMS outbox: the code, then every card SMS, in the citizen's language.
    texts = list(OutboxSms.objects.filter(phone=person["phone"]).order_by("id").values_list("text", flat=True))
    card_sms = [t for t in texts if last_code_free(t)]
    assert card_sms[-2:] == expected["sms"], card_sms
    assert all(t.startswith(expected["sms_prefix"]) for t in card_sms), card_sms

    # The application's history (My applications → the application).
    page.goto(reverse("applications:detail", args=[application.office_code]))
    history = page.locator("main").inner_text()
    for note in expected["history"]:
        assert note in history, (note, history)
    if lang != "zh-hans":
        for word in CHINESE_ONLY:
            assert word not in inbox and word not in history and not any(word in t for t in card_sms)
    assert_accessible(page)
    assert console_errors(page) == []


def last_code_free(text: str) -> bool:
    """An SMS about the card (not a verification code)."""
    return re.search(r"(?<!\d)\d{6}(?!\d)", text) is None
