"""Assignment and jäv: who may assign, who may be assigned, and what a declared
disqualification does (unassigns, is journaled, and bars the person from the case)."""

import re

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.cases.models import Disqualification, JournalEvent
from app.extensions import db
from app.mailer import OutgoingMail
from tests.cases.helpers import error_for, file_case, reload, user, version_on

OTHERS = ["anna", "ulla", "admin"]


def _assign(client, case, assignee, version=None):
    value = "none" if assignee == "none" else str(user(assignee).id)
    return client.post(f"/arenden/{case.reference}/tilldela",
                       data={"version": version or reload(case).version, "assignee": value})


def _choices(response) -> str:
    """The options of the assignee list."""
    return re.search(r'<select[^>]*name="assignee"[^>]*>(.*?)</select>', response.get_data(as_text=True),
                     re.S).group(1)


@pytest.mark.parametrize("username", ["erik", "sara"])
def test_investigators_and_officers_assign(login_as, username):
    case = file_case("deviation")
    client = login_as(username)
    form = client.get(f"/arenden/{case.reference}/tilldela")
    assert form.status_code == 200
    assert client.post(f"/arenden/{case.reference}/tilldela",
                       data={"version": version_on(form.get_data(as_text=True)),
                             "assignee": str(user("erik").id)}).status_code == 302
    case = reload(case)
    assert case.assigned_to_id == user("erik").id
    event = case.journal[-1]
    assert (event.event, event.actor_id, event.detail["assignee_id"]) == ("assigned", user(username).id,
                                                                           user("erik").id)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.assigned"))
    assert audit.user_id == user(username).id and audit.detail["assignee_id"] == user("erik").id


@pytest.mark.parametrize("username", OTHERS)
def test_nobody_else_assigns(login_as, username):
    case = file_case("deviation")
    client = login_as(username)
    assert client.get(f"/arenden/{case.reference}/tilldela").status_code == 403
    assert _assign(client, case, "erik").status_code == 403
    assert client.post(f"/arenden/{case.reference}/ta", data={"version": 1}).status_code == 403
    assert reload(case).assigned_to_id is None


def test_assign_to_me_and_the_assignee_is_mailed_when_someone_else_assigns(login_as):
    case = file_case("deviation")
    erik = login_as("erik")
    assert erik.post(f"/arenden/{case.reference}/ta", data={"version": 1}).status_code == 302
    assert reload(case).assigned_to_id == user("erik").id
    assert db.session.scalar(select(func.count()).select_from(OutgoingMail).where(
        OutgoingMail.subject.contains(case.reference), OutgoingMail.subject.startswith("Du är handläggare"))) == 0
    other = file_case("deviation")
    assert _assign(login_as("sara"), other, "erik").status_code == 302
    mail = db.session.scalar(select(OutgoingMail).where(OutgoingMail.subject.startswith("Du är handläggare")))
    assert mail.recipients == "erik@varna.example" and other.reference in mail.subject
    assert "Hemtjänsten" not in mail.body, "e-mail carries the link, never the case"


def test_only_people_who_may_handle_the_case_are_offered_and_accepted(login_as):
    deviation = file_case("deviation")
    sara = login_as("sara")
    page = _choices(sara.get(f"/arenden/{deviation.reference}/tilldela"))
    assert "Erik Eriksson" in page
    for name in ("Ulla Ullsson", "Sara Svensson", "Anna Andersson", "Adam Admin"):
        assert name not in page, name
    for username in ("ulla", "sara", "anna", "admin"):
        response = _assign(sara, deviation, username)
        assert response.status_code == 422, username
        assert error_for(response.get_data(as_text=True), "assignee"), username
    assert reload(deviation).assigned_to_id is None
    # An officer may be assigned a lex Sarah report.
    report = file_case("lex_sarah")
    page = _choices(sara.get(f"/arenden/{report.reference}/tilldela"))
    assert "Erik Eriksson" in page and "Sara Svensson" in page
    assert _assign(sara, report, "sara").status_code == 302
    assert reload(report).assigned_to_id == user("sara").id


