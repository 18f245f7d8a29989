"""Feedback to the reporter, closing with a summary, and reopening with a reason."""

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.cases.models import Feedback
from app.extensions import db
from app.mailer import OutgoingMail
from tests.cases.helpers import error_for, file_case, reload, user


def _post(client, case, path, **data):
    return client.post(f"/arenden/{case.reference}/{path}", data={"version": reload(case).version, **data})


@pytest.fixture
def investigating(demo):
    case = file_case("deviation")
    case.status, case.triage_decision = "investigating", "investigate"
    db.session.commit()
    return case


# --- feedback -------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "allowed"), [("erik", True), ("sara", True), ("anna", False),
                                                   ("ulla", False), ("admin", False)])
def test_who_gives_feedback(login_as, investigating, username, allowed):
    client = login_as(username)
    assert client.get(f"/arenden/{investigating.reference}/aterkoppling").status_code == (200 if allowed else 403)
    response = _post(client, investigating, "aterkoppling", text="Tack, vi har pratat med personalen.")
    assert response.status_code == (302 if allowed else 403)
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == (1 if allowed else 0)


def test_the_reporter_reads_the_feedback_under_my_reports(login_as, investigating):
    text = "Tack för din rapport. Rutinen för kvällsbesök är ändrad."
    assert _post(login_as("erik"), investigating, "aterkoppling", text=text).status_code == 302
    case = reload(investigating)
    assert (case.journal[-1].event, case.journal[-1].text) == ("feedback_given", text)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.feedback_given")) is not None
    anna = login_as("anna")
    assert text in anna.get("/mina-rapporter").get_data(as_text=True)
    limited = anna.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert text in limited and "Erik Eriksson" in limited
    mail = db.session.scalar(select(OutgoingMail).where(OutgoingMail.subject.startswith("Återkoppling")))
    assert mail.recipients == "anna@varna.example" and text not in mail.body


def test_feedback_can_come_after_closing_and_the_newest_is_shown(login_as, investigating):
    erik = login_as("erik")
    _post(erik, investigating, "aterkoppling", text="Första.")
    _post(erik, investigating, "avsluta", summary="Klart.")
    assert _post(erik, investigating, "aterkoppling", text="Andra, efter avslut.").status_code == 302
    assert reload(investigating).reporter_feedback == "Andra, efter avslut."
    page = login_as("anna").get(f"/arenden/{investigating.reference}").get_data(as_text=True)
    assert "Första." in page and "Andra, efter avslut." in page


def test_empty_feedback_is_not_stored(login_as, investigating):
    response = _post(login_as("erik"), investigating, "aterkoppling", text=" ")
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "text") == "Skriv återkopplingen."
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_a_case_without_a_reporter_has_nobody_to_give_feedback_to(login_as):
    case = file_case("complaint", reporter=None)
    erik = login_as("erik")
    assert "Ge återkoppling" not in erik.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert erik.get(f"/arenden/{case.reference}/aterkoppling").status_code == 409
    assert _post(erik, case, "aterkoppling", text="Hej").status_code == 409


# --- closing --------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "allowed"), [("erik", True), ("sara", True), ("anna", False),
                                                   ("ulla", False), ("admin", False)])
def test_who_closes(login_as, investigating, username, allowed):
    client = login_as(username)
    assert client.get(f"/arenden/{investigating.reference}/avsluta").status_code == (200 if allowed else 403)
    response = _post(client, investigating, "avsluta", summary="Rutinen är ändrad och personalen informerad.")
    assert response.status_code == (302 if allowed else 403)
    case = reload(investigating)
    assert case.status == ("closed" if allowed else "investigating")
    if allowed:
        assert case.closing_summary == "Rutinen är ändrad och personalen informerad."
        assert case.closed_by_id == user(username).id and case.closed_at is not None
        assert (case.journal[-1].event, case.journal[-1].text) == ("closed", case.closing_summary)


def test_closing_needs_a_summary(login_as, investigating):
    response = _post(login_as("erik"), investigating, "avsluta", summary="")
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "summary") == "Skriv en sammanfattning av hur ärendet avslutas."
    assert reload(investigating).status == "investigating"


def test_a_received_case_is_triaged_before_it_is_closed(login_as):
    case = file_case("deviation")
    response = _post(login_as("erik"), case, "avsluta", summary="Klart.")
    assert response.status_code == 409
    assert "går inte när ärendet har status ”Mottagen”" in response.get_data(as_text=True)


def test_lex_sarah_is_not_closed_before_its_judgment(login_as):
    report = file_case("lex_sarah")
    report.status = "investigating"
    db.session.commit()
    sara = login_as("sara")
    assert "Avsluta ärendet" not in sara.get(f"/arenden/{report.reference}").get_data(as_text=True)
    assert _post(sara, report, "avsluta", summary="Klart.").status_code == 409


def test_a_unit_manager_cannot_close_a_lex_sarah_report_at_all(login_as):
    # The manager may be the one the report is about: closing is the lex Sarah officer's (403, audited).
    report = file_case("lex_sarah")
    report.status = "investigating"
    db.session.commit()
    erik = login_as("erik")
    assert "Avsluta ärendet" not in erik.get(f"/arenden/{report.reference}").get_data(as_text=True)
    assert _post(erik, report, "avsluta", summary="Klart.").status_code == 403
    assert reload(report).status == "investigating"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permission.denied")) is not None


# --- reopening ------------------------------------------------------------------------------

@pytest.fixture
def closed(investigating, login_as):
    _post(login_as("erik"), investigating, "avsluta", summary="Första avslutet.")
    return reload(investigating)


# Only the lex Sarah officer reopens: admins read cases but never work them (docs/domain.md, "Roles").
@pytest.mark.parametrize(("username", "allowed"), [("sara", True), ("admin", False), ("erik", False),
                                                   ("anna", False), ("ulla", False)])
def test_who_reopens(login_as, closed, username, allowed):
    client = login_as(username)
    assert client.get(f"/arenden/{closed.reference}/oppna-igen").status_code == (200 if allowed else 403)
    response = _post(client, closed, "oppna-igen", reason="Brukarens dotter har hört av sig med nya uppgifter.")
    assert response.status_code == (302 if allowed else 403)
    case = reload(closed)
    assert case.status == ("investigating" if allowed else "closed")
    if allowed:
        assert case.closed_at is None and case.closing_summary == ""
        event = case.journal[-1]
        assert (event.event, event.actor_id) == ("reopened", user(username).id)
        assert event.text == "Brukarens dotter har hört av sig med nya uppgifter."
        assert event.detail["previous"]["closing_summary"] == "Första avslutet."


def test_reopening_needs_a_reason(login_as, closed):
    response = _post(login_as("sara"), closed, "oppna-igen", reason="")
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "reason") == "Skriv varför ärendet öppnas igen."
    assert reload(closed).status == "closed"


def test_only_a_closed_case_is_reopened(login_as, investigating):
    assert _post(login_as("sara"), investigating, "oppna-igen", reason="Varför inte").status_code == 409


def test_reopening_a_case_closed_without_investigation_starts_the_investigation(login_as):
    case = file_case("deviation")
    _post(login_as("erik"), case, "beslut-om-utredning", decision="not_investigate",
          reason="not_own_service", text="Gäller en privat utförare.")
    assert reload(case).triage_decision == "not_investigate"
    assert _post(login_as("sara"), case, "oppna-igen", reason="Det var vår egen personal.").status_code == 302
    case = reload(case)
    assert (case.status, case.triage_decision, case.triage_reason) == ("investigating", "investigate", None)
    assert case.journal[-1].detail["previous"]["triage_reason"] == "not_own_service"
