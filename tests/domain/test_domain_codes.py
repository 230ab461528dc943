"""Codes: format, check character, normalisation and keyed hashes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buurtbegroting.domain.codes import (
    ALPHABET,
    LENGTH,
    InvalidCode,
    check_character,
    code_hash,
    format_code,
    generate_code,
    normalize_code,
)


def test_alphabet_has_32_characters_without_look_alikes():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("OILU") & set(ALPHABET)


def test_generated_codes_are_valid_and_different():
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert len(code) == LENGTH and normalize_code(code) == code


def test_every_character_turns_up_in_every_position_of_generated_codes():
    codes = [generate_code() for _ in range(3000)]
    for position in range(LENGTH - 1):
        assert {code[position] for code in codes} == set(ALPHABET)


@given(st.text(alphabet=ALPHABET, min_size=1, max_size=20))
def test_the_check_character_is_luhn_mod_32_written_out(data):
    total, factor = 0, 2
    for ch in reversed(data):
        addend = factor * ALPHABET.index(ch)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    assert check_character(data) == ALPHABET[-total % 32]


def test_typing_is_forgiving_about_case_spaces_dashes_and_look_alikes():
    code = generate_code()
    typed = format_code(code).lower().replace("-", " ")
    assert normalize_code(typed) == code
    if "0" in code:
        assert normalize_code(code.replace("0", "O")) == code
    if "1" in code:
        assert normalize_code(code.replace("1", "l")) == code


@given(st.text(alphabet=ALPHABET, min_size=12, max_size=12), st.integers(0, 12), st.integers(1, 31))
def test_every_single_character_error_is_caught(data, position, shift):
    code = data + check_character(data)
    wrong = ALPHABET[(ALPHABET.index(code[position]) + shift) % 32]
    mistyped = code[:position] + wrong + code[position + 1 :]
    with pytest.raises(InvalidCode):
        normalize_code(mistyped)


@given(st.text(alphabet=ALPHABET, min_size=12, max_size=12), st.integers(0, 11))
def test_swapping_two_neighbours_is_caught(data, position):
    code = data + check_character(data)
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    first, last = ALPHABET[0], ALPHABET[-1]
    if swapped[position : position + 2] in (first + last, last + first):
        return  # Luhn mod N's one blind spot: the first and the last symbol ("0" and "Z")
    with pytest.raises(InvalidCode):
        normalize_code(swapped)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "length"),
        ("ABC", "length"),
        ("ABCD-EFGH-JKMN!", "characters"),
        ("<script>alert</script>", "length"),
    ],
)
def test_malformed_codes(text, reason):
    with pytest.raises(InvalidCode) as error:
        normalize_code(text)
    assert error.value.reason == reason


def test_hashes_are_keyed_and_separate_per_purpose():
    code = generate_code()
    assert code_hash(code, b"k1", "vote") != code_hash(code, b"k2", "vote")
    assert code_hash(code, b"k1", "vote") != code_hash(code, b"k1", "cheque")
    assert code_hash(code, b"k1", "vote") == code_hash(code, b"k1", "vote")
    assert len(code_hash(code, b"k1", "vote")) == 64


def test_ten_thousand_random_guesses_find_no_valid_code_among_fifty_thousand():
    issued = {code_hash(generate_code(), b"key", "vote") for _ in range(50_000)}
    guesses = 0
    for _ in range(10_000):
        guess = generate_code()
        guesses += code_hash(guess, b"key", "vote") in issued
    assert guesses == 0
