"""One service catalogue: the portal home page and "My homepage" show items of the same list, each the ones
for its audience, with the same title and description for a service both show."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from sscard.accounts import services as account_services
from sscard.domain.idnumber import make_id_number

pytestmark = pytest.mark.django_db

# (title, link or None while "coming soon"), in the order shown, written by hand
HOME = [
    ("Social security card application", "/card/"),
    ("Application progress", "/card/progress"),
    ("Social insurance records", None),
    ("Card loss report", None),
]
# Since issue 11 "My homepage" holds the service items (with "My social security card"); profile and messages
# moved to the personal space, whose main entry is "My homepage".
MY_HOMEPAGE = [
    ("Social security card application", "/card/"),
    ("My social security card", "/cards/"),
    ("My applications", "/card/mine"),
    ("My social insurance", "/records/mine/"),
    ("Application progress", "/card/progress"),
    ("Social insurance records", None),
    ("Card loss report", None),
]
PERSONAL_SPACE = [
    ("My profile", "/accounts/profile"),
    ("My messages", "/messages/"),
    ("My applications", "/card/mine"),
    ("My social security card", "/cards/"),
    ("My social insurance", "/records/mine/"),
    ("Employer workspace", "/records/employer/"),
]
CARD_DESCRIPTION = "Apply online for your social security card and follow its progress."


def items(html: str) -> list[tuple[str, str | None]]:
    found = []
    for card in re.findall(r'<li class="card">(.*?)</li>', html, re.S):
        heading = re.search(r"<h3>(.*?)</h3>", card, re.S).group(1)
        link = re.search(r'<a href="([^"]+)">([^<]+)</a>', heading)
        found.append((link.group(2), link.group(1)) if link else (heading.strip(), None))
    return found


@pytest.fixture
def english():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_the_urls_in_the_tables_are_the_projects():
    assert [reverse(name) for name in ("applications:service", "applications:progress", "applications:mine",
                                       "notify:inbox", "accounts:profile", "cards:mine", "accounts:space",
                                       "accounts:home")] == [
        "/card/", "/card/progress", "/card/mine", "/messages/", "/accounts/profile", "/cards/", "/accounts/",
        "/accounts/home"]


def test_the_home_page_shows_the_public_services(english):
    html = english.get("/").content.decode()
    assert items(html) == HOME
    assert CARD_DESCRIPTION in html


@pytest.fixture
def citizen(db):
    return account_services.create_citizen(
        document_type="resident_id", password="Strong-pass-2026", channel="test", real_name="张三",
        id_number=make_id_number("420106", date(1990, 3, 7), 123), phone="13800138000")


def test_my_homepage_shows_the_citizens_services_from_the_same_catalogue(english, citizen):
    english.force_login(citizen)
    html = english.get(reverse("accounts:home")).content.decode()
    assert items(html) == MY_HOMEPAGE
    assert CARD_DESCRIPTION in html  # the same item as on the home page, not a second wording
    assert re.search(r'aria-label="Breadcrumb"><a href="/accounts/">Personal space</a> › My homepage</nav>', html)


def test_the_personal_space_leads_to_my_homepage_and_lists_the_citizens_own_things(english, citizen):
    english.force_login(citizen)
    html = english.get("/accounts/").content.decode()
    assert "<h1>Personal space</h1>" in html
    assert '<a class="button" href="/accounts/home">Go to My homepage</a>' in html  # its main entry
    assert items(html) == PERSONAL_SPACE


@pytest.mark.parametrize(("language", "title"), [("zh-hans", "我的社保卡"), ("es", "Mi tarjeta de seguridad social"),
                                                 ("en", "My social security card")])
def test_my_card_is_an_entry_of_my_homepage_in_every_language(citizen, language, title):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.force_login(citizen)
    assert (title, "/cards/") in items(browser.get("/accounts/home").content.decode())
    card_page = browser.get("/cards/").content.decode()
    assert f"<h1>{title}</h1>" in card_page


def test_a_citizen_lands_in_the_personal_space_after_logging_in(english, citizen):
    response = english.post(reverse("accounts:login"), {"identifier": citizen.phone,
                                                        "password": "Strong-pass-2026"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
