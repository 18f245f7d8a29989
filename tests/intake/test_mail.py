"""E-mail after filing, checked against a real SMTP server on loopback (aiosmtpd).

Who is told: the investigators of the unit and the units above it; for lex
Sarah also the officers; only the officers when the reporter asked to bypass
the nearest manager. Mails carry reference, kind and link, never the
description or anything about the client. A mail server that is down never
loses the case; `flask mail retry` delivers later.
"""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.cases.models import Case
from app.clock import frozen
from app.extensions import db
from app.mailer import OutgoingMail
from tests.conftest import SmtpServer, free_port
from tests.intake.conftest import post_report, unit_id, valid_form

NOW = datetime(2026, 3, 2, 15, 0)
SECRET_DESCRIPTION = "Hemlig beskrivning: brukaren Zlatan Zäta föll i duschen och slog huvudet."
CLIENT = {"client_name": "Zlatan Zäta", "client_pin": "19121212-1212", "consequences": "Hemlig följd",
          "immediate_measures": "Hemlig åtgärd"}
SECRETS = ("Zlatan", "Zäta", "121212", "Hemlig", "duschen")


@pytest.fixture
def app_config(tmp_path, smtp_server):
    return {"ATTACHMENT_DIR": str(tmp_path / "attachments"), "BASE_URL": "https://varna.example.se",
            **smtp_server.mail_config()}


def _file(login_as, kind, who="anna", **changes):
    data = valid_form(kind, description=SECRET_DESCRIPTION, **CLIENT, **changes)
    with frozen(NOW):
        response = post_report(login_as(who), kind, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Case).order_by(Case.id.desc()))


def _handler_notices(smtp_server):
    return [m for m in smtp_server.messages if not m["Subject"].startswith("Kvitto")]


def _recipients(messages) -> set[str]:
    return {address for m in messages for address in m.envelope_recipients}


@pytest.mark.parametrize("kind, unit, expected", [
    ("deviation", "Boendestöd", {"erik@varna.example"}),
    ("deviation", "HVB Solrosen", {"ulla@varna.example"}),
    ("deviation", "Vuxna", {"erik@varna.example"}),
    ("complaint", "Boendestöd", {"erik@varna.example"}),
    ("lex_sarah", "Boendestöd", {"erik@varna.example", "sara@varna.example"}),
    ("lex_sarah", "HVB Solrosen", {"ulla@varna.example", "sara@varna.example"}),
])
def test_handlers_of_the_unit_and_above_are_told(login_as, smtp_server, kind, unit, expected):
    case = _file(login_as, kind, unit_id=str(unit_id(unit)))
    notices = _handler_notices(smtp_server)
    assert _recipients(notices) == expected
    [notice] = notices
    assert case.reference in notice["Subject"]
    body = notice.get_body(("plain",)).get_content()
    assert case.reference in body
    assert f"https://varna.example.se/arenden/{case.reference}" in body


def test_a_unit_nobody_investigates_tells_the_officers(login_as, smtp_server):
    # Nobody in the demo investigates Stab; the report must still reach someone.
    case = _file(login_as, "deviation", unit_id=str(unit_id("Administration")))
    assert _recipients(_handler_notices(smtp_server)) == {"sara@varna.example"}
    assert case.unit.name == "Administration"


@pytest.mark.parametrize("kind, subject, opening", [
    ("deviation", "Ny avvikelse: AV-2026-0001", "En ny avvikelse har kommit in"),
    ("lex_sarah", "Ny lex Sarah-rapport: LS-2026-0001", "En ny lex Sarah-rapport har kommit in"),
    ("complaint", "Nytt klagomål: KL-2026-0001", "Ett nytt klagomål har kommit in"),
])
def test_the_notice_reads_as_proper_swedish(login_as, smtp_server, kind, subject, opening):
    _file(login_as, kind)
    [notice] = _handler_notices(smtp_server)
    assert notice["Subject"] == subject
    assert notice.get_body(("plain",)).get_content().startswith(opening)


