"""A supervision case's deadlines: the dates the authority sets, one per request and one for
the report-back. The authority sets the day; when that day is a Saturday, Sunday or holiday
the reply is on time on the next working day (lag (1930:173) om beräkning av lagstadgad tid,
the same rule as app/cases/deadlines/services.py)."""

from datetime import date, datetime

from sqlalchemy import select

from app.cases.deadlines.services import end_of_day, next_working_day
from app.cases.models import NO_DEADLINE
from app.extensions import db
from app.supervision.models import SupervisionRequest


def last_day(request: SupervisionRequest) -> date:
    """The last day the reply is on time."""
    return next_working_day(request.deadline)


def open_requests(case_id: int, session=None) -> list[SupervisionRequest]:
    session = session or db.session
    with session.no_autoflush:
        return list(session.scalars(select(SupervisionRequest).where(
            SupervisionRequest.case_id == case_id, SupervisionRequest.replied_on.is_(None))
            .order_by(SupervisionRequest.id)))


def next_deadline(case, session=None) -> datetime:
    """Case.next_deadline_at of a supervision case: the end of the nearest last day of an
    unanswered request (app/cases/deadlines/services.py: next_deadline_for asks this)."""
    if case.id is None:
        return NO_DEADLINE
    return min((end_of_day(last_day(r)) for r in open_requests(case.id, session)), default=NO_DEADLINE)
