"""Rebuild docs/vectors/ecard.json, the e-card test vectors of docs/formats.md, from the published TEST key.

`uv run python scripts/build_ecard_vectors.py`. Ed25519 signatures are deterministic, so the output is the
same on every run; tests/domain/test_ecard_vectors.py checks the file, the doc and this script agree.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sscard.domain import ecard  # noqa: E402

# PUBLISHED TEST KEYS: known to everyone, never to be used for real cards.
TEST_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")  # RFC 8032 test 1
TEST_KID = "sscard-test-1"
OTHER_SEED = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")  # RFC 8032 test 2
NOW = 1_796_000_000  # 2026-11-30T00:53:20Z, the `now` every vector is verified at
OUT = Path(__file__).resolve().parent.parent / "docs" / "vectors" / "ecard.json"


def build() -> dict:
    key = ecard.private_key_from_seed(TEST_SEED)
    other = ecard.private_key_from_seed(OTHER_SEED)
    claims = ecard.make_claims(card="C-7Q2K9X4M", issuer="sscard", now=NOW - 10, lifetime_s=60, holder="张*")
    valid = ecard.sign(claims, key, TEST_KID)
    body = valid[len(ecard.PREFIX):]
    vectors = [
        {"name": "valid", "token": valid, "expect": "valid", "claims": claims},
        {"name": "unreadable", "token": ecard.PREFIX + body[:40], "expect": "unreadable"},
        {"name": "unknown_key", "token": ecard.sign(claims, key, "sscard-test-retired"), "expect": "unknown_key"},
        {"name": "bad_signature", "token": ecard.sign(claims, other, TEST_KID), "expect": "bad_signature"},
        {"name": "expired", "token": ecard.sign({**claims, "iat": NOW - 120, "nbf": NOW - 120, "exp": NOW - 60},
                                                key, TEST_KID), "expect": "expired"},
        {"name": "not_yet_valid", "token": ecard.sign({**claims, "iat": NOW, "nbf": NOW + 30, "exp": NOW + 90},
                                                      key, TEST_KID), "expect": "not_yet_valid"},
    ]
    return {
        "now": NOW,
        "test_private_key_seed_hex": TEST_SEED.hex(),
        "keys": {"keys": [ecard.public_jwk(TEST_KID, key.public_key())]},
        "vectors": vectors,
    }


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
