"""Attachments behind a storage interface: a folder (the default) or the database (several servers).

Upload and download through HTTP with each backend, `flask attachments migrate` both ways keeps
every byte, and `flask attachments clean` removes an orphan but not a fresh upload in flight.
"""

import hashlib
import os
import secrets
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.cases.models import Attachment
from app.clock import frozen, utcnow
from app.extensions import db
from app.intake.storage import CHUNK_SIZE, AttachmentBlob
from tests.intake.conftest import PDF, post_report, stored_files, valid_form

NOW = datetime(2026, 3, 2, 15, 0)
# Valid UTF-8 text of about 600 kB: three chunks in the database.
BIG_TEXT = ("Rad %05d: nattpasset noterade att dörren var olåst.\n" * 12000 % tuple(range(12000))).encode()


@pytest.fixture(params=["folder", "database"])
def backend(request):
    return request.param


@pytest.fixture
def app_config(tmp_path, backend):
    return {"ATTACHMENT_DIR": str(tmp_path / "attachments"), "ATTACHMENT_STORAGE": backend}


def _blob_names() -> list[str]:
    return sorted(db.session.scalars(select(AttachmentBlob.stored_name).distinct()))


def _file(client, files) -> list[Attachment]:
    with frozen(NOW):
        response = post_report(client, "deviation", valid_form("deviation"), files)
    assert response.status_code == 302, response.get_data(as_text=True)
    return list(db.session.scalars(select(Attachment).order_by(Attachment.id)))


def test_upload_and_download_through_http(app, login_as, backend):
    anna = login_as("anna")
    attachments = _file(anna, [("protokoll.pdf", PDF), ("anteckning.txt", BIG_TEXT)])
    names = sorted(a.stored_name for a in attachments)
    if backend == "database":
        assert stored_files(app) == []
        assert _blob_names() == names
        chunks = db.session.scalar(select(func.count()).select_from(AttachmentBlob)
                                   .where(AttachmentBlob.stored_name == attachments[1].stored_name))
        assert chunks == -(-len(BIG_TEXT) // CHUNK_SIZE) == 3
    else:
        assert stored_files(app) == names
        assert _blob_names() == []
    for attachment, content in zip(attachments, (PDF, BIG_TEXT), strict=True):
        for who in ("anna", "erik"):
            response = login_as(who).get(f"/bilagor/{attachment.id}")
            assert response.status_code == 200
            assert response.data == content
            assert int(response.headers["Content-Length"]) == len(content)
            assert response.headers["Content-Disposition"].startswith("attachment;")


def test_a_file_missing_from_storage_is_404(app, login_as, backend):
    attachment = _file(login_as("anna"), [("protokoll.pdf", PDF)])[0]
    from app.intake.storage import backend as storage_backend
    storage_backend().delete(attachment.stored_name)
    db.session.commit()
    assert login_as("erik").get(f"/bilagor/{attachment.id}").status_code == 404


def test_a_failed_filing_leaves_nothing_in_the_database_store(app, login_as, backend):
    # Folder storage has its own test (test_filing); the chunks go with the rollback.
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    def database_refuses(session):
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    anna = login_as("anna")
    event.listen(Session, "before_commit", database_refuses)
    try:
        with frozen(NOW), pytest.raises(OperationalError):
            post_report(anna, "deviation", valid_form("deviation"), [("a.pdf", PDF)])
    finally:
        event.remove(Session, "before_commit", database_refuses)
    db.session.rollback()
    assert stored_files(app) == [] and _blob_names() == []


def _hashes(client, attachments) -> dict[int, str]:
    result = {}
    for attachment in attachments:
        response = client.get(f"/bilagor/{attachment.id}")
        assert response.status_code == 200
        result[attachment.id] = hashlib.sha256(response.data).hexdigest()
    return result


@pytest.mark.parametrize("backend", ["folder"])
def test_migrate_to_the_database_and_back_keeps_every_byte(app, login_as, backend):
    anna = login_as("anna")
    attachments = _file(anna, [("protokoll.pdf", PDF), ("anteckning.txt", BIG_TEXT)])
    expected = {a.id: a.sha256 for a in attachments}
    assert _hashes(anna, attachments) == expected
    names = sorted(a.stored_name for a in attachments)
    runner = app.test_cli_runner()

    app.config["ATTACHMENT_STORAGE"] = "database"
    result = runner.invoke(args=["attachments", "migrate", "--to", "database"])
    assert result.exit_code == 0, result.output
    assert "Moved 2," in result.output
    assert stored_files(app) == [] and _blob_names() == names
    assert _hashes(anna, attachments) == expected
    # Running it again moves nothing and breaks nothing.
    again = runner.invoke(args=["attachments", "migrate", "--to", "database"])
    assert again.exit_code == 0 and "Moved 0, already there 2" in again.output

    app.config["ATTACHMENT_STORAGE"] = "folder"
    result = runner.invoke(args=["attachments", "migrate", "--to", "folder"])
    assert result.exit_code == 0, result.output
    assert stored_files(app) == names and _blob_names() == []
    for attachment in attachments:
        with open(os.path.join(app.config["ATTACHMENT_DIR"], attachment.stored_name), "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == attachment.sha256
    assert _hashes(anna, attachments) == expected


@pytest.mark.parametrize("backend", ["folder"])
def test_a_file_not_yet_migrated_is_still_served(app, login_as, backend):
    attachment = _file(login_as("anna"), [("protokoll.pdf", PDF)])[0]
    app.config["ATTACHMENT_STORAGE"] = "database"  # switched, `attachments migrate` not yet run
    assert login_as("erik").get(f"/bilagor/{attachment.id}").data == PDF


def test_clean_removes_old_orphans_and_keeps_fresh_ones(app, login_as, backend):
    kept = _file(login_as("anna"), [("protokoll.pdf", PDF)])[0]
    old_file, fresh_file, old_blob, fresh_blob = (secrets.token_hex(20) for _ in range(4))
    folder = app.config["ATTACHMENT_DIR"]
    os.makedirs(folder, exist_ok=True)
    two_hours_ago = (datetime.now() - timedelta(hours=2)).timestamp()
    for name in (old_file, fresh_file):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(b"half an upload")
    os.utime(os.path.join(folder, old_file), (two_hours_ago, two_hours_ago))
    not_ours = os.path.join(folder, "README")  # not a stored name: never touched
    with open(not_ours, "w") as handle:
        handle.write("x")
    os.utime(not_ours, (two_hours_ago, two_hours_ago))
    db.session.add_all([
        AttachmentBlob(stored_name=old_blob, seq=0, data=b"half", created_at=utcnow() - timedelta(hours=2)),
        AttachmentBlob(stored_name=old_blob, seq=1, data=b"more", created_at=utcnow() - timedelta(hours=2)),
        AttachmentBlob(stored_name=fresh_blob, seq=0, data=b"in flight", created_at=utcnow() - timedelta(minutes=5)),
    ])
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["attachments", "clean"])
    assert result.exit_code == 0, result.output
    assert "Removed 2 orphaned files." in result.output

    on_disk = set(os.listdir(folder))
    assert old_file not in on_disk and {fresh_file, "README"} <= on_disk
    assert old_blob not in _blob_names() and fresh_blob in _blob_names()
    # The real attachment is untouched, wherever it is stored.
    assert login_as("erik").get(f"/bilagor/{kept.id}").data == PDF
