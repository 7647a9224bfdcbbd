"""The staff page of bank card events in a real browser (Spanish): a production operator imports a bank's list
of frozen cards, sees both kinds of difference among the cards of the area, and downloads the day's outgoing
file of a file-exchange bank. Checked by axe-core; the screenshot is in the README."""

import pytest
from playwright.sync_api import expect

from sscard.cards.models import Card
from sscard.cards.services import change_card_state
from sscard.casework import services
from sscard.domain.casestates import State
from tests.browser.test_back_office_flow import staff_login
from tests.casework.conftest import PASSWORD, give_card, new_application, private_media, reseed  # noqa: F401

pytestmark = pytest.mark.locale("es")


def _card(state):
    card = give_card(new_application(state=State.IN_PRODUCTION))
    Card.objects.filter(pk=card.pk).update(state=state)
    card.refresh_from_db()
    return card


def test_the_operator_reconciles_freezes_and_downloads_the_days_file(
        django_db_serialized_rollback, make_page, assert_accessible, screenshot, console_errors, tmp_path):
    reseed()
    lost_here = _card("active")
    change_card_state(card=lost_here, to_state="temporarily_lost", channel="online")  # an event for icbc
    frozen_there = _card("active")
    services.create_staff_member(username="production", password=PASSWORD, real_name="production 1",
                                 roles=["production"], areas=["district:420106"])
    page = make_page()
    staff_login(page, "production")
    page.get_by_role("link", name="Eventos de tarjeta con los bancos").click()
    expect(page.locator("main")).to_contain_text(lost_here.card_number)  # not yet acknowledged
    frozen = tmp_path / "frozen.csv"
    frozen.write_text(f"card_number\n{frozen_there.card_number}\n")
    upload = page.locator("form[enctype]")
    upload.get_by_label("Banco").select_option("icbc")
    upload.get_by_label("Tipo de archivo").select_option("frozen")
    upload.locator("input[type=file]").set_input_files(str(frozen))
    page.get_by_role("button", name="Importar").click()
    expect(page.locator("main")).to_contain_text("Comparado con 1 tarjeta(s) bloqueada(s) en el banco.")
    expect(page.locator("main")).to_contain_text("Bloqueada en el banco, no perdida aquí")
    expect(page.locator("main")).to_contain_text("Perdida aquí, no bloqueada en el banco")
    assert_accessible(page)
    screenshot(page, "staff-bank-events-es")
    page.locator("#outgoing-bank").select_option("icbc")
    with page.expect_download() as download:
        page.get_by_role("button", name="Descargar (CSV)").click()
    content = open(download.value.path(), encoding="utf-8").read()
    assert content.startswith("event_id,kind,card_number,bank_account,occurred_at,from_state,to_state")
    assert f",loss,{lost_here.card_number}," in content
    assert console_errors(page) == []
