"""Office codes: format, randomness, and a check symbol that catches every single typo and neighbour swap."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sscard.domain import officecode
from sscard.domain.officecode import ALPHABET, LENGTH, OfficeCodeError

bodies = st.text(alphabet=ALPHABET, min_size=officecode.RANDOM_LENGTH, max_size=officecode.RANDOM_LENGTH)
codes = bodies.map(lambda body: body + officecode.check_symbol(body))


def test_alphabet_has_no_look_alikes_and_a_prime_size():
    for confusable in "01ILO":
        assert confusable not in ALPHABET
    assert len(ALPHABET) == 31
    assert all(len(ALPHABET) % d for d in range(2, 31))


def test_randomness_is_at_least_40_bits():
    assert officecode.RANDOM_LENGTH * math.log2(len(ALPHABET)) >= 40


def test_generated_codes_are_valid_and_not_sequential():
    generated = [officecode.generate() for _ in range(2000)]
    assert all(officecode.is_valid(code) and len(code) == LENGTH for code in generated)
    assert len(set(generated)) == len(generated)
    # Consecutive codes share no structure a stranger could walk: most positions differ.
    same_positions = sum(a == b for x, y in zip(generated, generated[1:], strict=False) for a, b in zip(x, y, strict=True))
    assert same_positions / (len(generated) - 1) < 1.5  # random: about 11/31 ≈ 0.35 per pair


def test_generation_uses_the_secure_random_source_for_every_symbol():
    calls = []

    def fake_randbelow(n):
        calls.append(n)
        return 0

    code = officecode.generate(randbelow=fake_randbelow)
    assert calls == [31] * 10
    assert code.startswith("2" * 10)


def test_display_groups_and_parse_accepts_lower_case_spaces_and_dashes():
    code = officecode.generate()
    shown = officecode.format_code(code)
    assert shown == f"{code[:4]}-{code[4:8]}-{code[8:]}"
    assert officecode.parse(shown).compact == code
    assert officecode.parse(" " + shown.lower().replace("-", " - ") + " ").compact == code
    assert officecode.parse(code.lower()).display == shown


@pytest.mark.parametrize("typed, reason", [
    ("", "length"), ("K7QM-X3P9", "length"), ("K7QM-X3P9-C4RR", "length"),
    ("K7QM-X3P9-C0R", "symbol"), ("K7QM-X3P9-CIR", "symbol"), ("K7QM-X3P9-C#R", "symbol"),
])
def test_malformed_codes_are_refused_with_a_reason(typed, reason):
    with pytest.raises(OfficeCodeError) as caught:
        officecode.parse(typed)
    assert caught.value.code == reason
    assert caught.value.message


@settings(max_examples=300)
@given(codes, st.integers(min_value=0, max_value=LENGTH - 1), st.sampled_from(ALPHABET))
def test_any_single_wrong_symbol_is_caught(code, position, symbol):
    if code[position] == symbol:
        return
    typo = code[:position] + symbol + code[position + 1:]
    assert not officecode.is_valid(typo)
    with pytest.raises(OfficeCodeError) as caught:
        officecode.parse(typo)
    assert caught.value.code == "check"


@settings(max_examples=300)
@given(codes, st.integers(min_value=0, max_value=LENGTH - 2))
def test_any_swap_of_neighbours_is_caught(code, position):
    a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2:]
    assert not officecode.is_valid(swapped)


def test_exhaustively_every_single_substitution_and_transposition_for_one_code():
    code = officecode.generate()
    for i in range(LENGTH):
        for symbol in ALPHABET:
            if symbol != code[i]:
                assert not officecode.is_valid(code[:i] + symbol + code[i + 1:])
        if i < LENGTH - 1 and code[i] != code[i + 1]:
            assert not officecode.is_valid(code[:i] + code[i + 1] + code[i] + code[i + 2:])


@given(bodies)
def test_every_body_has_exactly_one_check_symbol(body):
    valid = [s for s in ALPHABET if officecode.is_valid(body + s)]
    assert valid == [officecode.check_symbol(body)]
