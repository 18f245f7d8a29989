"""`flask backup PATH` and `flask restore PATH`: a populated database (cases of each kind, users,
audit rows, attachments stored in the database) backed up, restored into an empty database, and
compared table by table: the same number of rows and the same content hash.

SQLite: the online backup API into a file, restored into an empty file. PostgreSQL (when
TEST_DATABASE_URL points at one): pg_dump -Fc, restored with pg_restore into a new, empty database.
"""

import hashlib
import json
import os
import shutil
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, func, select

from app import create_app
from app.cases.models import Attachment, Case
from app.clock import frozen
from app.extensions import db
from app.intake.storage import AttachmentBlob
from tests.conftest import TEST_DATABASE_URL, make_config
from tests.intake.conftest import KINDS, PDF, post_report, valid_form
from tests.intake.test_storage import BIG_TEXT, NOW

ON_POSTGRESQL = (TEST_DATABASE_URL or "").startswith("postgres")


@pytest.fixture
def app_config(tmp_path):
    return {"ATTACHMENT_STORAGE": "database", "ATTACHMENT_DIR": str(tmp_path / "attachments")}


def _populate(login_as) -> None:
    anna = login_as("anna")
    with frozen(NOW):
        for kind in KINDS:
            for files in ([("protokoll.pdf", PDF)], [("anteckning.txt", BIG_TEXT), ("b.pdf", PDF)]):
                assert post_report(anna, kind, valid_form(kind), files).status_code == 302
    erik = login_as("erik")
    for attachment_id in db.session.scalars(select(Attachment.id)):
        assert erik.get(f"/bilagor/{attachment_id}").status_code == 200  # audit rows too
    assert db.session.scalar(select(func.count()).select_from(Case)) == 6
    assert db.session.scalar(select(func.count()).select_from(AttachmentBlob)) == 6 + 3 * 3


def _fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Per table: the number of rows and a SHA-256 of every row, in primary-key order."""
    engine = create_engine(url)
    result = {}
    try:
        with engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
                digest = hashlib.sha256()
                for row in rows:
                    values = [v.hex() if isinstance(v, bytes | memoryview) else v for v in
                              (bytes(x) if isinstance(x, memoryview) else x for x in row)]
                    digest.update(json.dumps(values, sort_keys=True, default=str).encode())
                result[table.name] = (len(rows), digest.hexdigest())
    finally:
        engine.dispose()
    return result


@contextmanager
def _empty_database(tmp_path):
    if ON_POSTGRESQL:
        from tests.test_migrations import _empty_postgresql_database
        with _empty_postgresql_database() as url:
            yield url
    else:
        yield "sqlite:///" + os.path.join(tmp_path, "restored.db")


@pytest.mark.skipif(ON_POSTGRESQL and shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_backup_and_restore_into_an_empty_database_keep_every_row(app, login_as, tmp_path):
    _populate(login_as)
    source_url = app.config["SQLALCHEMY_DATABASE_URI"]
    before = _fingerprint(source_url)
    assert before["cases"][0] == 6 and before["users"][0] >= 5 and before["audit_events"][0] > 0

    backup = str(tmp_path / "varna.backup")
    result = app.test_cli_runner().invoke(args=["backup", backup])
    assert result.exit_code == 0, result.output
    assert os.path.getsize(backup) > 0  # pg_dump -Fc compresses; the fingerprints below check the content
    assert "Note: attachments" not in result.output  # they are in the database, so in the backup
    refused = app.test_cli_runner().invoke(args=["backup", backup])
    assert refused.exit_code == 1 and "exists" in refused.output

    with _empty_database(tmp_path) as target_url:
        restored_app = create_app(make_config(str(tmp_path), SQLALCHEMY_DATABASE_URI=target_url,
                                              ATTACHMENT_STORAGE="database"))
        # The CLI runs in the app context that is current: the test's own app's, until this one is pushed.
        with restored_app.app_context():
            try:
                runner = restored_app.test_cli_runner()
                result = runner.invoke(args=["restore", backup])
                assert result.exit_code == 0, result.output
                assert _fingerprint(target_url) == before

                # The target is no longer empty: a second restore needs --force.
                again = runner.invoke(args=["restore", backup])
                assert again.exit_code == 1 and "not empty" in again.output
                forced = runner.invoke(args=["restore", "--force", backup])
                assert forced.exit_code == 0, forced.output
                assert _fingerprint(target_url) == before
            finally:
                db.session.remove()
                db.engine.dispose()


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite backup")
def test_the_sqlite_backup_is_consistent_while_another_connection_writes(app, login_as, tmp_path):
    # A write transaction left open in another connection is not in the copy, and does not block it.
    import sqlite3
    _populate(login_as)
    path = db.engine.url.database
    writer = sqlite3.connect(path)
    try:
        writer.execute("BEGIN")
        writer.execute("DELETE FROM attachment_blobs")
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.db")])
        assert result.exit_code == 0, result.output
    finally:
        writer.rollback()
        writer.close()
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("SELECT count(*) FROM attachment_blobs").fetchone()[0] == 6 + 3 * 3
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite messages")
def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    target = tmp_path / "empty.db"
    other = create_app(make_config(str(tmp_path), SQLALCHEMY_DATABASE_URI=f"sqlite:///{target}"))
    with other.app_context():
        result = other.test_cli_runner().invoke(args=["restore", str(not_a_backup)])
        db.engine.dispose()
    assert result.exit_code == 1 and "not an SQLite database" in result.output


def test_the_printed_postgresql_command_carries_no_password():
    from sqlalchemy.engine import make_url

    from app.backup import _libpq
    uri, env = _libpq(make_url("postgresql+psycopg://varna:s3cret@db.internal:5433/varna"))
    assert uri == "postgresql://varna@db.internal:5433/varna"
    assert env["PGPASSWORD"] == "s3cret"
