"""The authority's deadlines: a last day on a weekend or holiday moves to the next working day
(as every deadline in Värna), the case's next deadline, extensions, and the daily digest."""

from datetime import date

import pytest
from sqlalchemy import select

from app.cases.deadlines.services import end_of_day
from app.cases.models import NO_DEADLINE
from app.extensions import db
from app.mailer import OutgoingMail
from app.reminders import run_reminders
from app.supervision import services
from app.supervision.deadlines import last_day
from app.supervision.models import SupervisionRequest
from tests.cases.helpers import reload, user
from tests.supervision.helpers import at, register


def _request(case, *, requested_on, due_on, by="sara"):
    with at(requested_on):
        return services.record_request(user(by), case.reference, purpose="statement", requested_on=requested_on,
                                       due_on=due_on, text="", expected_version=reload(case).version)


@pytest.mark.parametrize(("due_on", "last"), [
    (date(2026, 3, 27), date(2026, 3, 27)),   # a Friday: that day
    (date(2026, 3, 28), date(2026, 3, 30)),   # a Saturday: the Monday after
    (date(2026, 4, 3), date(2026, 4, 7)),     # Good Friday: past Easter Monday to Tuesday
    (date(2026, 6, 19), date(2026, 6, 22)),   # midsommarafton (de facto a holiday): Monday
    (date(2026, 12, 24), date(2026, 12, 28)), # julafton, juldagen, annandag jul, then Sunday
])
def test_the_last_day_is_the_next_working_day(demo, due_on, last):
    case = register(on=date(2026, 3, 2))
    request = _request(case, requested_on=date(2026, 3, 2), due_on=due_on)
    assert last_day(request) == last
    assert reload(case).next_deadline_at == end_of_day(last)


def test_the_next_deadline_is_the_nearest_open_request_and_none_once_answered(demo):
    case = register(on=date(2026, 3, 2))
    assert reload(case).next_deadline_at == NO_DEADLINE
    first = _request(case, requested_on=date(2026, 3, 2), due_on=date(2026, 3, 20))
    _request(case, requested_on=date(2026, 3, 4), due_on=date(2026, 3, 13))
    assert reload(case).next_deadline_at == end_of_day(date(2026, 3, 13))
    second = db.session.scalar(select(SupervisionRequest).order_by(SupervisionRequest.id.desc()))
    with at(date(2026, 3, 12)):
        services.record_reply(user("sara"), case.reference, request_id=second.id, replied_on=date(2026, 3, 12),
                              channel="email", signed_by="Sara", note="", expected_version=reload(case).version)
    assert reload(case).next_deadline_at == end_of_day(date(2026, 3, 20))
    assert reload(case).status == "answering"  # the first request is still open
    with at(date(2026, 3, 19)):
        services.record_reply(user("sara"), case.reference, request_id=first.id, replied_on=date(2026, 3, 19),
                              channel="email", signed_by="Sara", note="", expected_version=reload(case).version)
    assert reload(case).next_deadline_at == NO_DEADLINE
    assert reload(case).status == "awaiting_decision"


def test_an_extension_moves_the_deadline_and_must_be_later(demo):
    case = register(on=date(2026, 3, 2))
    request = _request(case, requested_on=date(2026, 3, 2), due_on=date(2026, 3, 20))
    with at(date(2026, 3, 10)):
        with pytest.raises(services.SupervisionError) as refused:
            services.extend_deadline(user("sara"), case.reference, request_id=request.id,
                                     new_due_on=date(2026, 3, 20), note="", expected_version=reload(case).version)
        assert "senare än den nuvarande (2026-03-20)" in refused.value.errors["new_due_on"]
        services.extend_deadline(user("sara"), case.reference, request_id=request.id, new_due_on=date(2026, 4, 3),
                                 note="Beviljad per telefon.", expected_version=reload(case).version)
    request = db.session.get(SupervisionRequest, request.id)
    assert (request.due_on, request.extended_due_on, last_day(request)) == (
        date(2026, 3, 20), date(2026, 4, 3), date(2026, 4, 7))
    assert reload(case).next_deadline_at == end_of_day(date(2026, 4, 7))
    assert [e.event for e in reload(case).journal][-1] == "supervision_extended"


def _digests(today):
    with at(today, 6):
        run_reminders(today, only=["supervision"])
    return {m.recipients: m for m in db.session.scalars(select(OutgoingMail)) if m.subject.startswith("Värna:")}


def test_the_digest_names_a_deadline_three_working_days_ahead_counting_over_easter(demo):
    case = register(on=date(2026, 3, 2), units=("Boendestöd",))
    _request(case, requested_on=date(2026, 3, 2), due_on=date(2026, 4, 7))
    # Thursday 26 March: 27 March, 30 and 31 March are the three working days ahead; 7 April is not near.
    assert _digests(date(2026, 3, 26)) == {}
    # Wednesday 1 April: 2 April, then Good Friday and Easter Monday are holidays: 7 and 8 April.
    mails = _digests(date(2026, 4, 1))
    # No handler: those who may work it (erik for Vuxna, the officer), not ulla (Unga) nor the admin.
    assert set(mails) == {"erik@varna.example", "sara@varna.example"}
    body = mails["erik@varna.example"].body
    assert f"{case.reference}: Yttrande senast 2026-04-07 (om 6 dagar)" in body
    assert "Inspektion" not in body  # references and dates, never what it is about


def test_the_handler_alone_is_reminded_and_an_overdue_request_every_day(demo):
    case = register(on=date(2026, 3, 2), units=("Boendestöd",))
    _request(case, requested_on=date(2026, 3, 2), due_on=date(2026, 3, 14))  # a Saturday: Monday 16 March
    case = reload(case)
    case.assigned_to = user("erik")
    db.session.commit()
    mails = _digests(date(2026, 3, 18))
    assert set(mails) == {"erik@varna.example"}
    assert "senast 2026-03-16 (2 dagar sen)" in mails["erik@varna.example"].body
