"""Concurrent submissions make one application; office codes stay unique under concurrency.

These run with real threads and real transactions. On PostgreSQL the requests really overlap; on SQLite
(the embedded default) writes are serialised, and a thread that finds the database busy retries, as a
person pressing the button again would. Either way exactly one application must exist.
"""

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client

from sscard.applications import services
from sscard.applications.models import Application, ApplicationDraft, IssuedOfficeCode
from sscard.reference import selectors as reference_selectors

from .conftest import step_url


def _retrying(fn, attempts=400):
    for _ in range(attempts):
        try:
            return fn()
        except OperationalError as error:  # SQLite: "database is locked" / "database table is locked"
            if "locked" not in str(error):
                raise
            time.sleep(0.025)
    raise AssertionError("database stayed locked")


def _run_threads(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait(timeout=10)
            results.append(_retrying(lambda: target(i)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_submissions_make_one_application(seeded, client, citizen, fill):
    client.force_login(citizen)
    fill(client)
    draft = ApplicationDraft.objects.get()
    data = {"token": str(draft.token), "declaration": "on", "consent": "on"}
    session_cookie = client.cookies["sessionid"].value

    def press(_i):
        c = Client(HTTP_ACCEPT_LANGUAGE="en")
        c.cookies["sessionid"] = session_cookie
        response = c.post(step_url("confirm"), data)
        return response.status_code, response.get("Location", "")

    results, errors = _run_threads(6, press)
    assert not errors, errors
    assert Application.objects.count() == 1
    application = Application.objects.get()
    done = f"/card/applications/{application.office_code}/submitted"
    assert all(status == 302 for status, _ in results)
    assert sum(location == done for _, location in results) >= 1
    assert application.changes.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_service_calls_with_one_token_return_the_same_application(seeded, citizen, fill, client):
    client.force_login(citizen)
    fill(client)
    from sscard.applications import drafts

    draft = ApplicationDraft.objects.get()
    review = drafts.review(draft=draft, user=citizen, settings_row=reference_selectors.service_settings())
    assert review.invalid_step is None
    fields = review.fields

    def call(_i):
        return services.submit_application(user=citizen, token=draft.token, fields=fields).application.pk

    results, errors = _run_threads(5, call)
    assert not errors, errors
    assert len(set(results)) == 1
    assert Application.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_guardians_racing_for_the_same_child_make_one_application(seeded, make_citizen, fill):
    from datetime import date

    from .conftest import child_id

    kid = child_id(date(2021, 6, 1), seq=211)
    applicant = {"applying_for": "child", "child_name": "张小明", "child_id_number": kid, "relationship": "parent"}
    clients = []
    for name in ("李梅", "张伟", "王芳"):
        c = Client(HTTP_ACCEPT_LANGUAGE="en")
        c.force_login(make_citizen(name=name))
        fill(c, applicant=applicant, photo=False)
        clients.append(c)
    tokens = {d.applicant_id: str(d.token) for d in ApplicationDraft.objects.all()}

    def press(i):
        c = clients[i]
        token = tokens[int(c.session["_auth_user_id"])]
        return c.post(step_url("confirm"), {"token": token, "declaration": "on", "consent": "on"}).status_code

    results, errors = _run_threads(3, press)
    assert not errors, errors
    assert Application.objects.filter(subject_id_number=kid).count() == 1


@pytest.mark.django_db(transaction=True)
def test_office_codes_issued_concurrently_are_all_unique():
    from django.db import transaction

    def issue(_i):
        codes = []
        for _ in range(20):
            def one():
                with transaction.atomic():
                    return services._issue_office_code()
            codes.append(_retrying(one))
        return codes

    results, errors = _run_threads(5, issue)
    assert not errors, errors
    codes = [c for batch in results for c in batch]
    assert len(codes) == 100 == len(set(codes))
    assert IssuedOfficeCode.objects.count() == 100
