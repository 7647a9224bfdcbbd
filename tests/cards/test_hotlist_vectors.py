"""The hot list test vectors: docs/formats.md shows docs/vectors/hotlist.json verbatim, the generator script
rebuilds it byte for byte, and every vector verifies (or fails) as the document says."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

from sscard.domain import ecard, hotlist

ROOT = Path(__file__).resolve().parents[2]
VECTORS_FILE = ROOT / "docs" / "vectors" / "hotlist.json"
DOC = ROOT / "docs" / "formats.md"


def _doc_block() -> str:
    match = re.search(r"<!-- hotlist-vectors:begin -->\n```json\n(.*?)```\n<!-- hotlist-vectors:end -->",
                      DOC.read_text(encoding="utf-8"), re.S)
    assert match, "docs/formats.md has no hot list vectors block"
    return match.group(1)


VECTORS = json.loads(_doc_block())


def test_the_document_shows_the_vectors_file_verbatim():
    assert _doc_block() == VECTORS_FILE.read_text(encoding="utf-8")


def test_the_generator_rebuilds_the_file_exactly():
    spec = importlib.util.spec_from_file_location("build_hotlist_vectors",
                                                  ROOT / "scripts" / "build_hotlist_vectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render() == VECTORS_FILE.read_text(encoding="utf-8")


def test_the_published_key_is_the_test_seed_s_public_key():
    key = ecard.private_key_from_seed(bytes.fromhex(VECTORS["test_private_key_seed_hex"]))
    assert VECTORS["keys"]["keys"] == [ecard.public_jwk("sscard-hotlist-test-1", key.public_key())]
    # RFC 8032 test 2 public key (3d4017c3...660c), written out by hand in base64url
    assert VECTORS["keys"]["keys"][0]["x"] == "PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw"


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_each_vector_verifies_as_the_document_says(vector):
    result = hotlist.verify(vector["body"].encode("utf-8"), vector["signature"],
                            ecard.keys_from_jwks(VECTORS["keys"]))
    assert (result or "valid") == vector["expect"]


def test_the_full_list_then_the_delta_give_the_documented_list():
    by_name = {v["name"]: v for v in VECTORS["vectors"]}
    full, delta = (hotlist.parse(by_name[n]["body"].encode()) for n in ("full", "delta"))
    assert (full.kind, full.operator, full.version, full.cities) == ("FULL", "whbus", 1207, ("420100",))
    assert (delta.kind, delta.since, delta.version) == ("DELTA", 1207, 1210)
    held = hotlist.apply(hotlist.apply(set(), full), delta)
    assert sorted(f"{card},{chip}" for card, chip in held) == VECTORS["full_then_delta"]
    assert len(held) == 4  # 3 listed, 2 added, 1 removed
