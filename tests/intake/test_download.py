"""Attachments are served only to people who may see the case, always as a download."""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.cases.models import Attachment
from app.clock import frozen
from app.extensions import db
from tests.intake.conftest import PDF, TEXT, post_report, unit_id, valid_form

NOW = datetime(2026, 3, 2, 15, 0)


def _file_with_attachment(client, kind="deviation", files=(("protokoll.pdf", PDF),), **changes) -> int:
    with frozen(NOW):
        assert post_report(client, kind, valid_form(kind, **changes), files).status_code == 302
    return db.session.scalar(select(Attachment.id).order_by(Attachment.id.desc()))


@pytest.mark.parametrize("who, status", [
    ("anna", 200),   # the reporter
    ("erik", 200),   # investigator of Vuxna, above Boendestöd
    ("sara", 200),   # officer
    ("admin", 200),  # reads every case (read-only)
    ("ulla", 403),   # investigator of Unga: not her case
])
def test_who_may_download(login_as, who, status):
    attachment_id = _file_with_attachment(login_as("anna"))
    response = login_as(who).get(f"/bilagor/{attachment_id}")
    assert response.status_code == status
    downloads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attachment.downloaded")).all()
    assert len(downloads) == (1 if status == 200 else 0)
    if status == 200:
        assert downloads[0].user_name and downloads[0].detail["attachment_id"] == attachment_id


def test_the_download_is_an_attachment_that_is_never_sniffed(login_as):
    attachment_id = _file_with_attachment(login_as("anna"), files=[("anteckning.txt", TEXT)])
    response = login_as("erik").get(f"/bilagor/{attachment_id}")
    assert response.data == TEXT
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "anteckning.txt" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "no-store" in response.headers["Cache-Control"]


def test_a_non_ascii_name_is_offered_safely(login_as):
    attachment_id = _file_with_attachment(login_as("anna"), files=[("Åtgärdsplan för vecka 9.pdf", PDF)])
    disposition = login_as("anna").get(f"/bilagor/{attachment_id}").headers["Content-Disposition"]
    assert "filename*=UTF-8''%C3%85tg%C3%A4rdsplan" in disposition


def test_the_nearest_manager_cannot_download_from_a_bypassed_lex_sarah_report(login_as):
    attachment_id = _file_with_attachment(login_as("anna"), "lex_sarah", bypass_manager="y")
    assert login_as("erik").get(f"/bilagor/{attachment_id}").status_code == 403
    assert login_as("sara").get(f"/bilagor/{attachment_id}").status_code == 200


def test_another_staff_member_cannot_download(login_as, app):
    attachment_id = _file_with_attachment(login_as("erik"), unit_id=str(unit_id("HVB Solrosen")))
    assert login_as("anna").get(f"/bilagor/{attachment_id}").status_code == 403


def test_unknown_attachments_are_not_found_and_need_a_login(login_as, demo):
    assert login_as("sara").get("/bilagor/999999").status_code == 404
    attachment_id = _file_with_attachment(login_as("anna"))
    response = demo.test_client().get(f"/bilagor/{attachment_id}")
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]


def test_an_admin_cannot_download_from_a_bypassed_lex_sarah_report(login_as):
    # A report that bypassed the nearest manager is for the officers' eyes; admins read every other case.
    attachment_id = _file_with_attachment(login_as("anna"), "lex_sarah", bypass_manager="y")
    assert login_as("admin").get(f"/bilagor/{attachment_id}").status_code == 403
    assert login_as("anna").get(f"/bilagor/{attachment_id}").status_code == 200  # the reporter, as before
