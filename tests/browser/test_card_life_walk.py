"""Issue 12, "Done when": a holder walks through the life of a card in their language (zh-Hans, es), on a
375 px phone, every page axe clean and free of console errors: confirm the receipt of a posted card → enable it
with a PIN (SMS code from the development outbox) → issue the e-card (SMS code) and show its QR code, decoded
from the screenshot with a real QR decoder (zxing-cpp) and verified with the published keys → report it lost
(the e-card's code is now refused by the online status check) → withdraw the report → report it lost
again → apply for a paid replacement → (a clerk records the fee at the counter; the back office reviews,
pre-opens, produces and posts the new card, through the services) → confirm the receipt of the new card and
enable it → "My card" shows the new card active and the old one replaced.

The holder's steps are taken on the pages; the staff steps through the services (the back office has its own
browser test). Expected texts are written out by hand, per language, from the catalogues."""

import re
import time
from datetime import date, timedelta

import pytest
import zxingcpp
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from sscard.accounts.models import SmsCode
from sscard.accounts.services import create_citizen
from sscard.applications import services as app_services
from sscard.applications.models import Application, Payment
from sscard.cards import delivery, replacement
from sscard.cards.models import Card
from sscard.casework import services
from sscard.casework.production import services as production_services
from sscard.domain import ecard
from sscard.domain.casestates import Role, State
from sscard.domain.idnumber import make_id_number
from sscard.reference.models import Manufacturer, ServiceSettings
from tests.accounts.conftest import forget_sms_throttles, last_code
from tests.casework.conftest import PASSWORD, give_card, new_application, private_media, reseed  # noqa: F401

PIN, NEW_PIN = "135792", "246813"

# What the holder reads, by language (hand-written from the catalogues). {n}: a card number; {code}: an office code.
EXPECTED = {
    "zh-hans": {
        "title": "我的社保卡",
        "received": "我已收到社会保障卡",
        "receipt_done": "谢谢！已确认签收社会保障卡{n}。",
        "sealed": "封存（尚未启用）",
        "enable": "启用社保卡",
        "enable_title": "启用社保卡{n}",
        "code_sent": "验证码已发送至",
        "enabled": "社保卡{n}已启用，现在可以使用了。",
        "active": "正常",
        "report": "临时挂失",
        "reported": "社保卡{n}已临时挂失，即时生效。",
        "lost": "临时挂失",
        "withdraw": "解除挂失",
        "withdrawn": "社保卡{n}已解除挂失，可以继续使用。",
        "replace": "申请补换卡",
        "replace_title": "申请补换卡",
        "fee": "20.00 元",
        "applied": "您的申请已受理。办件码：{code}。",
        "pay": "请到任一服务网点窗口缴纳 20.00 元，并出示办件码 {code}。窗口登记缴费后，申请将继续办理。",
        "in_progress": "补换卡办理中：",
        "replaced": "已补换",
        "ecard": "我的电子社保卡",
        "ecard_issued": "您的电子社保卡已签发。",
        "ecard_qr": "您的电子社保卡二维码",
    },
    "es": {
        "title": "Mi tarjeta de seguridad social",
        "received": "He recibido mi tarjeta",
        "receipt_done": "Gracias: se ha confirmado la recepción de la tarjeta {n}.",
        "sealed": "Inactiva (aún no activada)",
        "enable": "Activar la tarjeta",
        "enable_title": "Activar la tarjeta {n}",
        "code_sent": "Se ha enviado un código de verificación al",
        "enabled": "La tarjeta {n} está activada: ya puede usarla.",
        "active": "Activa",
        "report": "Comunicar la pérdida",
        "reported": "La tarjeta {n} consta como perdida: queda bloqueada desde ahora.",
        "lost": "Con pérdida comunicada (bloqueo temporal)",
        "withdraw": "Retirar la comunicación de pérdida",
        "withdrawn": "Se ha retirado la comunicación de pérdida de la tarjeta {n}: la tarjeta se puede volver a usar.",
        "replace": "Solicitar una reposición",
        "replace_title": "Solicitar una tarjeta de reposición",
        "fee": "20.00 yuanes",
        "applied": "Hemos recibido su solicitud. Código de trámite: {code}.",
        "pay": "Pague 20.00 yuanes en la ventanilla de cualquier punto de servicio indicando el código de trámite "
               "{code}. La solicitud sigue adelante cuando el empleado registre el pago.",
        "in_progress": "Tarjeta de reposición en curso:",
        "replaced": "Sustituida",
        "ecard": "Mi tarjeta electrónica",
        "ecard_issued": "Su tarjeta electrónica de seguridad social está emitida.",
        "ecard_qr": "Código QR de su tarjeta electrónica de seguridad social",
    },
}
SHORT = {"zh-hans": "zh", "es": "es"}
BROWSER_LOCALE = {"zh-hans": "zh-CN", "es": "es"}


