"""Attachments filed with a report: checked from their content, stored outside static/.

The name a browser sends is only a claim; the type is read from the bytes
(magic numbers, the parts inside an Office file, valid UTF-8 for text) and
the name's extension must agree with it. A script renamed to .pdf is refused.

Files are checked in full before anything is written, written under
server-generated names only once the whole report is valid, and deleted
again if the filing does not commit (`store` + `discard`). Where the bytes
live (a folder or the database) is app/intake/storage.py's business.
"""

import hashlib
import io
import logging
import os
import secrets
import zipfile
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.cases.models import Attachment, Case
from app.commands import Refused
from app.extensions import db
from app.intake import storage

log = logging.getLogger(__name__)

PDF, JPEG, PNG, DOCX, XLSX, TEXT = "pdf", "jpeg", "png", "docx", "xlsx", "text"

CONTENT_TYPES = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    TEXT: "text/plain; charset=utf-8",
}
EXTENSIONS = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    TEXT: (".txt",),
}
ACCEPT = ",".join(ext for exts in EXTENSIONS.values() for ext in exts)
ALLOWED_DESCRIPTION = _l("PDF, JPEG, PNG, Word (.docx), Excel (.xlsx) eller textfil (.txt)")

# The part of [Content_Types].xml that says what an Office Open XML package is.
_OFFICE_MAIN = {
    DOCX: ("word/document.xml", b"wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}
_CONTENT_TYPES_READ_LIMIT = 256 * 1024  # [Content_Types].xml is a few kB; never inflate a bomb


@dataclass(frozen=True)
class CheckedFile:
    """A file whose content has been checked; only these are ever written to disk."""

    original_name: str
    kind: str
    data: bytes
    sha256: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def size(self) -> int:
        return len(self.data)


class AttachmentRefused(Refused):
    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def detect(data: bytes) -> str | None:
    """The type the content really is, or None when it is none of the allowed ones."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    if data and b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return TEXT
    return None


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as handle:
                content_types = handle.read(_CONTENT_TYPES_READ_LIMIT)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    for kind, (main_part, marker) in _OFFICE_MAIN.items():
        if main_part in names and marker in content_types:
            return kind
    return None


def clean_name(filename: str) -> str:
    """The name to show and to offer on download: no path, no control characters, at most 255."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[-255:] or "bilaga"


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def inspect(uploads) -> list[CheckedFile]:
    """Check every upload (objects with .filename and .stream); AttachmentRefused lists every problem.

    Empty file inputs (no name, no bytes) are skipped: a browser sends one when
    nothing was chosen.
    """
    config = current_app.config
    max_bytes, max_files = int(config["ATTACHMENT_MAX_BYTES"]), int(config["ATTACHMENT_MAX_FILES"])
    problems: list[str] = []
    checked: list[CheckedFile] = []
    chosen = [u for u in uploads or [] if getattr(u, "filename", None)]
    if len(chosen) > max_files:
        problems.append(_("Du kan bifoga högst %(n)d filer.", n=max_files))
    for upload in chosen:
        name = clean_name(upload.filename)
        stream = upload.stream
        if hasattr(stream, "seek"):
            stream.seek(0)
        # Read one byte past the limit: enough to know it is too big without reading it all.
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            problems.append(_("%(name)s är större än %(limit)s.", name=name, limit=size_text(max_bytes)))
            continue
        if not data:
            problems.append(_("%(name)s är tom.", name=name))
            continue
        kind = detect(data)
        if kind is None or _extension(name) not in EXTENSIONS[kind]:
            problems.append(_("%(name)s går inte att bifoga: filens innehåll är inte %(allowed)s, "
                              "eller så stämmer inte filnamnets ändelse med innehållet.",
                              name=name, allowed=ALLOWED_DESCRIPTION))
            continue
        checked.append(CheckedFile(name, kind, data, hashlib.sha256(data).hexdigest()))
    if problems:
        raise AttachmentRefused(problems)
    return checked


def limits() -> dict:
    """What the form tells people before they choose files."""
    config = current_app.config
    return {"max_files": int(config["ATTACHMENT_MAX_FILES"]),
            "max_size": size_text(int(config["ATTACHMENT_MAX_BYTES"])), "allowed": ALLOWED_DESCRIPTION}


def size_text(size: int) -> str:
    """10 MB, 2,5 MB, 512 kB: how a limit reads in Swedish."""
    for unit, factor in (("MB", 1024 * 1024), ("kB", 1024)):
        if size >= factor:
            value = size / factor
            text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
            return f"{text}\u00a0{unit}"
    return f"{size}\u00a0byte"


def store(case: Case, files: list[CheckedFile], uploaded_by) -> list[str]:
    """Store the files (in the configured backend, app/intake/storage.py) and add their rows to the
    current transaction. Returns the stored names, which the caller passes to `discard` if the
    transaction does not commit."""
    backend = storage.backend()
    written: list[str] = []
    try:
        for checked in files:
            stored_name = secrets.token_hex(20)
            written.append(stored_name)
            backend.put(stored_name, checked.data)
            db.session.add(Attachment(case=case, original_name=checked.original_name, stored_name=stored_name,
                                      content_type=checked.content_type, size=checked.size,
                                      sha256=checked.sha256, uploaded_by_id=getattr(uploaded_by, "id", None)))
    except BaseException:
        discard(written)
        raise
    return written


def discard(stored_names: list[str]) -> None:
    """Delete files of a filing that did not commit. Never raises: it runs while another error
    is on its way up, and that error is the one the person and the log must see. (What is left
    behind, `flask attachments clean` removes later.)"""
    try:
        left = storage.backend().discard(stored_names)
    except Exception:  # any failure: see above
        log.exception("Could not delete the files of a failed filing; `flask attachments clean` will")
        return
    for path in left:
        log.error("Could not delete %s after a failed filing; `flask attachments clean` will", path)


def open_for_download(attachment: Attachment):
    """A binary file object with the attachment's bytes, or None when no backend has them."""
    backend = storage.locate(attachment.stored_name)
    return backend.open(attachment.stored_name) if backend is not None else None
