"""The answer to a complaint (text, date, channel) and closing a complaint."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.cases.models import ComplaintDetails
from app.clock import frozen
from app.extensions import db
from app.public.services import submit_complaint
from tests.cases.helpers import error_for, file_case, reload, unit, user, version_on

ANSWER = {"text": "Vi beklagar. Personalen har fått en genomgång av rutinen.", "answered_on": "2026-03-10",
          "channel": "letter"}
NOW = datetime(2026, 3, 12, 9, 0)


@pytest.fixture
def complaint(demo):
    with frozen(datetime(2026, 3, 2, 9, 0)):
        case = file_case("complaint", reporter=None)
    case.status = "investigating"
    db.session.commit()
    return case


def _answer(client, case, **data):
    with frozen(NOW):
        return client.post(f"/arenden/{case.reference}/svar", data={"version": reload(case).version,
                                                                    **ANSWER, **data})


@pytest.mark.parametrize(("username", "allowed"), [("erik", True), ("sara", True), ("anna", False),
                                                   ("ulla", False), ("admin", False)])
def test_who_records_the_answer(login_as, complaint, username, allowed):
    client = login_as(username)
    assert client.get(f"/arenden/{complaint.reference}/svar").status_code == (200 if allowed else 403)
    assert _answer(client, complaint).status_code == (302 if allowed else 403)
    assert reload(complaint).status == ("answered" if allowed else "investigating")


def test_recording_the_answer(login_as, complaint):
    erik = login_as("erik")
    loaded_version = reload(complaint).version
    with frozen(NOW):
        form = erik.get(f"/arenden/{complaint.reference}/svar").get_data(as_text=True)
    assert 'value="2026-03-12"' in form, "today is the default date"
    assert _answer(erik, complaint).status_code == 302
    case = reload(complaint)
    details = case.complaint
    assert case.status == "answered"
    assert (details.answer_text, details.answer_channel, details.answered_by_id) == (
        ANSWER["text"], "letter", user("erik").id)
    assert details.answered_at == datetime(2026, 3, 10, 11, 0), "noon in Stockholm on the day it was given"
    assert (case.journal[-1].event, case.journal[-1].detail["channel"]) == ("answered", "letter")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.answered")) is not None
    page = erik.get(f"/arenden/{complaint.reference}").get_data(as_text=True)
    assert ANSWER["text"] in page and "Brev" in page
    assert version_on(form) == loaded_version


def test_an_answer_given_today_is_stamped_now(login_as, complaint):
    assert _answer(login_as("erik"), complaint, answered_on="2026-03-12").status_code == 302
    assert reload(complaint).complaint.answered_at == NOW


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"text": ""}, "text", "Skriv svaret."),
    ({"answered_on": "12/3"}, "answered_on", "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-14."),
    ({"answered_on": "2026-03-13"}, "answered_on", "Datumet kan inte vara senare än i dag."),
    ({"answered_on": "2026-03-01"}, "answered_on", "Datumet kan inte vara före den dag klagomålet kom in."),
    ({"channel": ""}, "channel", "Välj hur svaret lämnades."),
    ({"channel": "pigeon"}, "channel", "Not a valid choice."),
])
def test_an_incomplete_answer_is_not_stored(login_as, complaint, data, field, message):
    response = _answer(login_as("erik"), complaint, **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    if field == "channel" and data["channel"] == "pigeon":
        assert error_for(page, field)
    else:
        assert error_for(page, field) == message
    if field != "text":
        assert ANSWER["text"] in page, "the person's text is kept"
    case = reload(complaint)
    assert case.status == "investigating" and case.complaint.answer_text == ""


def test_only_complaints_are_answered(login_as):
    deviation = file_case("deviation")
    deviation.status = "investigating"
    db.session.commit()
    response = login_as("erik").get(f"/arenden/{deviation.reference}/svar")
    assert response.status_code == 409
    assert "finns inte för den här typen av ärende" in response.get_data(as_text=True)


def test_an_answered_complaint_is_closed(login_as, complaint):
    erik = login_as("erik")
    _answer(erik, complaint)
    assert "Avsluta ärendet" in erik.get(f"/arenden/{complaint.reference}").get_data(as_text=True)
    response = erik.post(f"/arenden/{complaint.reference}/avsluta",
                         data={"version": reload(complaint).version, "summary": "Besvarat och åtgärdat."})
    assert response.status_code == 302
    assert reload(complaint).status == "closed"


def test_a_complaint_that_wants_an_answer_is_not_closed_without_one(login_as, complaint):
    erik = login_as("erik")
    page = erik.get(f"/arenden/{complaint.reference}").get_data(as_text=True)
    assert "Avsluta ärendet" not in page and "Registrera svar" in page
    response = erik.post(f"/arenden/{complaint.reference}/avsluta",
                         data={"version": complaint.version, "summary": "Klart."})
    assert response.status_code == 409
    assert "kräver först att klaganden har fått svar" in response.get_data(as_text=True)
    assert reload(complaint).status == "investigating"


@pytest.mark.parametrize("details", [{"anonymous": True, "answer_wanted": False, "complainant_name": ""},
                                     {"answer_wanted": False}])
def test_a_complaint_that_cannot_or_need_not_be_answered_is_closed_without(login_as, complaint, details):
    stored = db.session.get(ComplaintDetails, complaint.id)
    for name, value in details.items():
        setattr(stored, name, value)
    db.session.commit()
    erik = login_as("erik")
    assert "Avsluta ärendet" in erik.get(f"/arenden/{complaint.reference}").get_data(as_text=True)
    response = erik.post(f"/arenden/{complaint.reference}/avsluta",
                         data={"version": reload(complaint).version, "summary": "Anonymt, inget svar möjligt."})
    assert response.status_code == 302
    assert reload(complaint).status == "closed"


def test_the_complainant_reads_the_answer_with_their_code(login_as, client):
    receipt = submit_complaint(client_ip="192.0.2.1", department_id=unit("Vuxna").id,
                               description="Min mamma fick inte sin medicin i tid på fredagen.",
                               anonymous=False, relation="relative", name="Karin", email="karin@example.org")
    erik = login_as("erik")
    case_page = f"/arenden/{receipt.reference}"
    erik.post(f"{case_page}/beslut-om-utredning", data={"version": 1, "decision": "investigate"})
    today = datetime.now().date().isoformat()
    assert erik.post(f"{case_page}/svar", data={"version": 2, "text": "Vi har ändrat rutinen för helger.",
                                                "answered_on": today, "channel": "web"}).status_code == 302
    page = client.post("/klagomal/status", data={"reference": receipt.reference, "code": receipt.code})
    assert page.status_code == 200
    assert "Vi har ändrat rutinen för helger." in page.get_data(as_text=True)


def test_answer_dates_are_swedish_calendar_days(login_as, complaint):
    # 23:30 UTC on 11 March is already 12 March in Stockholm: "today" there, not "tomorrow".
    with frozen(datetime(2026, 3, 11, 23, 30)):
        response = login_as("erik").post(f"/arenden/{complaint.reference}/svar", data={
            "version": complaint.version, **ANSWER, "answered_on": date(2026, 3, 12).isoformat()})
    assert response.status_code == 302