def login(page, holder) -> None:
    page.goto(reverse("accounts:login"))
    page.locator("#id_identifier").fill(holder.id_number)
    page.locator("#id_password").fill(PASSWORD)
    page.locator(f'form[action="{reverse("accounts:login")}"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))


def card_panel(page, card):
    return page.locator(f'section[aria-labelledby="card-{card.card_number}"]')


def state_of(page, card):
    """The state a card's panel on "My card" shows (the <dd> after the second <dt>)."""
    return card_panel(page, card).locator("dl.facts dd").nth(1)


def success(page):
    return page.locator(".message.success")


def checked(page, assert_accessible, console_errors) -> None:
    assert_accessible(page)
    assert console_errors(page) == []


def confirm_receipt(page, card, texts, assert_accessible, console_errors) -> None:
    page.goto(reverse("cards:mine"))
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["title"])
    button = card_panel(page, card).locator(
        f'form[action="{reverse("cards:confirm_receipt", args=[card.card_number])}"] button')
    expect(button).to_have_text(texts["received"])
    checked(page, assert_accessible, console_errors)
    button.click()
    expect(success(page)).to_have_text(texts["receipt_done"].format(n=card.card_number))
    expect(state_of(page, card)).to_have_text(texts["sealed"])


def fresh_code_allowed(phone: str) -> None:
    """The one-code-a-minute limit: earlier codes of the walk are moved back in time, and the resend throttle
    forgotten. With Redis the holder's session lives in the same cache, so only the throttle keys go there."""
    SmsCode.objects.filter(phone=phone).update(created_at=F("created_at") - timedelta(minutes=2))
    forget_sms_throttles()


def enable(page, card, chosen, texts, assert_accessible, console_errors, shot=None, screenshot=None) -> None:
    """From "My card": Enable the card → Send code → the code from the outbox, the PIN twice → enabled."""
    fresh_code_allowed(card.holder.phone)
    card_panel(page, card).get_by_role("link", name=texts["enable"]).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("cards:enable", args=[card.card_number])) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["enable_title"].format(n=card.card_number))
    page.locator('button[value="send_code"]').click()
    expect(success(page)).to_contain_text(texts["code_sent"])
    page.locator("#id_sms_code").fill(last_code(card.holder.phone))
    page.locator("#id_pin").fill(chosen)
    page.locator("#id_pin_repeat").fill(chosen)
    checked(page, assert_accessible, console_errors)
    if shot:
        screenshot(page, shot)
    page.locator('button[value="submit"]').click()
    expect(page).to_have_url(re.compile(re.escape(reverse("cards:mine")) + "$"))
    expect(success(page)).to_have_text(texts["enabled"].format(n=card.card_number))
    expect(state_of(page, card)).to_have_text(texts["active"])


