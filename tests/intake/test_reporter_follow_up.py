""""Mina rapporter", followed through: the reporter opens their own report, reads what they wrote
and attached, adds information afterwards (a journal entry; the handler told by e-mail, on a real
SMTP server on loopback), and after a hand-over reads where the report went instead of "Avslutad"."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.cases.handover import services as handover
from app.cases.models import Case, JournalEvent
from app.clock import frozen
from app.extensions import db
from tests.cases.helpers import error_for, reload, user
from tests.intake.conftest import PDF, post_report, valid_form

NOW = datetime(2026, 3, 2, 15, 0)
MORE = "Jag glömde skriva att dörren till förrådet också stod olåst hela kvällen."
BASE = "https://varna.example.se"


@pytest.fixture
def app_config(tmp_path, smtp_server):
    return {"ATTACHMENT_DIR": str(tmp_path / "attachments"), "BASE_URL": BASE, **smtp_server.mail_config()}


def _file(client, kind="deviation", **changes) -> Case:
    with frozen(NOW):
        response = post_report(client, kind, valid_form(kind, **changes), files=(("protokoll.pdf", PDF),))
    assert response.status_code == 302
    return db.session.scalar(select(Case).order_by(Case.id.desc()))


def _assign(case: Case, username: str) -> Case:
    case = reload(case)
    case.assigned_to_id = user(username).id
    db.session.commit()
    return reload(case)


def test_my_reports_opens_the_report_with_what_i_wrote_and_attached(login_as):
    anna = login_as("anna")
    case = _file(anna)
    listing = anna.get("/mina-rapporter").get_data(as_text=True)
    assert f'href="/arenden/{case.reference}"' in listing
    page = anna.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Brukaren fick inte sitt inplanerade besök på morgonen och var utan mat till lunch." in page
    assert "2026-03-02" in page  # when it happened
    attachment_id = db.session.scalar(select(Case).where(Case.id == case.id)).attachments[0].id
    assert f'href="/bilagor/{attachment_id}"' in page and "protokoll.pdf" in page
    assert anna.get(f"/bilagor/{attachment_id}").status_code == 200


def test_the_reporter_adds_information_kept_in_the_journal_and_the_handler_is_told(login_as, smtp_server):
    anna = login_as("anna")
    case = _assign(_file(anna), "erik")
    smtp_server.messages.clear()
    page = anna.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert f'action="/arenden/{case.reference}/komplettera"' in page
    response = anna.post(f"/arenden/{case.reference}/komplettera", data={"text": MORE})
    assert response.status_code == 302 and response.headers["Location"] == f"/arenden/{case.reference}"

    entry = db.session.scalar(select(JournalEvent).where(JournalEvent.case_id == case.id,
                                                         JournalEvent.event == "reporter_added_information"))
    assert entry.text == MORE and entry.actor_id == user("anna").id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.reporter_added_information",
                                                      AuditEvent.object_id == str(case.id)))
    # The reporter reads what they added on their page; the handler in the journal, with its own label.
    assert MORE in anna.get(f"/arenden/{case.reference}").get_data(as_text=True)
    handler_page = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Rapportören lade till information" in handler_page and MORE in handler_page

    [mail] = smtp_server.to("erik@varna.example")
    body = mail.get_body(("plain",)).get_content()
    assert case.reference in mail["Subject"] and f"{BASE}/arenden/{case.reference}" in body
    assert MORE not in body and "förrådet" not in body  # e-mail carries references, never content
    assert smtp_server.to("anna@varna.example") == []


def test_without_a_handler_those_told_of_new_cases_are_told(login_as, smtp_server):
    anna = login_as("anna")
    case = _file(anna)
    smtp_server.messages.clear()
    assert anna.post(f"/arenden/{case.reference}/komplettera", data={"text": MORE}).status_code == 302
    assert len(smtp_server.to("erik@varna.example")) == 1  # the investigator of Vuxna, over Boendestöd


@pytest.mark.parametrize("text, message", [("", "Skriv det du vill lägga till."),
                                           ("x" * 5001, "Skriv högst 5 000 tecken.")])
def test_bad_information_is_refused_next_to_the_field_with_the_text_kept(login_as, text, message):
    anna = login_as("anna")
    case = _file(anna)
    before = db.session.scalar(select(db.func.count()).select_from(JournalEvent))
    response = anna.post(f"/arenden/{case.reference}/komplettera", data={"text": text})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in error_for(html, "text")
    if text:
        assert text in html
    assert db.session.scalar(select(db.func.count()).select_from(JournalEvent)) == before


def test_only_the_reporter_adds_information(login_as):
    case = _file(login_as("anna"))
    for username in ("erik", "sara", "admin"):
        response = login_as(username).post(f"/arenden/{case.reference}/komplettera", data={"text": MORE})
        assert response.status_code == 403, username
    assert login_as("erik").post("/arenden/AV-2026-9999/komplettera", data={"text": MORE}).status_code == 404
    assert not db.session.scalar(select(JournalEvent).where(JournalEvent.event == "reporter_added_information"))


def test_a_closed_report_takes_no_more_information(login_as):
    anna = login_as("anna")
    case = reload(_file(anna))
    case.status = "closed"
    db.session.commit()
    assert 'id="add-information"' not in anna.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert anna.post(f"/arenden/{case.reference}/komplettera", data={"text": MORE}).status_code == 409


def test_after_a_hand_over_the_reporter_reads_where_the_report_went_not_closed(login_as):
    anna = login_as("anna")
    case = reload(_file(anna))
    case.status, case.triage_decision = "investigating", "investigate"
    db.session.commit()
    with frozen(datetime(2026, 3, 3, 9, 0)):
        report = handover.escalate_to_lex_sarah(user("erik"), case.reference, lex_sarah_type="risk",
                                                reason="Brukaren lämnades utan tillsyn.",
                                                expected_version=reload(case).version)
    sentence = f"Din rapport hanteras nu som lex Sarah-rapport {report.reference}"
    page = anna.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert sentence in page
    assert not re.search(r"<dd>\s*Avslutad\s*</dd>", page)
    assert f'href="/arenden/{report.reference}"' in page
    assert sentence in anna.get("/mina-rapporter").get_data(as_text=True)


def test_a_lex_sarah_report_handed_over_as_a_deviation_says_so(login_as):
    anna = login_as("anna")
    case = reload(_file(anna, kind="lex_sarah"))
    case.status = "closed"
    case.handover = "to_deviation"
    deviation = Case(kind="deviation", status="received", unit_id=case.unit_id, reporter_id=case.reporter_id,
                     reference="AV-2026-0042", summary=case.summary, description=case.description,
                     origin_case_id=case.id)
    db.session.add(deviation)
    db.session.commit()
    page = anna.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Din rapport hanteras nu som avvikelse AV-2026-0042" in page
