"""The issue's "done when", tried as a new user would, through the pages: erik adds two actions
to a case, marks one done, records its follow-up a month later (the clock is moved, nobody
waits), and the other one, now overdue, is in his digest and on the overdue page."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from app import clock
from app.actions.models import CaseAction
from app.cases.models import JournalEvent
from app.extensions import db
from tests.actions.conftest import action_type, make_case, user


@pytest.fixture
def app_config(smtp_server):
    return smtp_server.mail_config()


def _add(client, case, type_name: str, description: str, due_on: str):
    page = client.get(f"/arenden/{case.reference}/atgarder")
    assert page.status_code == 200 and "Lägg till en åtgärd" in page.get_data(as_text=True)
    response = client.post(f"/arenden/{case.reference}/atgarder", data={
        "action-type_id": action_type(type_name).id, "action-description": description,
        "action-responsible_id": user("erik").id, "action-due_on": due_on})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_erik_adds_two_actions_completes_one_follows_it_up_and_is_reminded_of_the_other(
        demo, login_as, smtp_server, app):
    case = make_case(reported=datetime(2026, 3, 2, 8, 0))
    erik = login_as("erik")

    with clock.frozen(datetime(2026, 3, 3, 9, 0)):
        page = _add(erik, case, "Samtal med berörd personal", "Samtal med personalen om rutinen för besök.",
                    "2026-03-06")
        assert "Åtgärden är tillagd: Samtal med berörd personal, ansvarig Erik Eriksson" in page
        page = _add(erik, case, "Reviderad rutin", "Revidera rutinen för planering av besök.", "2026-03-31")
        assert "2 åtgärder är planerade eller pågår" in page
    talk, routine = db.session.scalars(select(CaseAction).order_by(CaseAction.id)).all()

    with clock.frozen(datetime(2026, 3, 5, 14, 0)):
        response = erik.post(f"/atgarder/{talk.id}/status", data={
            "status": "done", "completed_on": "2026-03-05", "version": talk.version})
        assert response.status_code == 302
        assert "Åtgärden är nu: Genomförd." in erik.get(response.headers["Location"]).get_data(as_text=True)

    # A month later: the follow-up of the talk, and the routine is late.
    with clock.frozen(datetime(2026, 4, 6, 7, 0)):
        db.session.refresh(talk)
        page = erik.get(f"/atgarder/{talk.id}").get_data(as_text=True)
        assert "Registrera uppföljningen" in page
        response = erik.post(f"/atgarder/{talk.id}/uppfoljning", data={
            "result": "yes", "text": "Inga fler missade besök sedan samtalet.", "followed_up_on": "2026-04-06",
            "version": talk.version})
        assert response.status_code == 302
        page = erik.get(f"/atgarder/{talk.id}").get_data(as_text=True)
        assert "Inga fler missade besök sedan samtalet." in page and "Uppföljningen är registrerad." in page

        overdue = erik.get("/atgarder/forsenade").get_data(as_text=True)
        assert re.findall(r'<h2><a href="/atgarder/(\d+)">', overdue) == [str(routine.id)]
        assert "⚠ Försenad" in overdue

        result = app.test_cli_runner().invoke(args=["remind"])
        assert result.exit_code == 0, result.output

    # `flask remind` runs every feature's reminders, in one digest per person and day.
    [digest] = smtp_server.to("erik@varna.example")
    body = digest.get_body(("plain",)).get_content()
    assert "Alla dina åtgärder:" in body
    assert f"{case.reference}, Reviderad rutin, skulle vara klar 2026-03-31" in body
    assert "Samtal med berörd personal" not in body  # done and followed up
    db.session.refresh(talk)
    assert (talk.status, talk.completed_on.isoformat(), talk.follow_up_result) == ("done", "2026-03-05", "yes")
    events = [e.event for e in db.session.scalars(select(JournalEvent).where(JournalEvent.case_id == case.id)
                                                  .order_by(JournalEvent.id))]
    assert events == ["filed", "action_added", "action_added", "action_completed", "action_followed_up"]
