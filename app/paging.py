"""The keyset cursor every paged list uses: the last row's sort value and id, opaque to the person.

A cursor is the base64 of "<ISO date or datetime>|<id>". A token that is not one of ours
(edited by hand, cut off) decodes to None, and the list starts from the beginning.
"""

import base64
import binascii
from collections.abc import Callable
from datetime import date, datetime

from app.int_params import db_int


def encode_cursor(sort_value: date | datetime, identifier: int) -> str:
    raw = f"{sort_value.isoformat()}|{identifier}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str | None, parse: Callable[[str], date | datetime] = datetime.fromisoformat):
    """The (sort value, id) a cursor points at, the value read by `parse`; None for anything
    that is not one of ours."""
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        value, _sep, identifier = raw.partition("|")
        return parse(value), db_int(identifier)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
