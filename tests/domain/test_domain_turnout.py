from datetime import date

from buurtbegroting.domain.turnout import AGE_BANDS, age_band, age_on, suppress


def test_age_counts_whole_years_up_to_the_birthday():
    assert age_on(date(2000, 12, 8), date(2026, 12, 7)) == 25
    assert age_on(date(2000, 12, 7), date(2026, 12, 7)) == 26


def test_bands_cover_every_age_from_twelve():
    assert age_band(date(2015, 1, 1), date(2026, 12, 7)) is None
    assert age_band(date(2014, 1, 1), date(2026, 12, 7)) == (12, 17)
    assert age_band(date(1930, 1, 1), date(2026, 12, 7)) == AGE_BANDS[-1]


def test_cells_below_ten_are_suppressed_but_zero_is_shown():
    assert [suppress(n) for n in (0, 1, 9, 10, 250)] == [0, None, None, 10, 250]


def test_a_single_hidden_cell_takes_the_next_smallest_with_it():
    from buurtbegroting.domain.turnout import suppress_row

    assert suppress_row([5, 15, 40]) == [None, None, 40]
    assert suppress_row([5, 3, 40]) == [None, None, 40]
    assert suppress_row([0, 12, 40]) == [0, 12, 40]
    assert suppress_row([4, 0]) == [None, 0]
