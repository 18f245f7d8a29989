"""The immediate protection's deadline is a real deadline step (issue 13 point 2): the day after the
report came in (a weekend day included: "omedelbart" does not wait for Monday) sets the case's
next deadline, the queue's "overdue" filter and the handler's reminders while the protection is not
recorded; the desk, the case page and the officers' digest show the same day."""

from datetime import date, datetime

import pytest

from app import clock
from app.cases.deadlines import reminders as case_reminders
from app.cases.deadlines.services import end_of_day, recompute_open_cases, step_deadlines
from app.cases.queue.services import QueueFilters, queue_page
from app.extensions import db
from app.lexsarah import desk as officers_desk
from app.lexsarah import protection
from tests.lexsarah.helpers import make_case, protect, reload, user

FRIDAY = datetime(2026, 3, 6, 9, 0)  # 10:00 in Stockholm, a Friday
SATURDAY, MONDAY = date(2026, 3, 7), date(2026, 3, 9)


@pytest.fixture
def case(demo):
    return make_case("received", reported=FRIDAY)


def _steps(case):
    return {d.step: d for d in step_deadlines(reload(case))}


def test_the_protection_is_a_step_due_the_day_after_receipt(case):
    steps = _steps(case)
    assert list(steps) == ["protection", "triage", "investigation"]
    assert (steps["protection"].due_on, steps["protection"].state) == (SATURDAY, "running")
    assert steps["protection"].label == "Omedelbart skydd registrerat"
    assert steps["triage"].due_on == MONDAY
    assert reload(case).next_deadline_at == end_of_day(SATURDAY)
    # The desk, the case page's helper and the officers' digest name the same day.
    assert protection.due_on(reload(case)) == SATURDAY
    with clock.frozen(FRIDAY):
        desk = officers_desk.desk(user("sara"))
        duties = officers_desk.due_duties(FRIDAY.date(), 7)
    assert desk["protection_missing"]["rows"][0]["protection_due_on"] == SATURDAY
    assert duties == [("protection", case.reference, SATURDAY)]


def test_recording_the_protection_ends_the_step(case):
    protect(case)
    steps = _steps(case)
    assert steps["protection"].state == "done"
    assert reload(case).next_deadline_at == end_of_day(MONDAY)  # now the triage's


def test_the_queue_shows_it_overdue_and_the_handler_is_reminded(case):
    sunday = datetime(2026, 3, 8, 9, 0)
    with clock.frozen(sunday):
        page = queue_page(user("erik"), QueueFilters(overdue=True))
    assert page.ids == [case.id]
    overdue = case_reminders.overdue_cases(sunday.date())
    assert [(o.case.reference, [d.step for d in o.steps]) for o in overdue] == [(case.reference, ["protection"])]
    protect(case)
    with clock.frozen(sunday):
        assert queue_page(user("erik"), QueueFilters(overdue=True)).ids == []


def test_recomputing_the_open_cases_keeps_it(case):
    reload(case).next_deadline_at = end_of_day(MONDAY)
    db.session.commit()
    recompute_open_cases()
    db.session.commit()
    assert reload(case).next_deadline_at == end_of_day(SATURDAY)


def test_a_closed_report_has_no_protection_deadline(demo):
    closed = make_case("closed", reported=FRIDAY)
    assert _steps(closed)["protection"].state == "done"
