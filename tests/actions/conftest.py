"""Cases and actions for the action tests, made the way the application makes them."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.actions import services
from app.actions.models import ActionType, CaseAction
from app.auth.models import User
from app.cases.filing import open_case
from app.cases.models import Case
from app.extensions import db
from app.org.models import Unit

# The report date of every case made here, unless a test says otherwise.
REPORTED = datetime(2026, 3, 2, 9, 0)  # 10:00 in Stockholm
REPORT_DAY = date(2026, 3, 2)
SOON = datetime(2026, 3, 10, 9, 0)


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def unit(name: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.name == name))


def action_type(name: str) -> ActionType:
    return db.session.scalar(select(ActionType).where(ActionType.name == name))


def make_case(kind: str = "deviation", unit_name: str = "Boendestöd", *, reporter: str | None = "anna",
              status: str = "investigating", reported: datetime = REPORTED, **fields) -> Case:
    """A case filed through open_case, then put in `status` directly (test setup)."""
    fields.setdefault("summary", "Uteblivet besök")
    fields.setdefault("description", "Ett planerat besök blev inte av.")
    with clock.frozen(reported):
        case = open_case(kind=kind, unit=unit(unit_name), reporter=user(reporter) if reporter else None,
                         categories=[], **fields)
    case.status = status
    db.session.commit()
    return case


def add(case: Case, *, by: str = "erik", responsible: str = "erik", type_name: str = "Utbildning",
        due_on: date = date(2026, 4, 1), description: str = "Utbildning i dokumentation för personalgruppen.",
        at: datetime = SOON) -> CaseAction:
    with clock.frozen(at):
        return services.add_action(user(by), case.reference, type_id=action_type(type_name).id, description=description,
                                   responsible_id=user(responsible).id, due_on=due_on)


@pytest.fixture
def case(demo):
    return make_case()
