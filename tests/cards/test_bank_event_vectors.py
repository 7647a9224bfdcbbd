"""The published test vectors of the bank card event signature (docs/vectors/bank_events.json, computed with
openssl) hold for our signing and checking code; the refusals give their codes."""

import json
from pathlib import Path

import pytest

from sscard.domain import bank_events

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "docs" / "vectors" / "bank_events.json").read_text())
SECRET = VECTORS["secret"].encode()


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_each_vector_signs_and_verifies(vector):
    body = vector["body"].encode()
    assert bank_events.sign(SECRET, vector["timestamp"], body) == vector["signature"]
    bank_events.verify(secret=SECRET, timestamp=str(vector["timestamp"]), signature="sha256=" + vector["signature"],
                       body=body, now=vector["timestamp"] + 10)
    headers = bank_events.signed_headers(bank_code="icbc", secret=SECRET, timestamp=vector["timestamp"], body=body)
    assert headers["X-Sscard-Signature"] == "sha256=" + vector["signature"]
    assert headers["X-Sscard-Timestamp"] == str(vector["timestamp"]) and headers["X-Sscard-Bank"] == "icbc"


@pytest.mark.parametrize("refusal", VECTORS["refusals"], ids=lambda r: r["name"])
def test_each_refusal_has_its_code(refusal):
    if "signature_of_vector" in refusal:
        vector = VECTORS["vectors"][refusal["signature_of_vector"]]
        body, signature = refusal["body"].encode(), vector["signature"]
    else:
        vector = VECTORS["vectors"][refusal["vector"]]
        body, signature = vector["body"].encode(), vector["signature"]
    try:
        bank_events.verify(secret=SECRET, timestamp=str(refusal["timestamp"]), signature="sha256=" + signature,
                           body=body, now=refusal["now"])
    except bank_events.SignatureError as error:
        assert error.code == refusal["code"]
    else:
        assert refusal["code"] is None


@pytest.mark.parametrize(("timestamp", "signature"), [
    (None, "sha256=" + "0" * 64), ("", "sha256=" + "0" * 64), ("12a", "sha256=" + "0" * 64),
    ("1764576000", None), ("1764576000", ""), ("1764576000", VECTORS["vectors"][0]["signature"]),  # no prefix
])
def test_a_missing_or_malformed_header_is_a_bad_signature(timestamp, signature):
    with pytest.raises(bank_events.SignatureError) as caught:
        bank_events.verify(secret=SECRET, timestamp=timestamp, signature=signature,
                           body=VECTORS["vectors"][0]["body"].encode(), now=1764576000)
    assert caught.value.code == "bad_signature"


def test_the_freeze_comparison_sorts_the_two_kinds_of_difference():
    diff = bank_events.compare_freezes(frozen_at_bank={"A1", "A2", "Z9"}, lost_here={"A1", "A3"},
                                       known_here={"A1", "A2", "A3", "A4"})
    assert (diff.frozen_only_at_bank, diff.lost_only_here, diff.unknown) == (["A2"], ["A3"], ["Z9"])


def test_the_http_adapter_sends_the_outgoing_vectors_exact_body():
    from sscard.cards.bank_events.http import body_of

    body = VECTORS["vectors"][0]["body"]
    assert body_of(json.loads(body)).decode() == body
