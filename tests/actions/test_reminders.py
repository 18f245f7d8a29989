"""`flask remind`, the actions' part: a daily digest per person, delivered to a real SMTP
server on loopback, once per day."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.actions import services
from app.extensions import db
from app.mailer import OutgoingMail
from app.reminders import ReminderLog, run_reminders
from tests.actions.conftest import SOON, add, make_case, user

DAY = datetime(2026, 5, 4, 5, 0)  # 07:00 in Stockholm, when the daily job runs


@pytest.fixture
def app_config(smtp_server):
    return smtp_server.mail_config()


@pytest.fixture
def world(demo, smtp_server):
    case = make_case()
    overdue = add(case, responsible="erik", due_on=date(2026, 4, 30), type_name="Ny rutin",
                  description="Hemlig beskrivning som inte får stå i e-post.")
    on_time = add(case, responsible="erik", due_on=date(2026, 5, 4), type_name="Utbildning")
    annas = add(case, responsible="anna", due_on=date(2026, 4, 1), type_name="Samtal med berörd personal")
    waiting = add(case, responsible="anna", due_on=date(2026, 4, 1), type_name="Teknik och utrustning")
    with clock.frozen(SOON):
        services.update_action_status(user("anna"), waiting.id, "done", completed_on=date(2026, 3, 10),
                                      expected_version=waiting.version)
    # Anna was told by e-mail when erik made her responsible (tests/actions/test_responsible_told.py);
    # these tests are about the digests only.
    smtp_server.messages.clear()
    return {"case": case, "overdue": overdue, "on_time": on_time, "annas": annas, "waiting": waiting}


def _digests(smtp_server) -> list:
    """The digests with an actions section (`flask remind` also runs the other features'
    reminders, and a person with something due in several gets them in one e-mail)."""
    return [m for m in smtp_server.messages if "Alla dina åtgärder:" in m.get_body(("plain",)).get_content()]


def _run(runner=None, when: datetime = DAY) -> str:
    with clock.frozen(when):
        if runner is None:
            return "\n".join(run_reminders(only=("actions",)))
        result = runner.invoke(args=["remind"])
        assert result.exit_code == 0, result.output
        return result.output


def test_each_person_gets_one_digest_with_their_overdue_and_follow_up_actions(world, smtp_server):
    _run()
    [to_erik] = smtp_server.to("erik@varna.example")
    [to_anna] = smtp_server.to("anna@varna.example")
    assert len(smtp_server.messages) == 2
    erik_body = to_erik.get_body(("plain",)).get_content()
    ref = world["case"].reference
    assert to_erik["Subject"] == "Värna: dina åtgärder 2026-05-04"
    assert f"- {ref}, Ny rutin, skulle vara klar 2026-04-30: http://127.0.0.1:5000/atgarder/" \
           f"{world['overdue'].id}" in erik_body
    assert "Utbildning" not in erik_body  # due today is not overdue
    # The one who added the action usually follows it up, so erik hears about anna's done action too.
    assert f"- {ref}, Teknik och utrustning, genomförd 2026-03-10" in erik_body
    anna_body = to_anna.get_body(("plain",)).get_content()
    assert "Samtal med berörd personal, skulle vara klar 2026-04-01" in anna_body
    assert "mer än 30 dagar" in anna_body and "Teknik och utrustning, genomförd 2026-03-10" in anna_body
    # References, types, dates and links: never the description.
    assert "Hemlig" not in erik_body + anna_body


def test_twice_the_same_day_sends_nothing_new_but_the_next_day_does(world, smtp_server, app):
    runner = app.test_cli_runner()
    assert "2 digests queued, 2 sent" in _run(runner)
    assert "0 digests queued" in _run(runner, DAY.replace(hour=15))
    assert len(_digests(smtp_server)) == 2
    sent = db.session.scalars(select(ReminderLog).where(ReminderLog.section == "actions")
                              .order_by(ReminderLog.user_id)).all()
    # one overdue and one waiting for follow-up each
    assert [(r.user_id, r.day, r.item_count) for r in sent] == [
        (user("anna").id, date(2026, 5, 4), 2), (user("erik").id, date(2026, 5, 4), 2)]
    _run(runner, datetime(2026, 5, 5, 5, 0))
    assert len(_digests(smtp_server)) == 4


def test_nothing_due_sends_nothing(demo, smtp_server):
    case = make_case()
    add(case, due_on=date(2026, 6, 1))
    assert "nothing" in _run()
    assert smtp_server.messages == []


def test_followed_up_and_cancelled_actions_are_not_reminded(world, smtp_server):
    with clock.frozen(DAY):
        services.record_follow_up(user("erik"), world["waiting"].id, result="yes", text="Fungerar.",
                                  followed_up_on=date(2026, 5, 4), expected_version=world["waiting"].version)
        services.update_action_status(user("erik"), world["annas"].id, "cancelled", cancel_reason="Behövs inte.",
                                      expected_version=world["annas"].version)
    _run()
    assert smtp_server.to("anna@varna.example") == []
    assert "Teknik" not in smtp_server.to("erik@varna.example")[0].get_body(("plain",)).get_content()


def test_people_without_an_address_or_account_are_skipped(world, smtp_server):
    user("anna").email = ""
    db.session.commit()
    line = _run()
    assert "1 skipped" in line
    assert [m["To"] for m in smtp_server.messages] == ["erik@varna.example"]


def test_an_unreachable_server_keeps_the_digest_queued_for_retry(demo, world, smtp_server):
    smtp_server.stop()
    line = _run()
    assert "2 failed" in line
    unsent = db.session.scalars(select(OutgoingMail).where(OutgoingMail.sent_at.is_(None))).all()
    assert len(unsent) == 2 and all(m.last_error for m in unsent)