def issue_ecard(page, card, texts, shot, screenshot, assert_accessible, console_errors) -> str:
    """My card → My e-card → Send code → the code from the outbox → Issue: the QR code. A screenshot of the page
    is decoded with zxing-cpp; the token it holds verifies with the keys the server publishes. Returns it."""
    fresh_code_allowed(card.holder.phone)
    card_panel(page, card).get_by_role("link", name=texts["ecard"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["ecard"])
    page.locator('button[value="send_code"]').click()
    expect(success(page)).to_contain_text(texts["code_sent"])
    page.locator("#id_sms_code").fill(last_code(card.holder.phone))
    checked(page, assert_accessible, console_errors)
    page.locator('button[value="issue"]').click()
    expect(success(page)).to_have_text(texts["ecard_issued"])
    expect(page.get_by_role("img", name=texts["ecard_qr"])).to_be_visible()
    checked(page, assert_accessible, console_errors)
    path = screenshot(page, shot)
    decoded = [found.text for found in zxingcpp.read_barcodes(Image.open(path))]
    assert decoded == [page.locator("#ecard-token").text_content()]
    keys = ecard.keys_from_jwks(page.request.get("/.well-known/sscard-ecard-keys.json").json())
    verified = ecard.verify(decoded[0], keys, int(time.time()))
    assert verified.ok and verified.claims["holder"] == "李*", verified
    assert online_status(page, decoded[0]) == "valid"
    return decoded[0]


def online_status(page, token: str) -> str:
    """What a terminal hears from the public online status check for `token`."""
    answer = page.request.get("/api/v1/ecard/status", params={"token": token})
    assert answer.ok, answer.status
    return answer.json()["status"]


def loss_action(page, card, button, done, state, assert_accessible, console_errors) -> None:
    card_panel(page, card).get_by_role("button", name=button, exact=True).click()
    expect(success(page)).to_have_text(done.format(n=card.card_number))
    expect(state_of(page, card)).to_have_text(state)
    checked(page, assert_accessible, console_errors)


def apply_for_replacement(page, card, holder, texts, shot, screenshot, assert_accessible, console_errors) -> str:
    """My card → Apply for a replacement → the card is lost, posted home → the counter fee instructions."""
    card_panel(page, card).get_by_role("link", name=texts["replace"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["replace_title"])
    expect(page.locator("#replacement-fee")).to_have_text(texts["fee"])
    page.locator('input[name="reason"][value="lost"]').check()
    page.locator('input[name="delivery"][value="post"]').check()
    page.locator("#id_recipient_name").fill(holder.real_name)
    page.locator("#id_recipient_phone").fill(holder.phone)
    page.locator("#id_post_province").select_option("420000")
    page.locator("#id_post_city").select_option("420100")
    page.locator("#id_post_district").select_option("420106")
    page.locator("#id_post_detail").fill("珞喻路 1 号")
    checked(page, assert_accessible, console_errors)
    screenshot(page, shot)
    page.locator("#replace-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/pay$"))
    application = Application.objects.get(kind="replacement", applicant=holder)
    code = application.display_code
    expect(success(page)).to_have_text(texts["applied"].format(code=code))
    expect(page.locator("main")).to_contain_text(texts["pay"].format(code=code))
    checked(page, assert_accessible, console_errors)
    return application


def back_office_makes_and_posts(application, n) -> Card:
    """The clerk records the fee at the counter; the reviewer approves; the bank pre-opens; the manufacturer's
    result file creates the new card; the production operator posts it. All through the services."""
    staff = {role: services.create_staff_member(username=f"{role}-walk-{n}", password=PASSWORD, real_name="员工",
                                                roles=[role], areas=["district:420106"])
             for role in ("clerk", "reviewer", "production", "supervisor")}
    with translation.override("zh-hans"):
        assert replacement.record_counter_payment(staff=staff["clerk"], application=application) is True
        services.claim(staff=staff["reviewer"], application=application)
        services.approve(staff=staff["reviewer"], application=application)
        app_services.change_state(application=application, to_state=State.IN_PRODUCTION, role=Role.SUPERVISOR)
        batch = production_services.create_batch(staff=staff["supervisor"],
                                                 manufacturer=Manufacturer.objects.get(code="default"))
        result = production_services.import_batch_result(
            staff=staff["supervisor"], batch=batch,
            data=("office_code,card_number,card_id,issue_date,expiry_date,bank_account\n"
                  f"{application.office_code},R{n:08d},{n + 100:032X},2026-12-01,2036-12-01,6222020200001234567\n"
                  ).encode())
        assert not result.errors and result.applied == 1
        application.refresh_from_db()
        delivery.record_tracking(staff=staff["production"], application=application,
                                 tracking_number=f"SF{n + 50:010d}")
    assert Payment.objects.get(application=application).state == "paid"
    return Card.objects.get(application=application)


@pytest.mark.parametrize("lang, n", [("zh-hans", 1), ("es", 2)])
def test_a_holder_walks_through_the_life_of_a_card(lang, n, django_db_serialized_rollback, make_page,
                                                    assert_accessible, screenshot, console_errors):
    reseed()  # an earlier transactional test may have flushed the seeded configuration
    row = ServiceSettings.load()
    row.ecard_token_seconds = 600  # the longest lifetime: the QR code does not expire during the walk
    row.save()
    texts, short = EXPECTED[lang], SHORT[lang]
    holder = create_citizen(real_name="李梅", document_type="resident_id",
                            id_number=make_id_number("420106", date(1988, 6, n), 300 + 2 * n),
                            phone=f"1370000{n:04d}", password=PASSWORD, channel="test", language=lang)
    application = new_application(holder, delivery="post", state=State.IN_PRODUCTION)
    old = give_card(application)
    production = services.create_staff_member(username=f"post-{n}", password=PASSWORD, real_name="员工",
                                              roles=["production"], areas=["district:420106"])
    delivery.record_tracking(staff=production, application=application, tracking_number=f"SF{n:010d}")

    page = make_page(viewport={"width": 375, "height": 812}, locale=BROWSER_LOCALE[lang], is_mobile=True,
                     has_touch=True)
    login(page, holder)

    # The posted card arrived: confirm its receipt, then enable it with a PIN.
    confirm_receipt(page, old, texts, assert_accessible, console_errors)
    enable(page, old, PIN, texts, assert_accessible, console_errors, shot=f"card-enable-{short}",
           screenshot=screenshot)
    checked(page, assert_accessible, console_errors)

    # The e-card: its QR code, read off the screen, is a token the published keys verify.
    token = issue_ecard(page, old, texts, f"card-ecard-{short}", screenshot, assert_accessible, console_errors)
    page.goto(reverse("cards:mine"))

    # Lost (the e-card's code is refused from then on), found again, lost again.
    loss_action(page, old, texts["report"], texts["reported"], texts["lost"], assert_accessible, console_errors)
    assert online_status(page, token) == "revoked"
    loss_action(page, old, texts["withdraw"], texts["withdrawn"], texts["active"], assert_accessible, console_errors)
    loss_action(page, old, texts["report"], texts["reported"], texts["lost"], assert_accessible, console_errors)
    screenshot(page, f"card-loss-{short}")

    # A paid replacement, the fee paid at the counter, the new card made and posted.
    new_application_ = apply_for_replacement(page, old, holder, texts, f"card-replacement-{short}", screenshot,
                                             assert_accessible, console_errors)
    page.goto(reverse("cards:mine"))
    in_progress = page.locator(f"#replacement-in-progress-{old.card_number}")
    expect(in_progress).to_contain_text(texts["in_progress"])
    expect(in_progress).to_contain_text(new_application_.display_code)
    checked(page, assert_accessible, console_errors)
    new = back_office_makes_and_posts(new_application_, n)
    assert Card.objects.get(pk=old.pk).state == "replaced"  # void as soon as the new card is issued

    # The holder confirms the receipt of the new card and enables it with a PIN of their own.
    confirm_receipt(page, new, texts, assert_accessible, console_errors)
    enable(page, new, NEW_PIN, texts, assert_accessible, console_errors)

    # "My card": the new card active, the old one replaced.
    page.goto(reverse("cards:mine"))
    expect(state_of(page, new)).to_have_text(texts["active"])
    expect(state_of(page, old)).to_have_text(texts["replaced"])
    expect(card_panel(page, old).locator("form")).to_have_count(0)  # nothing more to do with a void card
    checked(page, assert_accessible, console_errors)
    screenshot(page, f"card-new-active-{short}")
    assert [c.state for c in Card.objects.filter(holder=holder).order_by("pk")] == ["replaced", "active"]
