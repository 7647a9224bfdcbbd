"""The e-card keys published at the well-known URL and `manage.py verify_ecard`, as a terminal and an
operator use them."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from sscard.cards.ecard_keys import key_store
from sscard.domain import ecard

ROOT_VECTORS = json.loads((Path(__file__).resolve().parents[2] / "docs" / "vectors" / "ecard.json").read_text(encoding="utf-8"))
NOW = 1_800_000_000
CLAIMS = {"iss": "sscard", "card": "C-9", "iat": NOW, "nbf": NOW, "exp": NOW + 60}
OLD_KEY = ecard.private_key_from_seed(bytes(range(32)))


@pytest.fixture
def keys(tmp_path):
    """A fresh signing key (generated into the temporary directory) plus an old key still published."""
    extras = tmp_path / "old-keys.json"
    extras.write_text(json.dumps({"keys": [ecard.public_jwk("old-1", OLD_KEY.public_key())]}))
    with override_settings(ECARD_KEY_FILE=tmp_path / "ecard_key.pem", ECARD_KID="",
                           ECARD_EXTRA_KEYS_FILE=str(extras)):
        yield key_store()


def test_a_missing_key_file_is_generated_private_and_reused(keys, tmp_path):
    path = tmp_path / "ecard_key.pem"
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert path.stat().st_mode & 0o777 == 0o600
    assert keys.kid.startswith("sscard-") and len(keys.kid) == len("sscard-") + 8


def test_well_known_url_publishes_every_accepted_key_and_no_private_part(client, keys):
    response = client.get("/.well-known/sscard-ecard-keys.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    published = response.json()["keys"]
    assert sorted(key["kid"] for key in published) == sorted(["old-1", keys.kid])
    for key in published:
        assert set(key) == {"kty", "crv", "alg", "use", "kid", "x"}  # no "d"
        assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA")


def test_a_terminal_verifies_with_the_downloaded_key_set(client, keys):
    terminal_keys = ecard.keys_from_jwks(client.get("/.well-known/sscard-ecard-keys.json").json())
    assert ecard.verify(ecard.sign(CLAIMS, keys.private_key, keys.kid), terminal_keys, NOW).ok
    # a token signed before the rotation with the old key still verifies while the old key is published
    assert ecard.verify(ecard.sign(CLAIMS, OLD_KEY, "old-1"), terminal_keys, NOW).ok


def test_the_keys_url_answers_only_reads(client, keys):
    assert client.post("/.well-known/sscard-ecard-keys.json").status_code == 405


def _verify_command(*args):
    out = StringIO()
    code = 0
    try:
        call_command("verify_ecard", *args, stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


def test_command_prints_the_claims_of_a_valid_token(keys):
    code, printed = _verify_command(ecard.sign(CLAIMS, keys.private_key, keys.kid), "--now", str(NOW + 1))
    assert code == 0
    assert printed == {"valid": True, "kid": keys.kid, "claims": CLAIMS}


@pytest.mark.parametrize(("token", "now", "expected"), [
    ("SSC1:not base45!", NOW, "unreadable"),
    ("signed by the old key under an unpublished kid", NOW, "unknown_key"),
    ("signed by the old key under the new kid", NOW, "bad_signature"),
    ("valid token", NOW + 60, "expired"),
    ("valid token", NOW - 1, "not_yet_valid"),
])
def test_command_prints_the_reason_and_exits_1(keys, token, now, expected):
    token = {"signed by the old key under an unpublished kid": ecard.sign(CLAIMS, OLD_KEY, "gone"),
             "signed by the old key under the new kid": ecard.sign(CLAIMS, OLD_KEY, keys.kid),
             "valid token": ecard.sign(CLAIMS, keys.private_key, keys.kid)}.get(token, token)
    code, printed = _verify_command(token, "--now", str(now))
    assert code == 1
    assert printed["valid"] is False and printed["reason"] == expected


def test_command_with_the_published_test_key_set_checks_the_documented_vectors(tmp_path):
    jwks = tmp_path / "test-keys.json"
    jwks.write_text(json.dumps(ROOT_VECTORS["keys"]))
    for vector in ROOT_VECTORS["vectors"]:
        code, printed = _verify_command(vector["token"], "--now", str(ROOT_VECTORS["now"]), "--keys", str(jwks))
        if vector["expect"] == "valid":
            assert (code, printed["claims"]["card"]) == (0, "C-7Q2K9X4M")
        else:
            assert (code, printed["reason"]) == (1, vector["expect"])
