"""Lists of supervision cases: the overview, the officer's desk and the handler's start page.
Supervision cases are few (a handful a year), so the permission function filters them in
Python rather than as SQL."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.permissions import Action, can
from app.cases.models import Case
from app.clock import today_local
from app.extensions import db
from app.supervision.deadlines import last_day
from app.supervision.models import SupervisionDetails, SupervisionRequest, supervision_links
from app.workflow import Kind, Status


@dataclass
class Row:
    case: Case
    open_requests: list[SupervisionRequest]

    @property
    def next_day(self) -> date | None:
        return min((last_day(r) for r in self.open_requests), default=None)

    def overdue(self, today: date) -> bool:
        return self.next_day is not None and self.next_day < today


_OPEN_SUPERVISION_CASES: list = []  # the statement, built on first use (Case.supervision is mapped later)


def open_supervision_cases() -> list[Case]:
    # Built once: the start page of everyone who may view the queue asks for it, and building the
    # statement and its cache key cost more than answering it (the open supervision cases are a handful).
    if not _OPEN_SUPERVISION_CASES:
        _OPEN_SUPERVISION_CASES.append(
            select(Case).where(Case.kind == Kind.SUPERVISION, Case.status != Status.CLOSED)
            .options(selectinload(Case.unit), selectinload(Case.disqualifications), selectinload(Case.assigned_to),
                     selectinload(Case.supervision).selectinload(SupervisionDetails.requests))
            .order_by(Case.next_deadline_at, Case.id))
    return list(db.session.scalars(_OPEN_SUPERVISION_CASES[0]))


def open_cases(actor, *, working: bool = False) -> list[Row]:
    """The open supervision cases the person sees (or, `working`, may work), nearest deadline first."""
    action = Action.WORK_CASE if working else Action.VIEW_CASE
    return [Row(case, [r for r in case.supervision.requests if r.is_open])
            for case in open_supervision_cases() if can(actor, action, case)]


def deadlines_for(actor) -> list[tuple[Row, SupervisionRequest]]:
    """The unanswered requests of the cases this person works (the start page and the desk):
    their own cases, and those without a handler."""
    found = []
    for row in open_cases(actor, working=True):
        if row.case.assigned_to_id not in (None, actor.id):
            continue
        found += [(row, r) for r in row.open_requests]
    return sorted(found, key=lambda pair: (last_day(pair[1]), pair[0].case.id))


def today() -> date:
    return today_local()


def linked_to_report(actor, case: Case, _moves=(), _args=None) -> dict | None:
    """The lex Sarah report's panel of IVO's supervision: the supervision cases linked to the report
    that this person may see, and whether they may start registering one about it (the officer:
    registering supervision, and IVO's side of this report). None when there is nothing to show."""
    rows = db.session.execute(
        select(Case, SupervisionDetails).join(SupervisionDetails, SupervisionDetails.case_id == Case.id)
        .join(supervision_links, supervision_links.c.case_id == Case.id)
        .where(supervision_links.c.linked_case_id == case.id).order_by(Case.id)).all()
    cases = [(linked, details) for linked, details in rows if can(actor, Action.VIEW_CASE, linked)]
    may_register = can(actor, Action.REGISTER_SUPERVISION) and can(actor, Action.NOTIFY_IVO, case)
    if not cases and not may_register:
        return None
    return {"cases": cases, "may_register": may_register}
