"""The migrations are the schema: on an empty database `upgrade head` must build exactly
what the models describe, and every downgrade must undo its upgrade.

The rest of the suite builds its schema with create_all(), so these tests are the only
guard against a model change without a migration (or a migration that differs from the
model). They read migrations/versions, so every new migration is covered automatically.
Each database is created empty for the test: a SQLite file, and, when TEST_DATABASE_URL
points at PostgreSQL, a new database on the same server, dropped afterwards.
"""

import logging
import os
import re
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from app import create_app
from app.cases.queue.search import include_name
from app.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BACKEND_PARAMS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(
        not (TEST_DATABASE_URL or "").startswith("postgres"),
        reason="TEST_DATABASE_URL does not point at PostgreSQL")),
]


@contextmanager
def _empty_postgresql_database():
    """A new, empty database on the TEST_DATABASE_URL server; dropped on the way out."""
    server = make_url(TEST_DATABASE_URL)
    name = f"varna_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            try:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            except ProgrammingError as error:
                pytest.skip(f"cannot create a database on the TEST_DATABASE_URL server: {error.orig}")
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


@pytest.fixture
def _logging_kept():
    """migrations/env.py configures logging from alembic.ini; undo that for the tests after these."""
    names = ["", "alembic", "sqlalchemy.engine", "flask_migrate"]
    saved = {name: (logging.getLogger(name).level, logging.getLogger(name).handlers[:]) for name in names}
    yield
    for name, (level, handlers) in saved.items():
        logging.getLogger(name).setLevel(level)
        logging.getLogger(name).handlers[:] = handlers


@pytest.fixture(params=BACKEND_PARAMS)
def empty_database_app(request, tmp_path, _logging_kept):
    """An app whose database is brand new and has no tables at all."""
    @contextmanager
    def sqlite_file():
        yield "sqlite:///" + os.path.join(tmp_path, "migrations.db")

    source = sqlite_file() if request.param == "sqlite" else _empty_postgresql_database()
    with source as url:
        app = create_app(make_config(str(tmp_path), SQLALCHEMY_DATABASE_URI=url))
        with app.app_context():
            assert _tables() == set(), "the database is not empty"
            try:
                yield app
            finally:
                db.session.remove()
                # The database is dropped next; no pooled connection may keep it open.
                db.engine.dispose()


def _tables() -> set[str]:
    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def _schema_differences() -> list:
    with db.engine.connect() as conn:
        # The search's FTS5 tables and PostgreSQL-only indexes are not models (app.cases.queue.search).
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        return compare_metadata(context, db.metadata)