def test_an_officer_cannot_take_a_deviation_herself(login_as):
    case = file_case("deviation")
    response = login_as("sara").post(f"/arenden/{case.reference}/ta", data={"version": 1})
    assert response.status_code == 409
    assert "Du kan inte vara handläggare" in response.get_data(as_text=True)


def test_unassigning(login_as):
    case = file_case("deviation")
    erik = login_as("erik")
    erik.post(f"/arenden/{case.reference}/ta", data={"version": 1})
    assert "Ingen handläggare" in erik.get(f"/arenden/{case.reference}/tilldela").get_data(as_text=True)
    assert _assign(erik, case, "none").status_code == 302
    case = reload(case)
    assert case.assigned_to_id is None and case.journal[-1].event == "unassigned"


def test_the_reporter_never_handles_their_own_report(login_as):
    case = file_case("deviation", reporter="erik")
    erik = login_as("erik")
    page = erik.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Tilldela mig" not in page and "Inled utredning" not in page
    assert erik.post(f"/arenden/{case.reference}/ta", data={"version": 1}).status_code == 403
    assert erik.get(f"/arenden/{case.reference}/beslut-om-utredning").status_code == 403
    assert _assign(login_as("sara"), case, "erik").status_code == 422
    assert reload(case).assigned_to_id is None


def test_declaring_jav_unassigns_is_journaled_and_bars_the_person(login_as):
    case = file_case("lex_sarah")
    erik = login_as("erik")
    erik.post(f"/arenden/{case.reference}/ta", data={"version": 1})
    form = erik.get(f"/arenden/{case.reference}/jav")
    assert form.status_code == 200
    response = erik.post(f"/arenden/{case.reference}/jav", data={
        "version": version_on(form.get_data(as_text=True)), "reason": "Brukaren är min granne."})
    assert response.status_code == 302
    case = reload(case)
    assert case.assigned_to_id is None
    declared = db.session.scalar(select(Disqualification))
    assert (declared.case_id, declared.user_id, declared.reason) == (case.id, user("erik").id,
                                                                      "Brukaren är min granne.")
    event = case.journal[-1]
    assert (event.event, event.text, event.detail["unassigned"]) == ("disqualified", "Brukaren är min granne.", True)
    # Thereafter: never assigned again, and no longer handles the case.
    sara = login_as("sara")
    assert _assign(sara, case, "erik").status_code == 422
    assert erik.post(f"/arenden/{case.reference}/ta", data={"version": reload(case).version}).status_code == 403
    assert erik.get(f"/arenden/{case.reference}/beslut-om-utredning").status_code == 403
    assert erik.get(f"/arenden/{case.reference}/jav").status_code == 403
    assert erik.get(f"/arenden/{case.reference}").status_code == 200, "seeing is not handling"
    assert "Brukaren är min granne." in sara.get(f"/arenden/{case.reference}").get_data(as_text=True)


def test_jav_needs_a_reason_and_stores_nothing_without_one(login_as):
    case = file_case("deviation")
    response = login_as("erik").post(f"/arenden/{case.reference}/jav", data={"version": 1, "reason": "  "})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "reason") == "Skriv varför du inte kan handlägga ärendet."
    assert db.session.scalar(select(func.count()).select_from(Disqualification)) == 0
    assert db.session.scalar(select(func.count()).select_from(JournalEvent).where(
        JournalEvent.event == "disqualified")) == 0


@pytest.mark.parametrize(("username", "status"), [("erik", 200), ("sara", 200), ("anna", 403), ("ulla", 403),
                                                  ("admin", 403)])
def test_who_may_declare_jav(login_as, username, status):
    case = file_case("deviation")
    client = login_as(username)
    assert client.get(f"/arenden/{case.reference}/jav").status_code == status
    response = client.post(f"/arenden/{case.reference}/jav", data={"version": 1, "reason": "Närstående."})
    assert response.status_code == (302 if status == 200 else 403)
