"""Public progress: office code + last 6 of the ID number → plain stage and dates, nothing personal."""

import pytest
from django.urls import reverse

from sscard.applications import services
from sscard.applications.models import Application
from sscard.domain import officecode
from sscard.reference.models import ServiceSettings
from tests.applications.helpers import edit

pytestmark = pytest.mark.django_db

API = "/api/v1/progress"


@pytest.fixture
def application(logged_in, fill, submit):
    fill(logged_in)
    submit(logged_in)
    return Application.objects.get()


def mistype(code):
    """The same code with one wrong character (the check character then no longer matches)."""
    swap = "2" if code[3] != "2" else "3"
    return code[:3] + swap + code[4:]


def other_valid_code(code):
    body = ("Z" if code[0] != "Z" else "Y") + code[1:10]
    return body + officecode.check_symbol(body)


def lookup(client, code, suffix):
    return client.post(reverse("applications:progress"), {"code": code, "id_suffix": suffix})


def test_the_public_page_shows_the_plain_stage_and_dates_and_no_personal_data(client, application, citizen):
    page = lookup(client, application.display_code, citizen.id_number[-6:]).content.decode()
    assert 'id="progress-stage" data-stage="submitted">Submitted<' in page
    assert application.expected_completion.isoformat() in page
    assert application.display_code in page
    for personal in (citizen.real_name, citizen.id_number, citizen.masked_id_number, citizen.phone,
                     citizen.masked_phone, application.masked_name):
        assert personal not in page


def test_lower_case_spaces_and_dashes_are_accepted(client, application, citizen):
    typed = " ".join(application.office_code.lower())
    page = lookup(client, typed, citizen.id_number[-6:].lower()).content.decode()
    assert 'id="progress-stage"' in page


def test_a_wrong_code_and_a_wrong_id_ending_are_answered_alike(client, application, citizen):
    wrong_code = lookup(client, other_valid_code(application.office_code), citizen.id_number[-6:])
    wrong_suffix = lookup(client, application.office_code, "000000" if citizen.id_number[-6:] != "000000"
                          else "111111")
    message = "No application matches this office code and ID number ending."
    for response in (wrong_code, wrong_suffix):
        page = response.content.decode()
        assert response.status_code == 200 and message in page and 'id="progress-stage"' not in page


def test_a_bad_check_character_is_reported_as_a_probable_typo(client, application, citizen):
    page = lookup(client, mistype(application.office_code), citizen.id_number[-6:]).content.decode()
    assert "probably mistyped" in page
    assert 'id="id_code_errors"' in page


@pytest.mark.parametrize("code, suffix, message", [
    ("ABC", "123456", "An office code has 11 characters"),
    ("K7QM-X3P9-C0R", "123456", "never use"),
    ("K7QM-X3P9-C4R", "12345", "Enter the last 6 characters of the ID number"),  # our message, not Django's
    ("K7QM-X3P9-C4R", "12X456", "Enter the last 6 characters of the ID number"),
])
def test_malformed_input_is_explained(client, db, code, suffix, message):
    page = lookup(client, code, suffix).content.decode()
    assert message in page


def test_the_timeline_follows_the_plain_stages(client, application, citizen):
    services.change_state(application=application, to_state="under_review", role="reviewer")
    services.change_state(application=application, to_state="bank_preopening", role="reviewer")
    services.change_state(application=application, to_state="in_production", role="system")
    response = client.get(API, {"code": application.office_code, "id_suffix": citizen.id_number[-6:]})
    body = response.json()
    assert body["stage"] == "in_production"
    # under_review and bank_preopening are both "being reviewed" for the citizen: shown once.
    assert [e["stage"] for e in body["timeline"]] == ["submitted", "in_review", "in_production"]


def test_the_api_answers_the_plain_stage_and_no_personal_data(client, application, citizen):
    response = client.get(API, {"code": application.display_code, "id_suffix": citizen.id_number[-6:]})
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "submitted" and body["office_code"] == application.display_code
    assert body["expected_completion"] == application.expected_completion.isoformat()
    assert set(body) == {"office_code", "stage", "stage_label", "submitted_on", "expected_completion", "closed",
                         "awaiting_payment", "timeline"}
    assert body["awaiting_payment"] is False  # a first card has no fee
    text = response.content.decode()
    assert citizen.id_number not in text and citizen.real_name not in text


def test_the_api_answers_wrong_code_and_wrong_suffix_alike_and_flags_typos(client, application, citizen):
    suffix = citizen.id_number[-6:]
    a = client.get(API, {"code": other_valid_code(application.office_code), "id_suffix": suffix})
    b = client.get(API, {"code": application.office_code, "id_suffix": "000000" if suffix != "000000" else "1" * 6})
    assert a.status_code == b.status_code == 404
    assert a.json() == b.json()
    assert a.json()["probable_typo"] is False
    c = client.get(API, {"code": mistype(application.office_code), "id_suffix": suffix})
    assert c.status_code == 404 and c.json()["probable_typo"] is True and c.json()["code"] == "probable_typo"


