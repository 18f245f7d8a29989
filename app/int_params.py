"""Integers from outside (paths, query strings, cursors, forms) within what the database holds.

Every id column is a PostgreSQL `integer`, 32 bits signed; a larger number in a query is an
error there (psycopg NumericValueOutOfRange: "integer out of range"), which was a 500 for a
URL anyone can type (SQLite's limit, 64 bits, failed the same way further up). Paths use the
`int` converter below (registered in create_app in place of Werkzeug's), so such an id is a
URL that matches nothing: 404. Query parameters, cursors and form ids read their numbers with
`db_int`, which refuses them like any other junk.
"""

import re

from werkzeug.routing import IntegerConverter

DB_INT_MIN, DB_INT_MAX = -(2**31), 2**31 - 1

_DIGITS = re.compile(r"-?[0-9]+")


def db_int(value) -> int:
    """The integer `value` spells, in plain ASCII digits, if an integer column can hold it; else
    ValueError (so it serves as `type=` for request.args.get, which then gives the default, and
    as a WTForms coerce). Python's int() would also take " 5", "1_0" and other scripts' digits."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and len(value) <= 12 and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        raise ValueError("not a number")
    if not DB_INT_MIN <= number <= DB_INT_MAX:
        raise ValueError("out of range")
    return number


def db_int_or_none(value) -> int | None:
    try:
        return db_int(value)
    except (TypeError, ValueError):
        return None


class DbIntConverter(IntegerConverter):
    """`<int:...>` that does not match a number an integer column cannot hold: such a URL is 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=DB_INT_MAX if max is None else max, signed=signed)