def _current_revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _leftover_postgresql_types() -> list[str]:
    # Dropping a table leaves its enum types behind; a second upgrade would then fail.
    if db.engine.dialect.name != "postgresql":
        return []
    with db.engine.connect() as conn:
        return list(conn.scalars(text(
            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd')")))


def _migration_scripts() -> ScriptDirectory:
    scripts = ScriptDirectory(str(MIGRATIONS))
    try:
        scripts.revision_map.heads  # noqa: B018 - builds the map, which checks every down_revision
    except KeyError as error:
        pytest.fail(f"a migration revises {error}, but no file in migrations/versions has that "
                    "revision id (renamed, or not committed?)")
    return scripts


def _revisions_oldest_first() -> list[str]:
    scripts = _migration_scripts()
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def test_the_migration_history_is_one_line_with_named_revisions():
    scripts = _migration_scripts()
    heads = scripts.get_heads()
    # Two developers branching from the same revision: renumber one and point it at the other.
    assert len(heads) == 1, f"several migration heads {heads}: make each new migration revise the latest one"
    oldest_first = list(reversed(list(scripts.walk_revisions())))
    for position, script in enumerate(oldest_first, start=1):
        filename = Path(script.path).stem
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+", script.revision), (
            f"{filename}: revision id {script.revision!r} should look like 0002_short_name")
        # The file's number is its place in the chain; its name is the revision's name. The
        # id itself never changes (databases store it), so five older ids keep the number
        # they were written with (migrations/README, "The chain").
        number, name = script.revision.split("_", 1)
        assert filename == f"{position:04d}_{name}", (
            f"{filename}.py holds revision {script.revision!r}, number {position} in the chain: "
            f"name it {position:04d}_{name}.py")
        if script.revision not in RENUMBERED_IDS:
            assert int(number) == position, f"{script.revision}: a new revision id is the file name"


# The revision ids whose number is not their place in the chain: written in parallel, chained
# in the order they were merged, and applied to databases under these ids.
RENUMBERED_IDS = {"0006_actions", "0005_lex_sarah", "0009_investigation", "0010_deadlines", "0008_statistics"}


def test_upgrade_head_builds_exactly_the_models_and_downgrade_removes_it(empty_database_app):
    revisions = _revisions_oldest_first()
    flask_migrate.upgrade(revision="head")
    assert _current_revision() == revisions[-1]
    differences = _schema_differences()
    assert differences == [], (
        "the migrations and the models differ; add or fix a migration:\n"
        + "\n".join(repr(difference) for difference in differences))

    flask_migrate.downgrade(revision="base")
    assert _tables() == set()
    assert _leftover_postgresql_types() == []
    assert _current_revision() is None

    flask_migrate.upgrade(revision="head")
    assert _schema_differences() == []


def test_every_migration_downgrades_and_upgrades_again_on_its_own(empty_database_app):
    # Going up one step at a time, each downgrade must leave the database so that
    # its upgrade runs again: no table, index or type left behind.
    previous = None
    revisions = _revisions_oldest_first()
    for revision in revisions:
        flask_migrate.upgrade(revision=revision)
        tables_after_upgrade = _tables()
        flask_migrate.downgrade(revision=previous or "base")
        assert _current_revision() == previous
        flask_migrate.upgrade(revision=revision)
        assert _current_revision() == revision
        assert _tables() == tables_after_upgrade, f"{revision}: upgrade after downgrade built other tables"
        previous = revision
    assert _schema_differences() == []


def test_the_search_index_is_built_by_its_migration_and_removed_by_its_downgrade(empty_database_app):
    """The search structures are left out of the comparison with the models (app.cases.queue.search):
    check here that the migration makes them, fills them, and that its downgrade removes them."""
    from app.cases.queue.search import PG_INDEXES, SQLITE_TABLES
    flask_migrate.upgrade(directory=str(MIGRATIONS), revision="0015_login_throttle")
    from app.cases.models import Case
    with db.engine.begin() as conn:  # a case filed before the search existed (the defaults fill the rest)
        # The units table as it was at that revision (the model's table has later columns).
        units_then = sa.table("units", sa.column("id"), sa.column("name"), sa.column("path"), sa.column("depth"),
                              sa.column("active"), sa.column("address"), sa.column("created_at"))
        unit_id = conn.execute(db.insert(units_then).values(name="Enhet", path="/1/", depth=0, active=True,
                                                            address="", created_at=datetime(2026, 1, 1))
                               .returning(units_then.c.id)).scalar_one()
        conn.execute(db.insert(Case.__table__).values(
            reference="AV-2026-0001", kind="deviation", unit_id=unit_id, summary="Fallolycka",
            description="Brukaren halkade i badrummet.", imported=False, bypass_manager=False))
    flask_migrate.upgrade(directory=str(MIGRATIONS), revision="0018_search")
    from app.cases.queue.search import text_condition
    assert db.session.scalars(db.select(Case.reference).where(text_condition("badrummet"))).all() == ["AV-2026-0001"]
    db.session.rollback()
    with db.engine.connect() as conn:
        inspector = inspect(conn)
        if db.engine.dialect.name == "sqlite":
            assert SQLITE_TABLES & set(inspector.get_table_names())
        else:
            assert PG_INDEXES <= {index["name"] for index in inspector.get_indexes("cases")}
    flask_migrate.downgrade(directory=str(MIGRATIONS), revision="0015_login_throttle")
    with db.engine.connect() as conn:
        inspector = inspect(conn)
        assert not SQLITE_TABLES & set(inspector.get_table_names())
        assert not PG_INDEXES & {index["name"] for index in inspector.get_indexes("cases")}


def test_the_reminder_log_takes_over_what_the_three_reminder_tables_remembered(empty_database_app):
    """0019_reminder_log copies who was reminded on which day from the three old tables, so
    nobody is reminded twice on the day of the upgrade; its downgrade copies them back."""
    from datetime import date, datetime

    from app.auth.models import User
    flask_migrate.upgrade(directory=str(MIGRATIONS), revision="0018_search")
    at = datetime(2026, 5, 13, 4, 0)
    with db.engine.begin() as conn:
        user_id = conn.execute(db.insert(User.__table__).values(
            username="sara", full_name="Sara Svensson", role="officer",
            password_hash="x")).inserted_primary_key[0]
        conn.execute(text("INSERT INTO case_deadline_reminders (user_id, day, sent_at, case_count) "
                          "VALUES (:u, :d, :at, 2)"), {"u": user_id, "d": date(2026, 5, 13), "at": at})
        conn.execute(text("INSERT INTO lex_sarah_reminders (user_id, sent_on, at, case_count) "
                          "VALUES (:u, :d, :at, 1)"), {"u": user_id, "d": date(2026, 5, 13), "at": at})
        conn.execute(text("INSERT INTO action_reminders_sent (user_id, day, sent_at, overdue_count, follow_up_count) "
                          "VALUES (:u, :d, :at, 1, 2)"), {"u": user_id, "d": date(2026, 5, 12), "at": at})
    flask_migrate.upgrade(directory=str(MIGRATIONS), revision="0019_reminder_log")
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT user_id, day, section, item_count FROM reminder_log "
                                 "ORDER BY section")).all()
        assert not {"case_deadline_reminders", "lex_sarah_reminders", "action_reminders_sent"} & _tables()
    assert [(u, date.fromisoformat(str(d)), s, n) for u, d, s, n in rows] == [
        (user_id, date(2026, 5, 12), "actions", 3), (user_id, date(2026, 5, 13), "cases", 2),
        (user_id, date(2026, 5, 13), "lexsarah", 1)]
    flask_migrate.downgrade(directory=str(MIGRATIONS), revision="0018_search")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT user_id, case_count FROM case_deadline_reminders")).all() == [(user_id, 2)]
        assert conn.execute(text("SELECT user_id, case_count FROM lex_sarah_reminders")).all() == [(user_id, 1)]
        assert conn.execute(text("SELECT user_id, overdue_count, follow_up_count FROM action_reminders_sent")
                            ).all() == [(user_id, 3, 0)]
        assert "reminder_log" not in _tables()


