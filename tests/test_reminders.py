"""`flask remind` as one engine: a person with something due in several features gets ONE
e-mail that day with every section (the README's "one digest a day"; before, each feature
sent its own), read from a real SMTP server on loopback."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.actions import services as actions
from app.audit import AuditEvent
from app.extensions import db
from app.reminders import ReminderLog
from tests.actions.conftest import action_type
from tests.lexsarah.helpers import draft, judge, make_case, notify, protect, set_provider, user

DAY = date(2026, 5, 13)  # the investigation notified on 20 March is due to IVO on 20 May: 7 days left


@pytest.fixture
def app_config(smtp_server):
    return {"BASE_URL": "https://varna.example.se", **smtp_server.mail_config()}


@pytest.fixture
def everything_due(demo):
    """Sara, the lex Sarah officer, has on DAY: an investigation due to IVO, an unassigned lex
    Sarah report past its triage deadline, and a done action waiting for its follow-up."""
    set_provider()
    # Both protected at once (issue 13): the protection reminder has its own test
    # (tests/lexsarah/test_duties_reminder.py).
    notified = protect(make_case())
    judge(notified)
    draft(notified)
    notify(notified, sent_on=date(2026, 3, 20))
    untriaged = protect(make_case(status="received", reported=datetime(2026, 5, 4, 9, 0)))
    with clock.frozen(datetime(2026, 3, 20, 10, 0)):
        action = actions.add_action(user("sara"), notified.reference, type_id=action_type("Utbildning").id,
                                    description="Utbildning i signering.", responsible_id=user("sara").id,
                                    due_on=date(2026, 4, 1))
    with clock.frozen(datetime(2026, 4, 1, 10, 0)):
        actions.update_action_status(user("sara"), action.id, "done", completed_on=date(2026, 4, 1),
                                     expected_version=action.version)
    return {"notified": notified.reference, "untriaged": untriaged.reference}


def _remind(app) -> str:
    with clock.frozen(datetime(DAY.year, DAY.month, DAY.day, 4, 0)):  # 06:00 in Stockholm
        result = app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    return result.output


def test_one_person_gets_one_digest_with_every_section_once_a_day(app, everything_due, smtp_server):
    _remind(app)
    [message] = smtp_server.to("sara@varna.example")
    assert message["Subject"] == "Värna: påminnelser 2026-05-13"
    body = message.get_body(("plain",)).get_content()
    assert body.count("Hej Sara!") == 1
    # the deadlines' section: the unassigned lex Sarah report past its triage deadline
    assert "Ärenden utan handläggare där en tidsfrist har gått ut" in body and everything_due["untriaged"] in body
    # the lex Sarah section: the investigation due to IVO
    assert "senast 2026-05-20 (om 7 dagar)" in body and everything_due["notified"] in body
    # the actions' section: the done action waiting for its follow-up
    assert "Genomförda åtgärder som väntar på uppföljning" in body and "genomförd 2026-04-01" in body
    logged = db.session.scalars(select(ReminderLog.section).where(ReminderLog.user_id == user("sara").id,
                                                                  ReminderLog.day == DAY)).all()
    assert sorted(logged) == ["actions", "cases", "lexsarah"]
    # the features' audit entries are still written
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "user",
                                                               AuditEvent.object_id == str(user("sara").id))).all()
    assert "cases.deadline_reminder_queued" in events and "lexsarah.reminder_queued" in events

    total = len(smtp_server.messages)
    output = _remind(app)  # the same day again
    assert len(smtp_server.messages) == total
    assert "0 digests queued" in output