def test_the_reporter_gets_a_receipt(login_as, smtp_server):
    case = _file(login_as, "deviation")
    [receipt] = smtp_server.to("anna@varna.example")
    assert receipt["Subject"] == f"Kvitto: {case.reference}"
    assert "https://varna.example.se/mina-rapporter" in receipt.get_body(("plain",)).get_content()


def test_a_lex_sarah_report_that_bypasses_the_nearest_manager_goes_to_the_officers_only(login_as, smtp_server):
    case = _file(login_as, "lex_sarah", bypass_manager="y")
    assert case.bypass_manager
    assert _recipients(_handler_notices(smtp_server)) == {"sara@varna.example"}
    assert smtp_server.to("erik@varna.example") == []
    # ... and the nearest manager cannot open it either.
    assert login_as("erik").get(f"/rapportera/kvitto/{case.reference}").status_code == 403


def test_the_bypass_box_means_nothing_on_a_deviation(login_as, smtp_server):
    case = _file(login_as, "deviation", bypass_manager="y")
    assert not case.bypass_manager
    assert _recipients(_handler_notices(smtp_server)) == {"erik@varna.example"}


@pytest.mark.parametrize("kind", ["deviation", "lex_sarah", "complaint"])
def test_no_description_or_client_data_in_any_mail(login_as, smtp_server, kind):
    _file(login_as, kind)
    assert len(smtp_server.messages) == 2
    for message in smtp_server.messages:
        text = message["Subject"] + "\n" + message.get_body(("plain",)).get_content()
        for secret in (*SECRETS, "Karin", "070-123"):
            assert secret not in text


def test_nothing_is_sent_for_a_refused_filing(login_as, smtp_server):
    with frozen(NOW):
        response = post_report(login_as("anna"), "deviation", valid_form("deviation", description="kort"))
    assert response.status_code == 422
    assert smtp_server.messages == []


class TestWhenTheMailServerIsDown:
    @pytest.fixture
    def port(self):
        return free_port()

    @pytest.fixture
    def app_config(self, tmp_path, port):
        # Nothing listens on this port until the test starts a server there.
        return {"ATTACHMENT_DIR": str(tmp_path / "attachments"),
                **SmtpServer(port).mail_config()}

    def test_the_case_is_kept_and_mail_retry_delivers_later(self, app, login_as, port, caplog):
        anna = login_as("anna")
        with frozen(NOW):
            response = post_report(anna, "lex_sarah", valid_form("lex_sarah"))
        assert response.status_code == 302
        receipt = anna.get(response.headers["Location"])
        assert receipt.status_code == 200 and "LS-2026-0001" in receipt.get_data(as_text=True)
        case = db.session.scalar(select(Case))
        assert case.reference == "LS-2026-0001"
        queued = db.session.scalars(select(OutgoingMail)).all()
        assert len(queued) == 2
        assert all(m.sent_at is None and m.attempts == 1 and m.last_error for m in queued)
        assert "failed" in caplog.text

        server = SmtpServer(port).start()
        try:
            result = app.test_cli_runner().invoke(args=["mail", "retry"])
            assert result.exit_code == 0, result.output
            assert "Sent 2, failed 0." in result.output
        finally:
            server.stop()
        assert _recipients(server.messages) == {"anna@varna.example", "erik@varna.example", "sara@varna.example"}
        db.session.expire_all()
        assert all(m.sent_at is not None for m in db.session.scalars(select(OutgoingMail)))

    def test_mail_retry_reports_failure_while_the_server_is_still_down(self, app, login_as):
        with frozen(NOW):
            post_report(login_as("anna"), "deviation", valid_form("deviation"))
        result = app.test_cli_runner().invoke(args=["mail", "retry"])
        assert result.exit_code == 1
        assert "Sent 0, failed 2." in result.output
        assert db.session.scalar(select(Case)) is not None