def test_the_one_supplement_request_per_case_becomes_a_row_and_comes_back(empty_database_app):
    """0028_lex_sarah_gaps moves IVO's one request for a supplement per case (lex_sarah_ivo.supplement_*)
    into lex_sarah_supplements, where a case may have several; its downgrade keeps the latest."""
    from datetime import date

    flask_migrate.upgrade(directory=str(MIGRATIONS), revision="0023_lex_sarah_duties")
    with db.engine.begin() as conn:
        unit_id = _insert_as_of_now(conn, "units", name="Boendestöd", path="/1/", depth=0)
        case_id = _insert_as_of_now(conn, "cases", reference="LS-2026-0001", kind="lex_sarah", status="judged",
                                    unit_id=unit_id, summary="x", description="x",
                                    received_at=datetime(2026, 3, 2, 9))
        _insert_as_of_now(conn, "lex_sarah_ivo", case_id=case_id, supplement_requested_on=date(2026, 4, 1),
                          supplement_due_on=date(2026, 4, 15), supplement_request_text="Rutinen.",
                          supplement_answered_on=date(2026, 4, 2))
    flask_migrate.upgrade(directory=str(MIGRATIONS), revision="0028_lex_sarah_gaps")
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT case_id, requested_on, due_on, request_text, answered_on "
                                 "FROM lex_sarah_supplements")).all()
    assert [(c, str(r), str(d), t, str(a)) for c, r, d, t, a in rows] == [
        (case_id, "2026-04-01", "2026-04-15", "Rutinen.", "2026-04-02")]
    flask_migrate.downgrade(directory=str(MIGRATIONS), revision="0023_lex_sarah_duties")
    with db.engine.connect() as conn:
        back = conn.execute(text("SELECT supplement_requested_on, supplement_due_on, supplement_request_text, "
                                 "supplement_answered_on FROM lex_sarah_ivo")).one()
        assert "lex_sarah_supplements" not in _tables()
    assert [str(v) for v in back] == ["2026-04-01", "2026-04-15", "Rutinen.", "2026-04-02"]


def _insert_as_of_now(conn, table: str, **values):
    """Insert a row into a table as the database has it at this revision: the columns it has now,
    each NOT NULL one without a value of the test's taking the model's default (so that a column
    added later, by another migration, does not break a test of an older revision)."""
    model = db.metadata.tables[table]
    row = dict(values)
    for column in sa.inspect(conn).get_columns(table):
        name = column["name"]
        if name in row or name == "id" or column["nullable"] or column.get("default") is not None:
            continue
        default = model.c[name].default if name in model.c else None
        assert default is not None, (table, name)
        row[name] = default.arg if default.is_scalar else default.arg({})
    names = {column["name"] for column in sa.inspect(conn).get_columns(table)}
    statement = sa.table(table, *(sa.column(n) for n in {*row, "id"} & names)).insert().values(row)
    if "id" in names:
        return conn.execute(statement.returning(sa.column("id"))).scalar()
    conn.execute(statement)
    return None
