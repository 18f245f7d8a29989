"""Personnummer as people type them, normalised to 12 digits; anything else refused."""

from datetime import date

import pytest

from app.intake.personnummer import InvalidPersonnummer, is_coordination_number, luhn_ok, normalise

TODAY = date(2026, 5, 1)


@pytest.mark.parametrize("typed, stored", [
    ("19811218-9876", "198112189876"),
    ("198112189876", "198112189876"),
    ("811218-9876", "198112189876"),
    ("8112189876", "198112189876"),
    (" 811218 - 9876 ", "198112189876"),          # spaces from copying
    ("121212-1212", "201212121212"),             # the latest century that is not in the future
    ("19121212-1212", "191212121212"),
    ("121212+1212", "191212121212"),             # "+": 100 years or older
    ("811218+9876", "188112189876"),
    ("701063-2391", "197010632391"),             # samordningsnummer: day + 60
    ("19701063-2391", "197010632391"),
    ("260501-0004", "202605010004"),             # born today
])
def test_accepted_spellings_are_normalised_to_twelve_digits(typed, stored):
    assert luhn_ok(stored[2:])
    assert normalise(typed, TODAY) == stored


@pytest.mark.parametrize("typed, reason", [
    ("811218-9875", "checksum"),
    ("8112189877", "checksum"),
    ("811318-9876", "date"),      # month 13
    ("810230-1234", "date"),      # 30 February
    ("811241-1234", "date"),      # day 41 is neither a date nor a coordination number
    ("20300101-0004", "date"),    # born in the future
    ("19811218+9876", "format"),  # "+" means nothing with the century written out
    ("81121-89876", "format"),
    ("abcdef-ghij", "format"),
    ("", "format"),
    ("811218-98765", "format"),
    ("1981121898760", "format"),
])
def test_invalid_numbers_are_refused_with_the_reason(typed, reason):
    with pytest.raises(InvalidPersonnummer) as refused:
        normalise(typed, TODAY)
    assert str(refused.value) == reason


def test_a_ten_digit_number_from_this_year_later_than_today_belongs_to_the_previous_century():
    # 1 June: with today 1 May 2026, "260601" cannot be 2026, so it is 1926.
    assert normalise("260601-000" + _check("260601000"), TODAY).startswith("1926")


def test_coordination_numbers_are_recognised():
    assert is_coordination_number("197010632391")
    assert not is_coordination_number("198112189876")


def _check(nine: str) -> str:
    for digit in "0123456789":
        if luhn_ok(nine + digit):
            return digit
    raise AssertionError("no check digit")  # pragma: no cover
