"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

Accepted as people type them: 19850312-1234, 850312-1234, 8503121234,
198503121234, and 120312+1234 for someone aged 100 or more. Stored as 12 digits
(198503121234) so that two spellings of the same number compare equal.

Pure: no Flask, no database; `today` is passed in so that the century of a
10-digit number and "not born in the future" can be tested on any date.
"""

import re
from datetime import date

_PATTERN = re.compile(r"^(?P<century>\d{2})?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
                      r"(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$")
COORDINATION_DAY_OFFSET = 60


class InvalidPersonnummer(ValueError):
    """The text is not a valid personal identity or coordination number."""


def luhn_ok(digits: str) -> bool:
    """The Luhn check used by personnummer, over the ten digits YYMMDDNNNC."""
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def normalise(text: str, today: date) -> str:
    """The 12-digit form of a valid number, or InvalidPersonnummer.

    A 10-digit number gets the century that makes the person younger than 100,
    or, with "+", at least 100 (the separator Skatteverket uses for that).
    """
    compact = "".join((text or "").split())
    match = _PATTERN.match(compact)
    if match is None:
        raise InvalidPersonnummer("format")
    parts = match.groupdict()
    yy, mm, dd = int(parts["yy"]), int(parts["mm"]), int(parts["dd"])
    day = dd - COORDINATION_DAY_OFFSET if dd > COORDINATION_DAY_OFFSET else dd
    if parts["century"] is not None:
        if parts["sep"] == "+":
            raise InvalidPersonnummer("format")  # "+" only has a meaning without the century
        year = int(parts["century"] + parts["yy"])
        born = _date_or_none(year, mm, day)
    else:
        born = _guess_century(yy, mm, day, today, hundred_or_more=parts["sep"] == "+")
    if born is None or born > today:
        raise InvalidPersonnummer("date")
    ten = f"{yy:02d}{mm:02d}{dd:02d}{parts['serial']}{parts['check']}"
    if not luhn_ok(ten):
        raise InvalidPersonnummer("checksum")
    return f"{born.year:04d}{ten[2:]}"


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _guess_century(yy: int, month: int, day: int, today: date, *, hundred_or_more: bool) -> date | None:
    # The latest year ending in yy that is not after this year ...
    year = today.year - (today.year - yy) % 100
    born = _date_or_none(year, month, day)
    if born is not None and born > today:
        born = _date_or_none(year - 100, month, day)
    # ... and, for "+", the same day a century before that.
    if born is not None and hundred_or_more:
        born = _date_or_none(born.year - 100, month, day)
    return born


def is_coordination_number(pin: str) -> bool:
    return len(pin) == 12 and int(pin[6:8]) > COORDINATION_DAY_OFFSET
