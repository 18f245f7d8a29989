"""Counting the SQL statements a block runs: the speed tests hold pages to a number of statements
rather than to seconds (a timed test fails on a busy machine)."""

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db


@contextmanager
def statements(*, fresh_session: bool = False):
    """The SQL statements run inside the block, each on one line. `fresh_session`: start from an
    empty session, as each request in production does (the tests keep one for the whole test)."""
    if fresh_session:
        db.session.remove()
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
