"""Page wording in each language (issue 11): Chinese pages speak Chinese with 您 and full-width punctuation,
show our own messages instead of Django's generic ones and the translated manufacturer; Spanish pages show a
status once and the bus-card city in Spanish. Expected texts are written by hand."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sscard.casework.production import services as production_services
from sscard.domain import regions
from sscard.domain.casestates import State
from sscard.reference.models import Manufacturer, ServiceSettings
from tests.casework.conftest import new_application, new_citizen, new_staff, reseed

pytestmark = pytest.mark.django_db

CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
ASCII_NEXT_TO_CJK = re.compile(rf"[{CJK}]\s?[:;,()]|[:;,()]\s?[{CJK}]")


@pytest.fixture(autouse=True)
def seeded(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    reseed()


def reader(language, user=None):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def zh_catalogue():
    return polib.pofile(str(Path(settings.BASE_DIR) / "sscard" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


# --- Chinese -----------------------------------------------------------------------------------------------

def test_the_chinese_catalogue_says_nin_and_uses_full_width_punctuation_inside_chinese_text():
    problems = []
    for entry in zh_catalogue():
        if entry.obsolete:
            continue
        for text in ([entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())):
            bare = PLACEHOLDER.sub("X", text)
            if "你" in text or ASCII_NEXT_TO_CJK.search(bare):
                problems.append((entry.msgid, text))
    assert problems == []


def test_the_scan_finds_what_it_looks_for():
    for bad in ("网上申领: 申请人", "制卡中 (银行预开户中)", "你的密码", "中国银行,招商银行"):
        assert "你" in bad or ASCII_NEXT_TO_CJK.search(bad), bad
    for good in ("网上申领：申请人", "制卡中（银行预开户中）", "表头为office_code,tracking_number的CSV文件"):
        assert not ASCII_NEXT_TO_CJK.search(good), good


# Django's own password rules, as the registration page shows them in Chinese (Django's catalogue says 你).
PASSWORD_HINTS_ZH = ["您的密码不能与您的其他个人信息过于相似。", "您的密码至少需要包含8个字符。", "您的密码不能是常用密码。",
                     "您的密码不能全为数字。"]


def test_the_password_hints_say_nin():
    page = reader("zh-hans").get(reverse("accounts:register")).content.decode()
    for hint in PASSWORD_HINTS_ZH:
        assert hint in page
    assert "你" not in page


def test_a_too_short_value_gets_a_chinese_message_with_full_width_brackets():
    response = reader("zh-hans").post(reverse("accounts:register"), {"real_name": "张", "password1": "x"})
    page = response.content.decode()
    assert "请至少输入2个字符（目前为1个）。" in page
    assert "确保该变量" not in page


SUFFIX_MESSAGE_ZH = "请输入身份证号码后六位（数字；如末位为X，请输入X）。"


def test_the_progress_form_says_what_the_id_ending_must_be_in_chinese():
    page = reader("zh-hans").post(reverse("applications:progress"),
                                  {"code": "K7QM-X3P9-C4B", "id_suffix": "123"}).content.decode()
    assert page.count(SUFFIX_MESSAGE_ZH) == 2  # in the summary and next to the field
    assert "确保该变量" not in page and "字符(目前" not in page
    assert 'minlength="6"' not in page
    empty = reader("zh-hans").post(reverse("applications:progress"),
                                   {"code": "K7QM-X3P9-C4B", "id_suffix": ""}).content.decode()
    assert empty.count(SUFFIX_MESSAGE_ZH) == 2
    assert "这个字段是必填项" not in empty


@pytest.mark.parametrize(("language", "expected", "absent"), [
    ("zh-hans", "默认制卡厂商", "Default card manufacturer"),
    ("es", "Fabricante de tarjetas predeterminado", "默认制卡厂商"),
    ("en", "Default card manufacturer", "默认制卡厂商"),
])
def test_the_production_pages_name_the_manufacturer_in_the_readers_language(language, expected, absent):
    production = new_staff(["production"])
    new_application(state=State.IN_PRODUCTION)
    client = reader(language, production)
    page = client.get(reverse("casework:production")).content.decode()
    assert expected in page and absent not in page
    batch = production_services.create_batch(staff=production, manufacturer=Manufacturer.objects.get(code="default"))
    page = client.get(reverse("casework:batch", args=[batch.number])).content.decode()
    assert expected in page and absent not in page


def test_the_seeded_manufacturer_has_its_three_names():
    maker = Manufacturer.objects.get(code="default")
    assert (maker.name_zh_hans, maker.name_es, maker.name_en) == (
        "默认制卡厂商", "Fabricante de tarjetas predeterminado", "Default card manufacturer")


def test_the_application_steps_join_title_and_step_with_a_full_width_colon():
    page = reader("zh-hans", new_citizen()).get(reverse("applications:apply_step", args=["applicant"])).content.decode()
    assert "网上申领：申请人" in page
    assert "网上申领: " not in page


# --- The citizen's application page: the plain stage, and the detailed one only when it says more -----------

@pytest.mark.parametrize(("language", "state", "shown", "not_shown"), [
    ("es", State.SUBMITTED, '<span class="badge" id="application-stage">Presentada</span></p>',
     "Presentada (Presentada)"),
    ("en", State.SUBMITTED, '<span class="badge" id="application-stage">Submitted</span></p>',
     "Submitted (Submitted)"),
    ("zh-hans", State.BANK_PREOPENING, '<span class="muted" id="application-state">（银行预开户中）</span>',
     "(银行预开户中)"),
])
def test_the_application_page_shows_a_stage_once(language, state, shown, not_shown):
    application = new_application(state=state)
    page = reader(language, application.applicant).get(
        reverse("applications:detail", args=[application.office_code])).content.decode()
    assert shown in page
    assert not_shown not in page


# --- The bus-card cities in the reader's language -----------------------------------------------------------

BUS_CITIES = re.compile(r"<dd>[^<]*(?:公交卡|autobús|bus card)[^<]*</dd>")


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", "<dd>社会保障卡可在以下城市作为公交卡使用： 武汉市</dd>"),
    ("es", "<dd>La tarjeta también funciona como tarjeta de autobús en: Wuhan</dd>"),
    ("en", "<dd>The card also works as a bus card in: Wuhan</dd>"),
])
def test_the_service_page_names_the_bus_card_city_in_the_readers_language(language, expected):
    page = reader(language).get(reverse("applications:service")).content.decode()
    assert BUS_CITIES.findall(page) == [expected]


def test_several_bus_card_cities_are_listed_with_the_languages_separator():
    row = ServiceSettings.load()
    row.transit_cities = "武汉市\n420500\n不存在的市"
    row.save()
    zh = reader("zh-hans").get(reverse("applications:service")).content.decode()
    es = reader("es").get(reverse("applications:service")).content.decode()
    assert "武汉市、宜昌市、不存在的市</dd>" in zh
    assert "Wuhan, Yichang, 不存在的市</dd>" in es


@pytest.mark.parametrize(("name", "code"), [("武汉市", "420100"), ("宜昌市", "420500"), ("北京市", "110000"),
                                            ("恩施土家族苗族自治州", "422800"), ("不存在的市", None), ("", None)])
def test_a_city_is_found_by_its_chinese_name(name, code):
    assert regions.city_code(name) == code
