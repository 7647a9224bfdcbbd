"""The e-card token verifier (sscard/domain/ecard.py): what a terminal sees for good and bad tokens."""

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sscard.domain import ecard
from sscard.domain.ecard import Reason

SEED_A = bytes(range(32))
SEED_B = bytes(range(1, 33))
KEY_A = ecard.private_key_from_seed(SEED_A)
KEY_B = ecard.private_key_from_seed(SEED_B)
KEYS = {"a": KEY_A.public_key()}
NOW = 1_800_000_000
CLAIMS = {"iss": "sscard", "card": "C-1", "iat": NOW, "nbf": NOW, "exp": NOW + 60, "holder": "李*"}


def reason(token, keys=KEYS, now=NOW, **kwargs):
    result = ecard.verify(token, keys, now, **kwargs)
    return "valid" if result.ok else str(result.reason)


def test_a_fresh_token_verifies_and_gives_back_the_claims_and_kid():
    result = ecard.verify(ecard.sign(CLAIMS, KEY_A, "a"), KEYS, NOW + 59)
    assert result.ok
    assert result.kid == "a"
    assert result.claims == {"iss": "sscard", "card": "C-1", "iat": NOW, "nbf": NOW, "exp": NOW + 60,
                             "holder": "李*"}


def test_make_claims_default_lifetime_is_60_seconds():
    assert ecard.make_claims(card="C-1", issuer="sscard", now=NOW) == {
        "iss": "sscard", "card": "C-1", "iat": NOW, "nbf": NOW, "exp": NOW + 60}
    assert ecard.make_claims(card="C-1", issuer="x", now=NOW, lifetime_s=30)["exp"] == NOW + 30


@pytest.mark.parametrize(("now", "expected"), [
    (NOW - 1, "not_yet_valid"),
    (NOW, "valid"),
    (NOW + 59, "valid"),
    (NOW + 60, "expired"),
    (NOW + 3600, "expired"),
])
def test_validity_window(now, expected):
    assert reason(ecard.sign(CLAIMS, KEY_A, "a"), now=now) == expected


def test_leeway_tolerates_a_terminal_clock_a_little_off():
    token = ecard.sign(CLAIMS, KEY_A, "a")
    assert reason(token, now=NOW - 5, leeway_s=5) == "valid"
    assert reason(token, now=NOW + 64, leeway_s=5) == "valid"
    assert reason(token, now=NOW + 65, leeway_s=5) == "expired"


def test_a_key_the_terminal_does_not_know_is_unknown_key():
    assert reason(ecard.sign(CLAIMS, KEY_A, "retired")) == "unknown_key"


def test_signed_by_another_key_under_a_known_kid_is_bad_signature():
    assert reason(ecard.sign(CLAIMS, KEY_B, "a")) == "bad_signature"


def test_rotation_several_kids_each_checked_with_its_own_key():
    keys = {"a": KEY_A.public_key(), "b": KEY_B.public_key()}
    assert reason(ecard.sign(CLAIMS, KEY_A, "a"), keys) == "valid"
    assert reason(ecard.sign(CLAIMS, KEY_B, "b"), keys) == "valid"
    assert reason(ecard.sign(CLAIMS, KEY_B, "a"), keys) == "bad_signature"


def _tamper_payload(token, **changes):
    message = cbor2.loads(ecard.base45.b45decode(token[len(ecard.PREFIX):]))
    protected, unprotected, payload, signature = message.value
    claims = cbor2.loads(payload)
    claims.update({ecard.CLAIM_KEYS[name]: value for name, value in changes.items()})
    forged = cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(claims), signature])
    return ecard.PREFIX + ecard.base45.b45encode(cbor2.dumps(forged)).decode()


def test_a_replayed_token_with_its_expiry_pushed_back_is_bad_signature_not_valid():
    forged = _tamper_payload(ecard.sign(CLAIMS, KEY_A, "a"), exp=NOW + 10**6)
    assert reason(forged, now=NOW + 120) == "bad_signature"


def test_another_card_in_a_signed_token_is_bad_signature():
    assert reason(_tamper_payload(ecard.sign(CLAIMS, KEY_A, "a"), card="C-2")) == "bad_signature"


@pytest.mark.parametrize("token", [
    "", "SSC1:", "hello", "HC1:NCFOXN%TS3DH", "SSC1:%%%%", "SSC1:" + "A" * 2000,
    "SSC1:" + ecard.base45.b45encode(cbor2.dumps([1, 2, 3])).decode(),
    # a COSE_Sign1 signed with another algorithm (ES256, -7)
    "SSC1:" + ecard.base45.b45encode(cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({1: -7, 4: b"a"}), {},
                                                                    b"\xa0", b"\0" * 64]))).decode(),
    None, 12,
])
def test_anything_that_is_not_our_token_is_unreadable(token):
    assert reason(token) == "unreadable"


def test_a_validly_signed_payload_without_our_claims_is_unreadable():
    # signed with the right key, but no `card`: refuse rather than guess
    assert reason(ecard.sign({"iss": "sscard", "exp": NOW + 60}, KEY_A, "a")) == "unreadable"


def test_revocation_hook_answers_revoked_only_for_an_otherwise_valid_token():
    token = ecard.sign(CLAIMS, KEY_A, "a")
    assert reason(token, check_revoked=lambda claims: claims["card"] == "C-1") == "revoked"
    assert reason(token, check_revoked=lambda claims: False) == "valid"
    assert reason(token, now=NOW + 60, check_revoked=lambda claims: True) == "expired"


def test_reason_codes_are_the_published_ones():
    assert {str(r) for r in Reason} == {"unreadable", "unknown_key", "bad_signature", "expired",
                                        "not_yet_valid", "revoked"}


def test_jwks_round_trip_keeps_keys_by_kid():
    jwks = {"keys": [ecard.public_jwk("a", KEY_A.public_key()), {"kty": "RSA", "kid": "r", "n": "x", "e": "y"}]}
    keys = ecard.keys_from_jwks(jwks)
    assert list(keys) == ["a"]
    assert reason(ecard.sign(CLAIMS, KEY_A, "a"), keys) == "valid"


def test_token_fits_a_phone_readable_qr_in_alphanumeric_mode():
    token = ecard.sign(CLAIMS, KEY_A, "sscard-0123abcd")
    assert len(token) < 300
    alphanumeric = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert set(token) <= alphanumeric


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_verifier(text):
    assert reason(text) in {"unreadable", "unknown_key", "bad_signature"}


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=2**40), st.text(min_size=1, max_size=40))
def test_any_card_reference_and_time_round_trips(now, card):
    claims = ecard.make_claims(card=card, issuer="sscard", now=now)
    result = ecard.verify(ecard.sign(claims, KEY_A, "a"), KEYS, now)
    assert result.ok and result.claims["card"] == card
