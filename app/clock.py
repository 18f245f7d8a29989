"""The one source of "now". Times are stored as naive UTC and shown in Europe/Stockholm.

Tests move the clock with `frozen(...)` instead of sleeping, so deadlines and
follow-ups a month away can be tested in milliseconds.
"""

from contextlib import contextmanager
from datetime import UTC, datetime
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


@contextmanager
def frozen(moment: datetime):
    """Set the clock (naive UTC) for the duration of a block."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
