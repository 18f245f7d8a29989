"""Engine settings per database: SQLite writers wait for each other instead of failing."""

import os
import threading

from sqlalchemy import text

from app import create_app
from app.config import SQLITE_BUSY_TIMEOUT_SECONDS, engine_options
from app.extensions import db
from tests.conftest import make_config


def _sqlite_app(tmp_path):
    url = "sqlite:///" + os.path.join(tmp_path, "engine.db")
    return create_app(make_config(str(tmp_path), SQLALCHEMY_DATABASE_URI=url))


def test_sqlite_connections_wait_for_a_busy_database(tmp_path):
    app = _sqlite_app(tmp_path)
    with app.app_context():
        try:
            busy_ms = db.session.execute(text("PRAGMA busy_timeout")).scalar()
            assert busy_ms == SQLITE_BUSY_TIMEOUT_SECONDS * 1000
        finally:
            db.session.remove()
            db.engine.dispose()


def test_a_second_sqlite_writer_waits_until_the_first_commits(tmp_path):
    app = _sqlite_app(tmp_path)
    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE counter (n INTEGER)"))
        holding, errors = threading.Event(), []

        def second_writer():
            holding.wait()
            try:
                with engine.begin() as conn:
                    conn.execute(text("INSERT INTO counter VALUES (2)"))
            except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
                errors.append(error)

        writer = threading.Thread(target=second_writer)
        writer.start()
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # holds the write lock
            conn.exec_driver_sql("INSERT INTO counter VALUES (1)")
            holding.set()
            writer.join(timeout=0.5)  # the other writer is blocked on the lock meanwhile
            conn.exec_driver_sql("COMMIT")
        writer.join()
        with engine.connect() as conn:
            assert sorted(conn.scalars(text("SELECT n FROM counter"))) == [1, 2]
        assert errors == []
        engine.dispose()


def test_only_sqlite_gets_the_timeout_and_other_options_are_kept():
    sqlite = engine_options("sqlite:////tmp/x.db", {"pool_pre_ping": True, "connect_args": {"uri": True}})
    assert sqlite == {"pool_pre_ping": True, "connect_args": {"uri": True, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS}}
    assert engine_options("sqlite://", {"connect_args": {"timeout": 5}})["connect_args"] == {"timeout": 5}
    postgres = engine_options("postgresql+psycopg://varna@db/varna", {"pool_pre_ping": True})
    assert postgres == {"pool_pre_ping": True}


def test_a_new_sqlite_database_and_its_log_files_are_readable_by_the_owner_only(tmp_path):
    # The database holds every case; the umask would make it readable by every local account.
    app = _sqlite_app(tmp_path)
    with app.app_context():
        try:
            db.session.execute(text("CREATE TABLE probe (id INTEGER)"))
            db.session.commit()
            files = [name for name in os.listdir(tmp_path) if name.startswith("engine.db")]
            assert "engine.db" in files and "engine.db-wal" in files
            for name in files:
                assert os.stat(os.path.join(tmp_path, name)).st_mode & 0o777 == 0o600, name
        finally:
            db.session.remove()
            db.engine.dispose()


def test_the_instance_folder_is_created_for_the_owner_only(tmp_path, monkeypatch):
    import flask
    instance = tmp_path / "instance"
    monkeypatch.setattr(flask.Flask, "auto_find_instance_path", lambda self: str(instance))
    create_app(make_config(str(tmp_path), SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "x.db")))
    assert instance.stat().st_mode & 0o777 == 0o700
