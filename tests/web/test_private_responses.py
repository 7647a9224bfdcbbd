"""Personal pages are sent with `Cache-Control: no-store` (issue 9): no browser or shared cache keeps them.

Before, `/accounts/home`, an application's page, the messages, the cards, the profile, the staff workbench and
the citizen JSON API were sent without any Cache-Control at all.
"""

import pytest
from django.test import Client
from django.utils.cache import get_max_age

from sscard.notify.services import post_message
from tests.casework.conftest import give_card, new_application, new_staff, reseed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reseed()


@pytest.fixture
def application():
    application = new_application()
    give_card(application)
    post_message(user=application.applicant, subject="Hello", body="A message for you.")
    return application


def signed_in(user) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return browser


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives and "private" in directives


# What a signed-in citizen sees: (URL template, expected status). Written by hand from sscard/*/urls.py.
CITIZEN_PAGES = [
    ("/accounts/", 200),
    ("/accounts/home", 200),
    ("/accounts/profile", 200),
    ("/accounts/profile/phone", 200),
    ("/card/mine", 200),
    ("/card/applications/{code}", 200),
    ("/card/applications/{code}/photo.jpg", 200),
    ("/messages/", 200),
    ("/messages/{message}/", 200),
    ("/cards/", 200),
    ("/api/v1/applications", 200),
    ("/api/v1/applications/{code}", 200),
    # a page any visitor may open is private too once it is shown to a signed-in person (name in the header)
    ("/", 200),
    ("/card/", 200),
]


@pytest.mark.parametrize(("template", "status"), CITIZEN_PAGES)
def test_every_page_a_signed_in_citizen_gets_is_no_store(application, template, status):
    citizen = application.applicant
    message = citizen.inbox_messages.get(subject="Hello")
    url = template.format(code=application.office_code, message=message.pk)
    response = signed_in(citizen).get(url)
    assert response.status_code == status, url
    assert no_store(response), (url, response.get("Cache-Control"))
    assert get_max_age(response) == 0


STAFF_PAGES = [
    ("/accounts/staff/", 302),  # to the workbench
    ("/staff/", 200),
    ("/staff/cases/{code}", 200),
    ("/staff/cases/{code}/photo.jpg", 200),
]


@pytest.mark.parametrize(("template", "status"), STAFF_PAGES)
def test_every_staff_page_is_no_store(application, template, status):
    reviewer = new_staff(["reviewer"])
    url = template.format(code=application.office_code)
    response = signed_in(reviewer).get(url)
    assert response.status_code == status, url
    assert no_store(response), (url, response.get("Cache-Control"))


def test_a_form_answer_is_no_store_even_for_a_visitor():
    # The registration form shown again holds what was typed (name, ID number, phone).
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/register", {
        "real_name": "张三", "id_number": "360426199101010071", "phone": "13800138000"})
    assert response.status_code == 200
    assert no_store(response)


@pytest.mark.parametrize("url", ["/", "/card/", "/terms", "/privacy", "/static/web/site.css"])
def test_public_pages_for_visitors_keep_their_normal_caching(url):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_stay_cacheable_for_a_signed_in_citizen(application):
    response = signed_in(application.applicant).get("/static/web/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("query, status", [
    ({"code": "K7QM-X3P9-C4B", "id_suffix": "10123X"}, 404),  # unknown code: still not to be kept
    ({"code": "??", "id_suffix": "1"}, 422),
])
def test_a_visitors_progress_look_up_in_the_api_is_no_store(query, status):
    # The URL carries the office code and the ID ending; the answer is about one person's application.
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/progress", query)
    assert response.status_code == status
    assert no_store(response)


@pytest.mark.django_db
def test_a_visitors_progress_page_is_no_store():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/card/progress")
    assert response.status_code == 200
    assert no_store(response)


def test_a_personal_page_says_never_cache_once(application):
    """The view's `never_cache` has written the header, the middleware leaves it as it is: every directive of
    Django's `never_cache`, each once, and Expires."""
    response = signed_in(application.applicant).get("/accounts/home")
    parts = [part.strip() for part in response["Cache-Control"].split(",")]
    assert sorted(parts) == sorted(["max-age=0", "no-cache", "no-store", "must-revalidate", "private"])
    assert response.has_header("Expires")
