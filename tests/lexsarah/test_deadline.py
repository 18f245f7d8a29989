"""The two-month deadline for the investigation, and its reminder through `flask remind`,
against a real SMTP server on loopback (the `smtp_server` fixture)."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.lexsarah import common, notification
from app.lexsarah import desk as officers_desk
from app.reminders import ReminderLog
from tests.lexsarah.helpers import draft, judge, loaded, make_case, notify, protect, reload, set_provider, user

NOTIFIED_DAY = date(2026, 3, 20)  # due 2026-05-20


@pytest.fixture
def app_config(smtp_server):
    return {"BASE_URL": "https://varna.example.se", **smtp_server.mail_config()}


@pytest.mark.parametrize(("sent", "due"), [
    (date(2026, 3, 20), date(2026, 5, 20)),
    (date(2026, 12, 31), date(2027, 2, 28)),   # February is short
    (date(2027, 12, 31), date(2028, 2, 29)),   # ... except in a leap year
    (date(2026, 11, 15), date(2027, 1, 15)),   # over the turn of the year
])
def test_the_investigation_is_due_two_months_after_the_notification(sent, due):
    assert clock.add_months(sent, common.INVESTIGATION_MONTHS) == due


@pytest.fixture
def notified(demo):
    set_provider()
    case = protect(make_case())  # protected at once (issue 13), so only the IVO deadline is reminded
    judge(case)
    draft(case)
    notify(case, sent_on=NOTIFIED_DAY)
    return reload(case)


def _remind(app, day: date):
    with clock.frozen(datetime(day.year, day.month, day.day, 5, 0)):  # 06:00/07:00 in Stockholm
        result = app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    return result.output


def _reminders(smtp_server):
    return [m for m in smtp_server.to("sara@varna.example") if "IVO" in m["Subject"]]


def test_the_deadline_is_stored_and_shown(notified, login_as):
    assert notified.lex_sarah_ivo.investigation_due_on == date(2026, 5, 20)
    with clock.frozen(datetime(2026, 5, 15, 9, 0)):
        page = login_as("sara").get(f"/lex-sarah/{notified.reference}/anmalan").get_data(as_text=True)
    assert "2026-05-20" in page and "om 5 dagar" in page


def test_no_reminder_while_the_deadline_is_far_away(notified, app, smtp_server):
    output = _remind(app, date(2026, 5, 12))  # 8 days left
    assert "Lex Sarah: no investigation due" in output
    assert _reminders(smtp_server) == []


def test_a_reminder_a_week_before_once_a_day(notified, app, smtp_server):
    _remind(app, date(2026, 5, 13))  # 7 days left
    [message] = _reminders(smtp_server)
    body = message.get_body(("plain",)).get_content()
    assert notified.reference in body and "senast 2026-05-20 (om 7 dagar)" in body
    assert f"https://varna.example.se/lex-sarah/{notified.reference}/anmalan" in body
    for secret in ("Zlatan", "1212", "läkemedel"):  # never anything about the client or what happened
        assert secret not in body

    _remind(app, date(2026, 5, 13))  # the same day again: nothing new
    assert len(_reminders(smtp_server)) == 1
    logged = select(func.count()).select_from(ReminderLog).where(ReminderLog.section == "lexsarah")
    assert db.session.scalar(logged) == 1

    _remind(app, date(2026, 5, 14))  # the next day: the next reminder
    assert len(_reminders(smtp_server)) == 2


def test_a_late_investigation_is_reminded_as_late(notified, app, smtp_server):
    _remind(app, date(2026, 5, 23))
    [message] = _reminders(smtp_server)
    assert "3 dagar sent" in message.get_body(("plain",)).get_content()


def test_one_day_is_one_day_not_one_days(notified, app, smtp_server):
    _remind(app, date(2026, 5, 19))  # one day left
    _remind(app, date(2026, 5, 21))  # one day late
    first, second = (m.get_body(("plain",)).get_content() for m in _reminders(smtp_server))
    assert "(om 1 dag)" in first
    assert "1 dag sent" in second and "1 dagar" not in second


def test_no_reminder_once_the_investigation_is_sent(notified, app, smtp_server):
    with clock.frozen(datetime(2026, 5, 10, 9, 0)):
        notification.record_investigation_sent(user("sara"), **loaded(notified), sent_on=date(2026, 5, 10))
    _remind(app, date(2026, 5, 19))
    assert _reminders(smtp_server) == []


def test_every_officer_gets_one_digest_of_every_due_case(notified, app, smtp_server):
    other = protect(make_case(unit_name="HVB Solrosen"))
    judge(other)
    draft(other)
    notify(other, sent_on=date(2026, 3, 18), reference="8.5.1-2/2026")
    _remind(app, date(2026, 5, 15))
    [message] = _reminders(smtp_server)
    body = message.get_body(("plain",)).get_content()
    assert body.index(other.reference) < body.index(notified.reference)  # the earliest deadline first
    assert smtp_server.to("erik@varna.example") == []  # investigators are not officers


def test_imported_history_is_never_due_nor_on_the_desk(notified, app, smtp_server):
    # Cases brought in from earlier years are closed history: no reminders, nothing to do.
    assert officers_desk.due_investigations(date(2026, 6, 1), 7) == [(notified.reference, date(2026, 5, 20))]
    notified.imported = True
    db.session.commit()
    assert officers_desk.due_investigations(date(2026, 6, 1), 7) == []
    assert _remind(app, date(2026, 6, 1)) and _reminders(smtp_server) == []
    desk = officers_desk.desk(user("sara"))
    assert all(desk[name]["count"] == 0 for name in officers_desk.DESK_LISTS)
