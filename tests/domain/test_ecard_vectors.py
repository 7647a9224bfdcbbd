"""The e-card test vectors: docs/formats.md shows docs/vectors/ecard.json verbatim, the generator script
rebuilds it byte for byte, and the verifier answers every vector as the document says."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

from sscard.domain import ecard

ROOT = Path(__file__).resolve().parents[2]
VECTORS_FILE = ROOT / "docs" / "vectors" / "ecard.json"
DOC = ROOT / "docs" / "formats.md"


def _doc_block() -> str:
    match = re.search(r"<!-- ecard-vectors:begin -->\n```json\n(.*?)```\n<!-- ecard-vectors:end -->",
                      DOC.read_text(encoding="utf-8"), re.S)
    assert match, "docs/formats.md has no e-card vectors block"
    return match.group(1)


DOC_VECTORS = json.loads(_doc_block())


def test_the_document_shows_the_vectors_file_verbatim():
    assert _doc_block() == VECTORS_FILE.read_text(encoding="utf-8")


def test_the_generator_rebuilds_the_file_exactly():
    spec = importlib.util.spec_from_file_location("build_ecard_vectors", ROOT / "scripts" / "build_ecard_vectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render() == VECTORS_FILE.read_text(encoding="utf-8")


def test_there_is_a_valid_vector_and_one_per_offline_failure():
    # by hand: every offline reason code has its vector
    assert sorted(v["expect"] for v in DOC_VECTORS["vectors"]) == sorted(
        ["valid", "unreadable", "unknown_key", "bad_signature", "expired", "not_yet_valid"])


def test_the_published_key_is_the_test_seed_s_public_key():
    key = ecard.private_key_from_seed(bytes.fromhex(DOC_VECTORS["test_private_key_seed_hex"]))
    assert DOC_VECTORS["keys"]["keys"] == [ecard.public_jwk("sscard-test-1", key.public_key())]
    # RFC 8032 test 1 public key, written out by hand
    assert DOC_VECTORS["keys"]["keys"][0]["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"


@pytest.mark.parametrize("vector", DOC_VECTORS["vectors"], ids=lambda v: v["name"])
def test_each_vector_verifies_as_the_document_says(vector):
    keys = ecard.keys_from_jwks(DOC_VECTORS["keys"])
    result = ecard.verify(vector["token"], keys, DOC_VECTORS["now"])
    if vector["expect"] == "valid":
        assert result.ok
        assert result.claims == vector["claims"]
        assert result.claims["holder"] == "张*" and result.claims["exp"] - result.claims["nbf"] == 60
    else:
        assert not result.ok
        assert str(result.reason) == vector["expect"]
