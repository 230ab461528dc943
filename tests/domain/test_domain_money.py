"""Amounts typed by people become integer cents, or a clear refusal."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buurtbegroting.domain.money import InvalidAmount, format_cents_plain, parse_cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1.250,50", 125050),
        ("1250,50", 125050),
        ("1250.50", 125050),
        ("1,250.50", 125050),
        ("€ 1.250", 125000),
        ("1 250,50", 125050),
        ("12,5", 1250),
        ("0,99", 99),
        ("250", 25000),
        ("125.000", 12_500_000),
    ],
)
def test_common_ways_of_writing_an_amount(text, cents):
    assert parse_cents(text) == cents


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "format"),
        ("abc", "format"),
        ("1.2.3", "format"),
        ("12.345,678", "format"),
        ("-5", "negative"),
        ("0", "zero"),
        ("0,00", "zero"),
        ("99999999999", "too_large"),
        ("1e5", "format"),
        ("<script>", "format"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(text, code):
    with pytest.raises(InvalidAmount) as error:
        parse_cents(text)
    assert error.value.code == code


@given(st.integers(min_value=1, max_value=100_000_000))
def test_what_the_form_shows_reads_back_the_same(cents):
    assert parse_cents(format_cents_plain(cents)) == cents


@given(st.integers(min_value=1, max_value=999_999), st.integers(min_value=0, max_value=99))
def test_dutch_thousands_and_decimal_comma(euros, cents):
    grouped = f"{euros:,}".replace(",", ".")
    assert parse_cents(f"{grouped},{cents:02d}") == euros * 100 + cents
