"""PostgreSQL plans a statement once per connection when psycopg prepares it (after five runs on
the connection), but psycopg forgets every prepared statement when the connection rolls back a
transaction. A request that reads after its last commit (a template's lazy load after the audit
entry's commit) left a reading transaction that the session's close rolled back, so the next
requests planned every statement again. app/transactions.py ends such a transaction with a
COMMIT instead (nothing was written in it); a transaction that wrote is still rolled back."""

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.workflow import Status
from tests.cases.helpers import file_case, user
from tests.conftest import login, make_config


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


def test_a_page_that_reads_after_its_commit_keeps_the_prepared_statements(postgresql_only, login_as, _session_dir):
    case = file_case()
    case.status = Status.INVESTIGATING
    case.assigned_to = user("erik")
    db.session.commit()
    # The test's app keeps one app context for the whole test, so its requests never end their
    # transaction; an app of its own, as in production, ends each request's.
    served = create_app(make_config(_session_dir))
    try:
        client = served.test_client()
        assert login(client, "erik").status_code == 302
        for _ in range(8):
            assert client.get(f"/arenden/{case.reference}").status_code == 200
        with served.app_context(), db.engine.connect() as connection:
            prepared = connection.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
        assert prepared > 0
    finally:
        with served.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("statement", [
    "UPDATE cases SET summary = 'Efter' WHERE reference = :r",
    "WITH changed AS (UPDATE cases SET summary = 'Efter' WHERE reference = :r RETURNING id) SELECT id FROM changed",
])
def test_a_transaction_that_wrote_and_did_not_commit_is_still_rolled_back(postgresql_only, login_as, _session_dir,
                                                                          statement):
    reference = file_case(summary="Före").reference
    db.session.commit()
    served = create_app(make_config(_session_dir))
    try:
        with served.app_context():  # its end is a request's end
            db.session.execute(text(statement), {"r": reference})
            db.session.execute(text("SELECT 1"))
        with served.app_context():
            assert db.session.scalar(text("SELECT summary FROM cases WHERE reference = :r"), {"r": reference}) == "Före"
    finally:
        with served.app_context():
            db.engine.dispose()


def test_an_audit_entry_recorded_but_not_committed_is_not_stored(postgresql_only, login_as, _session_dir):
    """A request that recorded an audit entry (sealed at its commit) and ended without committing,
    say a refused move after the record, had meant nothing to be stored: the reading transaction is
    not committed then either."""
    from app import audit
    reference = file_case().reference
    db.session.commit()
    served = create_app(make_config(_session_dir))
    try:
        with served.app_context():
            db.session.execute(text("SELECT 1"))
            audit.record("case.viewed", object_type="case", object_id=reference, detail={"reference": reference})
        with served.app_context():
            stored = db.session.scalar(text("SELECT count(*) FROM audit_events WHERE object_id = :r"), {"r": reference})
        assert stored == 0
    finally:
        with served.app_context():
            db.engine.dispose()
