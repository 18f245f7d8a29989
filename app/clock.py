"""The one source of "now". Times are stored as naive UTC and shown in Europe/Stockholm.

Tests move the clock with `frozen(...)` instead of sleeping, so deadlines and
follow-ups a month away can be tested in milliseconds.
"""

import calendar
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_frozen: datetime | None = None


def utcnow() -> datetime:
    """Naive UTC, the form every timestamp column holds (portable across SQLite and PostgreSQL)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(STOCKHOLM)


def today_local():
    return to_local(utcnow()).date()


def add_months(value, months: int):
    """The same day `months` later (earlier when negative), a date or a datetime; the month's
    last day when it is shorter (31 Dec + 2 = 28/29 Feb)."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    return value.replace(year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1]))


def local_moment(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """That Swedish wall-clock time on that day, as naive UTC (the stored form): midnight by
    default, for "from this day on" ranges; 23:59:59 for "until the end of that day"."""
    local = datetime.combine(day, time(hour, minute, second), tzinfo=STOCKHOLM)
    return (local - local.utcoffset()).replace(tzinfo=None)


def moment_on(day: date) -> datetime:
    """When something a person says happened on `day` is stored: now, when it is today;
    otherwise noon that day (Swedish time)."""
    return utcnow() if day == today_local() else local_moment(day, 12)


@contextmanager
def frozen(moment: datetime):
    """Set the clock (naive UTC) for the duration of a block."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
