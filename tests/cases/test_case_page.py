"""The case page: what each role sees, the reporter's limited view, the client's personal
identity number, the complainant, attachments, the journal, and an audit row per view."""

import re

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.cases.models import Attachment
from app.extensions import db
from app.journal_labels import EVENT_LABELS
from app.labels import MOVE_LABELS, STATUS_LABELS
from app.workflow import MOVES, Status
from tests.cases.helpers import file_case, user


def _views(case, action="case.viewed"):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == "case",
        AuditEvent.object_id == str(case.id)).order_by(AuditEvent.id)))


@pytest.mark.parametrize(("username", "status", "view"), [
    ("erik", 200, "full"), ("sara", 200, "full"), ("admin", 200, "full"),
    ("anna", 200, "reporter"), ("ulla", 403, None),
])
def test_who_sees_the_case_page_and_every_view_is_audited(login_as, username, status, view):
    case = file_case("deviation", client_name="Bo Brukare", client_pin="195001011234")
    response = login_as(username).get(f"/arenden/{case.reference}")
    assert response.status_code == status
    page = response.get_data(as_text=True)
    if view is None:
        assert "Bo Brukare" not in page and _views(case) == []
        denied = _views(case, "case.view_denied")
        assert [e.user_id for e in denied] == [user(username).id]
        return
    events = _views(case)
    assert [(e.user_id, e.detail["view"]) for e in events] == [(user(username).id, view)]
    if view == "full":
        assert "19500101-1234" in page, "the full personal identity number, only here"
        assert "Bo Brukare" in page and "Hemtjänsten kom inte på kvällen." in page
    else:
        assert "Bo Brukare" not in page and "1950" not in page
        assert "Din rapport" in page and "Mottagen" in page


def test_an_unknown_reference_is_404(login_as):
    assert login_as("erik").get("/arenden/AV-2026-9999").status_code == 404


def test_a_bypassing_lex_sarah_report_is_not_shown_to_the_unit_investigators(login_as):
    case = file_case("lex_sarah", bypass_manager=True)
    assert login_as("erik").get(f"/arenden/{case.reference}").status_code == 403
    assert login_as("sara").get(f"/arenden/{case.reference}").status_code == 200


def test_the_queue_never_shows_the_personal_identity_number(login_as):
    case = file_case("deviation", client_pin="195001011234", summary="Sammanfattning")
    page = login_as("erik").get("/arenden").get_data(as_text=True)
    assert case.reference in page and "1950" not in page


def test_everything_filed_about_a_complaint_is_on_the_page(login_as):
    case = file_case("complaint", reporter=None, complaint={
        "channel": "ivo", "ivo_reference": "IVO 3.5.1-1234/2026", "complainant_email": "karin@example.org",
        "complainant_phone": "070-123 45 67", "wishes": "Ett samtal med chefen"}, categories=("Bemötande",))
    db.session.add(Attachment(case=case, original_name="brev.pdf", stored_name="x1", content_type="application/pdf",
                              size=2048, sha256="0" * 64))
    db.session.commit()
    page = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    for text in ("Karin Klagare", "karin@example.org", "070-123 45 67", "IVO 3.5.1-1234/2026",
                 "Vidarebefordrat från IVO", "Ett samtal med chefen", "Bemötande", "Anhörig"):
        assert text in page, text
    attachment_id = case.attachments[0].id
    assert f'href="/bilagor/{attachment_id}">brev.pdf</a>' in page


def test_an_anonymous_complaint_says_it_cannot_be_answered(login_as):
    case = file_case("complaint", reporter=None, complaint={"anonymous": True, "complainant_name": "",
                                                             "relation": "anonymous", "answer_wanted": False})
    page = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Anonym – kan inte få något svar" in page


def test_the_journal_shows_every_event_in_swedish(login_as):
    case = file_case("deviation")
    erik = login_as("erik")
    erik.post(f"/arenden/{case.reference}/ta", data={"version": 1})
    erik.post(f"/arenden/{case.reference}/beslut-om-utredning", data={"version": 2, "decision": "investigate"})
    erik.post(f"/arenden/{case.reference}/aterkoppling", data={"version": 3, "text": "Vi tittar på det."})
    erik.post(f"/arenden/{case.reference}/avsluta", data={"version": 4, "summary": "Rutinen är ändrad."})
    login_as("sara").post(f"/arenden/{case.reference}/oppna-igen", data={"version": 5, "reason": "Ny uppgift."})
    page = erik.get(f"/arenden/{case.reference}").get_data(as_text=True)
    timeline = page[page.index('class="timeline"'):]
    labels = re.findall(r'<span class="what">(.*?)</span>', timeline)
    assert labels == ["Ärendet registrerades", "Handläggare tilldelades", "Beslut: utredning inleds",
                      "Återkoppling till rapportören", "Ärendet avslutades", "Ärendet öppnades igen"]
    assert "Rutinen är ändrad." in timeline and "Ny uppgift." in timeline


def test_every_event_the_services_write_has_a_label():
    written = set()
    for path in ("app/cases/casework/services.py", "app/cases/filing.py"):
        with open(path, encoding="utf-8") as source:
            written |= set(re.findall(r'add_event\(\s*case,\s*"([a-z_]+)"', source.read()))
    assert written >= {"filed", "assigned", "unassigned", "disqualified", "triaged", "answered",
                       "feedback_given", "closed", "reopened"}
    assert written <= set(EVENT_LABELS)


def test_the_translatable_labels_name_everything_the_state_machine_has():
    # One set of labels (app/labels.py) for every status and move of app/workflow.py.
    assert set(STATUS_LABELS) == set(Status) and set(MOVE_LABELS) == set(MOVES)


@pytest.mark.parametrize(("username", "offered", "not_offered"), [
    ("erik", ["Tilldela mig", "Inled utredning", "Beslut att inte inleda utredning", "Anmäl jäv",
              "Ge återkoppling", "Tilldela handläggare"], ["Avsluta ärendet", "Återöppna ärendet"]),
    ("sara", ["Inled utredning", "Tilldela handläggare"], ["Tilldela mig", "Återöppna ärendet"]),
    ("admin", [], ["Tilldela mig", "Inled utredning", "Anmäl jäv", "Avsluta ärendet"]),
])
def test_the_actions_offered_now(login_as, username, offered, not_offered):
    case = file_case("deviation")
    page = login_as(username).get(f"/arenden/{case.reference}").get_data(as_text=True)
    actions = page[page.index('id="actions-heading"'):page.index('class="case-main"')]
    for label in offered:
        assert label in actions, label
    for label in not_offered:
        assert label not in actions, label


def test_a_closed_case_offers_reopening_to_officers_only(login_as):
    case = file_case("deviation")
    case.status = "closed"
    db.session.commit()
    for username, offered in (("erik", False), ("sara", True), ("admin", False)):
        page = login_as(username).get(f"/arenden/{case.reference}").get_data(as_text=True)
        assert ("Återöppna ärendet" in page) is offered, username
