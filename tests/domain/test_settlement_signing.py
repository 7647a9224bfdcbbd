"""The settlement API's request signature (pure): the string to sign, the window, two secrets in rotation."""

import hashlib
import hmac

import pytest

from sscard.domain import settlement_signing as signing

SECRET = b"s3cret"
BODY = b'{"msgid":"m1"}'
NONCE = "abcdefghijklmnop"
TS = 1_800_000_000


def test_string_to_sign_and_signature_by_hand():
    expected_string = ("POST\n/api/settlement/v1/2207\n" + hashlib.sha256(BODY).hexdigest() + f"\n{TS}\n{NONCE}").encode()
    assert signing.string_to_sign("post", "/api/settlement/v1/2207", BODY, TS, NONCE) == expected_string
    assert signing.sign(SECRET, "POST", "/api/settlement/v1/2207", BODY, TS, NONCE) == (
        "sha256=" + hmac.new(SECRET, expected_string, hashlib.sha256).hexdigest())


def _verify(signature, *, secrets=(SECRET,), now=TS, nonce=NONCE, path="/api/settlement/v1/2207", ts=str(TS)):
    signing.verify(secrets=list(secrets), method="POST", path=path, body=BODY, timestamp=ts, nonce=nonce,
                   signature=signature, now=now)


@pytest.mark.parametrize(("change", "code"), [
    ({}, None),
    ({"now": TS + 300}, None),
    ({"now": TS + 301}, "stale_timestamp"),
    ({"now": TS - 301}, "stale_timestamp"),
    ({"path": "/api/settlement/v1/2206"}, "bad_signature"),
    ({"nonce": "short"}, "bad_signature"),
    ({"ts": "17e8"}, "bad_signature"),
    ({"secrets": (b"other",)}, "bad_signature"),
    ({"secrets": (b"other", SECRET)}, None),  # two keys during a rotation
])
def test_verify(change, code):
    signature = signing.sign(SECRET, "POST", "/api/settlement/v1/2207", BODY, TS, NONCE)
    if code is None:
        _verify(signature, **change)
    else:
        with pytest.raises(signing.SignatureError) as error:
            _verify(signature, **change)
        assert error.value.code == code


def test_stale_is_told_only_to_a_key_holder():
    wrong = "sha256=" + "0" * 64
    with pytest.raises(signing.SignatureError) as error:
        _verify(wrong, now=TS + 10_000)
    assert error.value.code == "bad_signature"
