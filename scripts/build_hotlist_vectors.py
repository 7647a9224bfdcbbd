"""Rebuild docs/vectors/hotlist.json, the transit hot list test vectors of docs/formats.md, from the published
TEST key.

`uv run python scripts/build_hotlist_vectors.py`. Ed25519 signatures are deterministic, so the output is the
same on every run; tests/cards/test_hotlist_vectors.py checks the file, the doc and this script agree.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sscard.domain import ecard, hotlist  # noqa: E402

# PUBLISHED TEST KEY: known to everyone, never to be used for real lists.
TEST_SEED = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")  # RFC 8032 test 2
TEST_KID = "sscard-hotlist-test-1"
OTHER_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")  # RFC 8032 test 1
OUT = Path(__file__).resolve().parent.parent / "docs" / "vectors" / "hotlist.json"

ENTRIES = [("A10000017", "8E5A0C2F9B3D4E61A7C8B9D0E1F20304"),
           ("A10000025", "8E5A0C2F9B3D4E61A7C8B9D0E1F20412"),
           ("B20000031", "1F2E3D4C5B6A79880796A5B4C3D2E1F0")]


def build() -> dict:
    key, other = ecard.private_key_from_seed(TEST_SEED), ecard.private_key_from_seed(OTHER_SEED)
    full = hotlist.build_full(operator="whbus", version=1207, cities=["420100"], entries=ENTRIES)
    delta = hotlist.build_delta(operator="whbus", since=1207, version=1210, cities=["420100"], changes=[
        ("add", "C30000049", "0A1B2C3D4E5F60718293A4B5C6D7E8F9"),
        ("remove", "A10000025", "8E5A0C2F9B3D4E61A7C8B9D0E1F20412"),
        ("add", "A10000033", "8E5A0C2F9B3D4E61A7C8B9D0E1F20520")])
    tampered = full.replace(b"A10000025", b"A10000026")
    vectors = [
        {"name": "full", "body": full.decode(), "signature": hotlist.signature_header(full, key, TEST_KID),
         "expect": "valid"},
        {"name": "delta", "body": delta.decode(), "signature": hotlist.signature_header(delta, key, TEST_KID),
         "expect": "valid"},
        {"name": "tampered", "body": tampered.decode(), "signature": hotlist.signature_header(full, key, TEST_KID),
         "expect": "bad_signature"},
        {"name": "other_key", "body": full.decode(), "signature": hotlist.signature_header(full, other, TEST_KID),
         "expect": "bad_signature"},
        {"name": "unknown_key", "body": full.decode(),
         "signature": hotlist.signature_header(full, key, "sscard-hotlist-retired"), "expect": "unknown_key"},
    ]
    after = hotlist.apply(hotlist.apply(set(), hotlist.parse(full)), hotlist.parse(delta))
    return {
        "test_private_key_seed_hex": TEST_SEED.hex(),
        "keys": {"keys": [ecard.public_jwk(TEST_KID, key.public_key())]},
        "vectors": vectors,
        "full_then_delta": sorted(f"{card},{chip}" for card, chip in after),
    }


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
