"""How a request's last transaction ends on PostgreSQL: a transaction that only read is committed.

psycopg prepares a statement once it has run five times on a connection, so PostgreSQL plans it
once per connection instead of once per request; but psycopg forgets every prepared statement
(DEALLOCATE ALL) when the connection rolls a transaction back. A page that reads after its last
commit (a template's lazy load after the audit entry's commit) leaves a transaction open, which
the session's close at the end of the request rolls back: the next requests planned every
statement again. For a transaction that wrote nothing, COMMIT and ROLLBACK end it alike, so such
a transaction is committed here; one that wrote, one with something waiting for a commit (an
audit entry recorded, mail queued), or a request that failed, is rolled back as before. SQLite
keeps its compiled statements either way and is left alone.
"""

from flask import Flask
from sqlalchemy import event

from app.extensions import db

_WROTE = "varna_wrote"


def init_app(app: Flask) -> None:
    """After db.init_app: the teardown below must run before Flask-SQLAlchemy's, which closes the
    session (teardowns run in the reverse order of their registration)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "before_cursor_execute")
    def note_writing(connection, _cursor, statement, _parameters, _context, _executemany):
        # Anything but a plain SELECT (an INSERT, an UPDATE ... RETURNING, a SELECT ... FOR UPDATE,
        # SET, DDL) counts as writing: then the transaction is rolled back as before.
        if not connection.info.get(_WROTE):
            head = statement.lstrip()[:6].upper()
            if head != "SELECT" or " FOR UPDATE" in statement or " FOR SHARE" in statement:
                connection.info[_WROTE] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def forget(connection):
        connection.info.pop(_WROTE, None)

    @app.teardown_appcontext
    def end_reading_transaction(exc):
        if exc is not None:
            return
        if not db.session.registry.has():
            return  # the request used no session
        session = db.session()
        if not session.in_transaction() or session.new or session.dirty or session.deleted:
            return
        if any(session.info.values()):
            # Something waits for a commit (an audit entry sealed then, mail sent after it, a
            # cache to forget): the request meant it to be stored only by its own commit.
            return
        connection = session.connection()
        if connection.info.get(_WROTE):
            return
        session.commit()
