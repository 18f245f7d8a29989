"""Where the bytes of attachments live: behind one small interface, two backends.

- "folder" (the default): files in ATTACHMENT_DIR, named by the attachment's stored_name.
  Right for the embedded set-up, one server with its own disk.
- "database": chunks of about 256 kB in the table attachment_blobs, written in the same
  transaction as the attachment's row. Right for several application servers in front of one
  PostgreSQL: every server sees every file, and one database backup holds everything.

ATTACHMENT_STORAGE chooses; `flask attachments migrate --to database|folder` moves the files
that exist, `flask attachments clean` removes stored files that no attachment row refers to.
Callers only ever pass stored_name, which the server generated (hex), never a person's file name.
"""

import hashlib
import io
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import DateTime, Integer, LargeBinary, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

CHUNK_SIZE = 256 * 1024
BACKENDS = ("folder", "database")
# An upload in flight (files written, row not yet committed) is never older than this.
ORPHAN_MIN_AGE = timedelta(hours=1)
# The names store() generates; anything else in the folder is not ours to clean.
_STORED_NAME = re.compile(r"[0-9a-f]{40}")


class AttachmentBlob(db.Model):
    """One chunk of an attachment's bytes (database storage). Keyed by stored_name rather than a
    foreign key to attachments, so that the chunks can be written before the row has an id and
    so that chunks without a row (an orphan) can be found and cleaned like orphaned files."""

    __tablename__ = "attachment_blobs"

    stored_name: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FolderStorage:
    name = "folder"

    def __init__(self, folder: str):
        self.folder = folder

    def _path(self, stored_name: str) -> str:
        return os.path.join(self.folder, stored_name)

    def put(self, stored_name: str, data: bytes) -> None:
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        # "x": never overwrite; 0600: only the application's user reads case files.
        fd = os.open(self._path(stored_name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)

    def discard(self, stored_names: Iterable[str]) -> list[str]:
        """Delete the files of a transaction that did not commit; returns the ones that could not
        be deleted (the caller logs them; it is already on its way out with another error)."""
        failed = []
        for stored_name in stored_names:
            try:
                os.remove(self._path(stored_name))
            except FileNotFoundError:
                pass
            except OSError:
                failed.append(self._path(stored_name))
        return failed

    def exists(self, stored_name: str) -> bool:
        return os.path.isfile(self._path(stored_name))

    def open(self, stored_name: str):
        return open(self._path(stored_name), "rb")  # send_file closes it

    def read(self, stored_name: str) -> bytes:
        with self.open(stored_name) as handle:
            return handle.read()

    def delete(self, stored_name: str) -> None:
        self.discard([stored_name])

    def stored(self) -> Iterator[tuple[str, datetime]]:
        """Every stored name with the time it was written (naive UTC)."""
        if not os.path.isdir(self.folder):
            return
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.is_file():
                    yield entry.name, datetime.fromtimestamp(entry.stat().st_mtime, UTC).replace(tzinfo=None)


class DatabaseStorage:
    name = "database"

    def put(self, stored_name: str, data: bytes) -> None:
        # In the caller's transaction: a filing that rolls back takes its chunks with it.
        now = utcnow()
        for seq, start in enumerate(range(0, max(len(data), 1), CHUNK_SIZE)):
            db.session.add(AttachmentBlob(stored_name=stored_name, seq=seq,
                                          data=data[start:start + CHUNK_SIZE], created_at=now))

    def discard(self, stored_names: Iterable[str]) -> list[str]:
        return []  # the rollback already removed them

    def exists(self, stored_name: str) -> bool:
        return db.session.scalar(select(AttachmentBlob.seq).where(AttachmentBlob.stored_name == stored_name)
                                 .limit(1)) is not None

    def open(self, stored_name: str):
        return _ChunkReader(db.engine, stored_name)

    def read(self, stored_name: str) -> bytes:
        return b"".join(db.session.scalars(select(AttachmentBlob.data).where(
            AttachmentBlob.stored_name == stored_name).order_by(AttachmentBlob.seq)))

    def delete(self, stored_name: str) -> None:
        db.session.execute(delete(AttachmentBlob).where(AttachmentBlob.stored_name == stored_name))

    def stored(self) -> Iterator[tuple[str, datetime]]:
        yield from db.session.execute(select(AttachmentBlob.stored_name, func.min(AttachmentBlob.created_at))
                                      .group_by(AttachmentBlob.stored_name)).all()


class _ChunkReader(io.RawIOBase):
    """A file-like view of one attachment's chunks that reads one chunk at a time, so a download
    never holds the whole file in memory. It uses its own connection from the engine, because the
    response body is read after the request's app context (and its session) is gone."""

    def __init__(self, engine, stored_name: str):
        self._engine, self._stored_name = engine, stored_name
        self._seq, self._buffer, self._done = 0, b"", False

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer and not self._done:
            with self._engine.connect() as connection:
                chunk = connection.scalar(select(AttachmentBlob.data).where(
                    AttachmentBlob.stored_name == self._stored_name, AttachmentBlob.seq == self._seq))
            if chunk is None:
                self._done = True
            else:
                self._buffer, self._seq = bytes(chunk), self._seq + 1
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def backend(name: str | None = None):
    """The configured backend (ATTACHMENT_STORAGE), or the one named."""
    name = name or current_app.config["ATTACHMENT_STORAGE"]
    if name == "folder":
        return FolderStorage(current_app.config["ATTACHMENT_DIR"])
    if name == "database":
        return DatabaseStorage()
    raise ValueError(f"ATTACHMENT_STORAGE must be one of {', '.join(BACKENDS)}, not {name!r}")


def locate(stored_name: str):
    """The backend that holds the file: the configured one, else the other (a file not yet moved
    by `attachments migrate` is still served while the migration runs); None when neither has it."""
    configured = backend()
    if configured.exists(stored_name):
        return configured
    other = backend(next(name for name in BACKENDS if name != configured.name))
    return other if other.exists(stored_name) else None


@dataclass
class MigrationResult:
    moved: int = 0
    already: int = 0
    missing: list[str] = field(default_factory=list)  # stored names found in neither backend
    mismatched: list[str] = field(default_factory=list)  # content not matching the row's sha256


def migrate_files(to: str) -> MigrationResult:
    """Move every attachment's bytes into the backend `to`, one attachment per transaction, so an
    interrupted run can simply be started again. A file is removed from the old backend only after
    its copy is committed and its SHA-256 checked against the attachment row."""
    from app.cases.models import Attachment

    target = backend(to)
    source = backend(next(name for name in BACKENDS if name != to))
    result = MigrationResult()
    rows = db.session.execute(select(Attachment.id, Attachment.stored_name, Attachment.sha256)
                              .order_by(Attachment.id)).all()
    for _id, stored_name, sha256 in rows:
        in_target, in_source = target.exists(stored_name), source.exists(stored_name)
        if not in_source:
            if in_target:
                result.already += 1
            else:
                result.missing.append(stored_name)
            continue
        if not in_target:
            data = source.read(stored_name)
            if hashlib.sha256(data).hexdigest() != sha256:
                result.mismatched.append(stored_name)
                continue
            try:
                target.put(stored_name, data)
                db.session.commit()
            except BaseException:
                db.session.rollback()
                target.discard([stored_name])
                raise
        if hashlib.sha256(target.read(stored_name)).hexdigest() != sha256:
            result.mismatched.append(stored_name)
            continue
        source.delete(stored_name)
        db.session.commit()
        result.moved += 1
    return result


def clean_orphans(min_age: timedelta = ORPHAN_MIN_AGE) -> list[tuple[str, str]]:
    """Remove stored files (in either backend) that no attachment row refers to and that are older
    than `min_age`; younger ones may belong to an upload whose transaction has not committed yet.
    Returns (backend, stored_name) of what was removed."""
    from app.cases.models import Attachment

    cutoff = utcnow() - min_age
    known = set(db.session.scalars(select(Attachment.stored_name)))
    removed = []
    for name in BACKENDS:
        store = backend(name)
        orphans = [stored_name for stored_name, written_at in store.stored()
                   if _STORED_NAME.fullmatch(stored_name) and stored_name not in known and written_at < cutoff]
        for stored_name in orphans:
            store.delete(stored_name)
            removed.append((name, stored_name))
        db.session.commit()
    return removed