def test_lookups_are_rate_limited_per_client(client, application, citizen):
    edit(ServiceSettings.load(), progress_lookups_per_minute=3)
    for _ in range(3):
        assert client.get(API, {"code": application.office_code, "id_suffix": citizen.id_number[-6:]}).status_code == 200
    limited = client.get(API, {"code": application.office_code, "id_suffix": citizen.id_number[-6:]})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    page = lookup(client, application.office_code, citizen.id_number[-6:])
    assert page.status_code == 429 and "Too many look-ups" in page.content.decode()
    # Another client is not affected.
    from django.test import Client

    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.get(API, {"code": application.office_code, "id_suffix": citizen.id_number[-6:]}).status_code == 200


def test_the_default_rate_is_30_per_minute(client, db):
    assert ServiceSettings.load().progress_lookups_per_minute == 30
    statuses = [client.get(API, {"code": "K7QM-X3P9-C4R", "id_suffix": "123456"}).status_code for _ in range(31)]
    assert statuses[:30].count(429) == 0 and statuses[30] == 429


def test_lookups_are_logged_without_the_id_ending_and_sealed_into_the_audit_chain(client, application, citizen):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from sscard.audit.models import AccessEvent, AuditEvent
    from sscard.audit.selectors import verify_access_seals
    from sscard.audit.services import seal_access_events

    client.get(API, {"code": application.office_code, "id_suffix": citizen.id_number[-6:]})
    client.get(API, {"code": mistype(application.office_code), "id_suffix": citizen.id_number[-6:]})
    events = list(AccessEvent.objects.filter(event_type="card_application.progress_lookup").order_by("id"))
    assert [e.data["outcome"] for e in events] == ["found", "probable_typo"]
    assert events[0].subject_id == application.office_code
    assert all(citizen.id_number[-6:] not in str(e.data) for e in events)
    assert all(e.ip_hash and "127.0.0.1" not in e.ip_hash for e in events)
    # Look-ups take no lock on the audit chain: they are sealed into it in batches.
    seals = seal_access_events(now=timezone.now() + timedelta(minutes=1))
    assert len(seals) == 1 and seals[0].data["count"] == AccessEvent.objects.count()
    assert AuditEvent.objects.filter(event_type="audit.access_sealed").count() == 1
    report = verify_access_seals()
    assert report.intact and report.sealed_rows == AccessEvent.objects.count() and report.unsealed_rows == 0
    call_command("audit_verify")


def test_a_closed_application_shows_no_expected_date(client, application, citizen, logged_in):
    services.withdraw(application=application, user=citizen)
    body = client.get(API, {"code": application.office_code, "id_suffix": citizen.id_number[-6:]}).json()
    assert body["stage"] == "closed" and body["closed"] is True and body["expected_completion"] is None


def test_the_compiled_lookup_query_returns_what_the_orm_returns(application, citizen):
    from sscard.applications import selectors
    from sscard.applications.models import Application

    services.withdraw(application=application, user=citizen)  # two history rows
    orm = list(Application.objects.filter(office_code=application.office_code)
               .order_by("changes__at", "changes__id")
               .values_list("subject_id_number", "state", "submitted_at", "expected_completion",
                            "changes__to_state", "changes__at"))
    assert len(orm) == 2
    assert selectors._progress_rows(application.office_code) == orm  # types converted alike (dates, datetimes)
    assert selectors._progress_rows("K7QMX3P9C4R") == []
    with pytest.raises(ValueError):
        selectors._CompiledValuesQuery(lambda x: Application.objects.filter(pk=1, office_code=x)
                                       .values_list("pk"))._compile("default", ("A",))


def test_the_rate_limit_counts_per_window_and_starts_again_in_the_next(rf, db, monkeypatch):
    from types import SimpleNamespace

    from django.core.cache import cache

    from sscard.core import ratelimit

    clock = SimpleNamespace(now=1_800_000_000.0)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock.now))
    request, other = rf.get("/", REMOTE_ADDR="10.9.8.7"), rf.get("/", REMOTE_ADDR="10.9.8.8")
    assert [ratelimit.hit(request, "t", 3) for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.hit(other, "t", 3) is True  # per client
    assert cache.get(f"rl:t:{ratelimit.client_key(request)}:{int(clock.now // 60)}") == 5
    clock.now += 60
    assert ratelimit.hit(request, "t", 3) is True  # a new window
