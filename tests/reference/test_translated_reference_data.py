"""Bank and outlet names, outlet addresses and opening hours are shown in the reader's language
(zh-Hans, es, en), seeded in all three, with the Chinese name beside a translated one (it is on the signs)."""

import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sscard.applications.forms import DeliveryForm
from sscard.reference.models import Outlet, PartnerBank
from tests.casework.conftest import new_application, new_citizen

pytestmark = pytest.mark.django_db

WUCHANG = "武昌区政务服务中心社保卡窗口"

# What each reader sees on the service page, written by hand.
SERVICE_PAGE = {
    "zh-hans": ["中国银行", "招商银行", WUCHANG, "武汉市武昌区政务服务中心", "周一至周五 9:00–17:00，周六 9:00–12:00"],
    "es": ["Banco de China (中国银行)", "Banco de Ahorro Postal de China (中国邮政储蓄银行)",
           f"Ventanilla de tarjetas, Centro de Servicios Administrativos del distrito de Wuchang ({WUCHANG})",
           "Centro de Servicios Administrativos del distrito de Wuchang, Wuhan",
           "De lunes a viernes, 9:00–17:00; sábados, 9:00–12:00"],
    "en": ["Bank of China (中国银行)", "Hubei Bank (湖北银行)", f"Wuchang District service centre card counter ({WUCHANG})",
           "Wuchang District Government Service Centre, Wuhan", "Monday to Friday 9:00–17:00, Saturday 9:00–12:00"],
}
NOT_ON_PAGE = {"zh-hans": ["Bank of China", "Monday to Friday"], "es": ["Bank of China", "Monday to Friday"],
               "en": ["Banco de China", "De lunes a viernes"]}


@pytest.mark.parametrize("language", ["zh-hans", "es", "en"])
def test_the_service_page_lists_banks_and_outlets_in_the_readers_language(language):
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("applications:service")).content.decode()
    for text in SERVICE_PAGE[language]:
        assert text in page, (language, text)
    for text in NOT_ON_PAGE[language]:
        assert text not in page, (language, text)


def test_every_seeded_bank_and_outlet_has_all_three_languages():
    for bank in PartnerBank.objects.all():
        assert bank.name_zh_hans and bank.name_es and bank.name_en, bank.code
    for outlet in Outlet.objects.all():
        for field in ("name", "address", "hours"):
            for language in ("zh_hans", "es", "en"):
                assert getattr(outlet, f"{field}_{language}"), (outlet.pk, field, language)


def test_the_form_offers_banks_and_outlets_in_the_readers_language():
    with translation.override("es"):
        form = DeliveryForm()
        banks = [label for _value, label in form.fields["bank"].choices]
        outlets = [label for _value, label in form.fields["outlet"].choices]
    assert "Banco Industrial y Comercial de China (中国工商银行)" in banks
    assert (f"Ventanilla de tarjetas, Centro de Servicios Administrativos del distrito de Wuchang ({WUCHANG}) — "
            "Centro de Servicios Administrativos del distrito de Wuchang, Wuhan") in outlets


def test_an_untranslated_outlet_falls_back_to_english_then_chinese():
    Outlet.objects.create(name_zh_hans="测试网点", name_en="Test outlet", city="宜昌市",
                          address_zh_hans="宜昌市某路 1 号", hours_zh_hans="9–17")
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get(reverse("applications:service")).content.decode()
    assert "Test outlet (测试网点)" in page and "宜昌市某路 1 号" in page


def test_the_citizens_detail_page_names_bank_and_outlet_in_their_language():
    citizen = new_citizen()
    application = new_application(citizen, bank="boc",
                                  outlet=Outlet.objects.get(name_zh_hans=WUCHANG))
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(citizen)
    page = client.get(reverse("applications:detail", args=[application.office_code])).content.decode()
    assert "Banco de China (中国银行)" in page
    assert f"Ventanilla de tarjetas, Centro de Servicios Administrativos del distrito de Wuchang ({WUCHANG})" in page


def test_the_receipt_names_the_bank_in_chinese_and_the_readers_language(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "private"
    citizen = new_citizen()
    application = new_application(citizen, bank="boc", outlet=Outlet.objects.get(name_zh_hans=WUCHANG))
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(citizen)
    response = client.get(reverse("applications:receipt", args=[application.office_code]))
    assert response.status_code == 200
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Banco de China (中国银行)" in text


def test_an_administrator_edits_each_language_whatever_the_admin_language(settings):
    from sscard.accounts.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    root = User.objects.create_superuser(username="root", password="x-Strong-pass-1", email="")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(root)
    bank = PartnerBank.objects.get(code="hankou")
    url = f"/django-admin/reference/partnerbank/{bank.pk}/change/"
    page = client.get(url).content.decode()
    assert 'value="汉口银行"' in page and 'value="Banco de Hankou"' in page and 'value="Hankou Bank"' in page
    response = client.post(url, {"code": "hankou", "name": "汉口银行股份有限公司", "name_es": "Banco Hankou",
                                 "name_en": "Bank of Hankou", "order": "60", "active": "on"})
    assert response.status_code == 302
    bank.refresh_from_db()
    assert (bank.name_zh_hans, bank.name_es, bank.name_en) == ("汉口银行股份有限公司", "Banco Hankou", "Bank of Hankou")
    with translation.override("zh-hans"):
        assert PartnerBank.objects.get(pk=bank.pk).name == "汉口银行股份有限公司"


def test_a_staff_area_names_its_outlet_by_the_chinese_name_in_any_language():
    from sscard.casework import services

    with translation.override("en"):
        staff = services.create_staff_member(username="clerk-en", password="x-Strong-pass-1", real_name="王",
                                             roles=["clerk"], areas=[f"outlet:{WUCHANG}"])
    assert [area.outlet.name_zh_hans for area in staff.staff_areas.all()] == [WUCHANG]
