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
MY_HOMEPAGE = [
    ("Social security card application", "/card/"),
    ("My applications", "/card/mine"),
    ("Application progress", "/card/progress"),
    ("My messages", "/messages/"),
    ("My profile", "/accounts/profile"),
    ("Social insurance records", None),
    ("Card loss report", None),
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
                                       "notify:inbox", "accounts:profile")] == [
        "/card/", "/card/progress", "/card/mine", "/messages/", "/accounts/profile"]


def test_the_home_page_shows_the_public_services(english):
    html = english.get("/").content.decode()
    assert items(html) == HOME
    assert CARD_DESCRIPTION in html


def test_my_homepage_shows_the_citizens_services_from_the_same_catalogue(english):
    citizen = account_services.create_citizen(
        document_type="resident_id", password="Strong-pass-2026", channel="test", real_name="张三",
        id_number=make_id_number("420106", date(1990, 3, 7), 123), phone="13800138000")
    english.force_login(citizen)
    html = english.get(reverse("accounts:home")).content.decode()
    assert items(html) == MY_HOMEPAGE
    assert CARD_DESCRIPTION in html  # the same item as on the home page, not a second wording
