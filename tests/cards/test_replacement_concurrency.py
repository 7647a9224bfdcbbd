"""Concurrent replacement requests for one card (a double click with two pages open, two tabs) make one
application; the others are told a replacement is in progress. Real threads and real transactions (see
tests/applications/test_concurrency.py for how SQLite's serialised writes are retried)."""

import uuid

import pytest

from sscard.applications.models import Application, Payment
from sscard.cards import replacement
from sscard.cards.models import CardReplacement
from sscard.cards.services import CardError
from tests.applications.test_concurrency import _run_threads

from .test_replacement import held_card, pickup


@pytest.mark.django_db(transaction=True)
def test_concurrent_replacement_requests_with_different_tokens_make_one_application():
    card = held_card("temporarily_lost")
    delivery = pickup()

    def press(_i):
        try:
            return replacement.apply(user=card.holder, card=card, kind="replacement", reason="lost",
                                     delivery=delivery, token=uuid.uuid4()).pk
        except CardError as error:
            return error.code

    results, errors = _run_threads(4, press)
    assert not errors, errors
    made = [r for r in results if isinstance(r, int)]
    assert len(made) == 1, results
    assert {r for r in results if not isinstance(r, int)} <= {"in_progress", "active"}
    assert Application.objects.filter(kind="replacement").count() == 1
    assert CardReplacement.objects.count() == 1 and Payment.objects.count() == 1
