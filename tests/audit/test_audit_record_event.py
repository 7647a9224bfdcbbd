import hashlib
import logging
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy

from sscard.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from sscard.audit.selectors import events_for_subject, verify_chain
from sscard.audit.services import record_event

pytestmark = pytest.mark.django_db


def test_events_are_numbered_and_each_chains_to_the_one_before():
    first = record_event(event_type="test.first")
    second = record_event(event_type="test.second", data={"n": 2})
    third = record_event(event_type="test.third")

    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (3, third.hash)


def test_hash_is_sha256_over_the_stored_fields_and_survives_a_reload():
    event = record_event(event_type="test.hash", subject_type="case", subject_id="42",
                         data={"b": [1, "x"], "a": {"nested": True}})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.hash == event.hash == hashlib.sha256(stored.canonical_payload()).hexdigest()
    assert stored.compute_hash() == stored.hash


def test_data_is_stored_as_plain_json_so_the_hash_can_be_recomputed():
    with translation.override("en"):
        event = record_event(event_type="test.json",
                             data={"label": gettext_lazy("Home"), "day": date(2026, 1, 2),
                                   "fee": Decimal("20.00"), "pair": (1, 2)})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == {"label": "Home", "day": "2026-01-02", "fee": "20.00", "pair": [1, 2]}
    assert stored.compute_hash() == stored.hash


def test_actor_labels_name_citizens_by_id_staff_by_username_and_the_system(citizen, staff):
    assert record_event(event_type="t", actor=citizen).actor_label == f"user:{citizen.pk}"
    assert record_event(event_type="t", actor=staff).actor_label == "staff:reviewer1"
    assert record_event(event_type="t").actor_label == "system"


def test_actor_defaults_to_the_logged_in_user_of_the_request(citizen):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = citizen
    event = record_event(event_type="t", request=request)
    assert event.actor == citizen and event.actor_label == f"user:{citizen.pk}"

    request.user = AnonymousUser()
    event = record_event(event_type="t", request=request)
    assert event.actor is None and event.actor_label == "anonymous"


def test_client_address_is_stored_only_as_a_keyed_hash():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.77")
    request.user = AnonymousUser()
    event = record_event(event_type="t", request=request)
    again = record_event(event_type="t", request=request)

    assert len(event.ip_hash) == 64 and event.ip_hash == again.ip_hash
    assert event.ip_hash != hashlib.sha256(b"203.0.113.77").hexdigest()  # keyed, not a plain hash
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert "203.0.113.77" not in repr(row)
    assert record_event(event_type="t").ip_hash == ""


def test_event_joins_the_callers_transaction_and_disappears_with_its_rollback():
    kept = record_event(event_type="test.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(event_type="test.rolled_back")
        raise RuntimeError("business change failed")

    assert list(AuditEvent.objects.values_list("event_type", flat=True)) == ["test.kept"]
    after = record_event(event_type="test.after")
    assert (after.seq, after.prev_hash) == (2, kept.hash)
    assert verify_chain().intact


def test_chain_goes_on_from_the_last_event_if_the_head_row_is_missing():
    first = record_event(event_type="t")
    AuditChainHead.objects.all().delete()
    second = record_event(event_type="t")
    assert (second.seq, second.prev_hash) == (2, first.hash)


def test_events_for_subject_lists_one_subjects_events_oldest_first(citizen):
    a = record_event(event_type="case.submitted", subject_type="case", subject_id="7", actor=citizen)
    record_event(event_type="case.submitted", subject_type="case", subject_id="8")
    record_event(event_type="user.x", subject_type="user", subject_id="7")
    b = record_event(event_type="case.reviewed", subject_type="case", subject_id=7)

    assert list(events_for_subject("case", "7")) == [a, b]
    assert list(events_for_subject("case", 7)) == [a, b]


# --- personal data ------------------------------------------------------------------------------------


def test_id_numbers_and_phones_in_data_are_masked_before_they_are_stored(caplog):
    caplog.set_level(logging.WARNING, logger="sscard.audit")
    event = record_event(event_type="test.pii", subject_type="person", subject_id="34052419800101001x", data={
        "id_number": "360426199101010071",
        "phone": "13812341234",
        "phone_as_number": 13912345678,
        "note": "applicant 120103198806018241 called from +86 15012345678 today",
        "nested": {"list": ["34052419800101001X", {"mobile": "8613700001111"}]},
        "already_masked": "360426********0071",
        "harmless": ["12345", "2026-01-01", "a" * 18, "10086", 20, "6222021234567890123"],
    })
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == {
        "id_number": "360426********0071",
        "phone": "138****1234",
        "phone_as_number": "139****5678",
        "note": "applicant 120103********8241 called from 150****5678 today",
        "nested": {"list": ["340524********001X", {"mobile": "137****1111"}]},
        "already_masked": "360426********0071",
        "harmless": ["12345", "2026-01-01", "a" * 18, "10086", 20, "6222021234567890123"],
    }
    assert stored.subject_id == "340524********001X"
    assert stored.compute_hash() == stored.hash
    text = repr(AuditEvent.objects.filter(pk=event.pk).values().get())
    for secret in ("360426199101010071", "13812341234", "120103198806018241", "15012345678", "13700001111"):
        assert secret not in text
        assert secret not in caplog.text
    assert "personal data masked in data.id_number" in caplog.text


def test_masked_values_from_callers_pass_through_unchanged(caplog):
    caplog.set_level(logging.WARNING, logger="sscard.audit")
    event = record_event(event_type="t", data={"phone": "138****1234", "channel": "online"})
    assert event.data == {"phone": "138****1234", "channel": "online"}
    assert not [record for record in caplog.records if record.name.startswith("sscard.audit")]


def test_a_sha256_digest_whose_digits_look_like_a_phone_is_stored_as_it_is(caplog):
    # Written by hand: 64 hex characters with "13812341234" between letters (the phone rule masks a number glued
    # to letters). The access log's seals are verified against such digests, so masking one broke a seal.
    digest = "ab13812341234" + "cdef0123" * 6 + "d" * 3
    assert len(digest) == 64
    caplog.set_level(logging.WARNING, logger="sscard.audit")
    event = record_event(event_type="t", data={"sha256": digest, "note": "tel13812341234",
                                               "longer": digest + "0", "upper": digest.upper()})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == {"sha256": digest, "note": "tel138****1234",
                           "longer": "ab138****1234" + "cdef0123" * 6 + "ddd0",
                           "upper": "AB138****1234" + "CDEF0123" * 6 + "DDD"}
    assert "personal data masked in data.note, data.longer, data.upper" in caplog.text
