"""The cases' part of `flask remind`: once a day, each person gets one e-mail listing the
cases that are past a deadline.

Who gets what:
- a case with a handler: the handler;
- a case without one: those who would be told of it as a new case (app.cases.filing:
  the investigators of its unit and the units above; for lex Sarah also the officers,
  and only them when the reporter bypassed the nearest manager; the officers when
  nobody investigates the unit), each only if the permission function lets them work it.

The engine in app/reminders.py puts this section into each person's one digest of the
day and remembers what it sent. The e-mail carries references, kinds, steps, dates and
links, never what the case is about.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit
from app.auth.models import User
from app.auth.permissions import Action, can
from app.cases.deadlines.services import StepDeadline, end_of_day, rules, step_deadlines
from app.cases.models import Case
from app.extensions import db
from app.labels import KIND_LABELS
from app.reminders import Section
from app.urls import external_url
from app.workflow import Kind


@dataclass
class Overdue:
    case: Case
    steps: list[StepDeadline]


def overdue_cases(today: date) -> list[Overdue]:
    """Open cases with a step whose last day was before `today`, oldest deadline first."""
    cutoff = end_of_day(today - timedelta(days=1))
    query = (select(Case).where(Case.next_deadline_at <= cutoff)
             .options(selectinload(Case.unit), selectinload(Case.disqualifications), selectinload(Case.concerned),
                      selectinload(Case.complaint),
                      selectinload(Case.assigned_to))
             .order_by(Case.next_deadline_at, Case.id))
    table = rules()
    found = []
    for case in db.session.scalars(query):
        steps = [d for d in step_deadlines(case, table) if d.state == "running" and d.due_at <= cutoff]
        if steps:
            found.append(Overdue(case, steps))
    return found


def recipients(overdue: list[Overdue]) -> dict[int, dict[str, list[Overdue]]]:
    """Per user id: {"mine": [...], "unassigned": [...]}."""
    people = list(db.session.scalars(select(User).where(User.active, User.role.in_(("investigator", "officer")))
                                     .options(selectinload(User.units))))
    investigators = [u for u in people if u.role == "investigator"]
    officers = [u for u in people if u.role == "officer"]
    found: dict[int, dict[str, list[Overdue]]] = defaultdict(lambda: {"mine": [], "unassigned": []})
    for item in overdue:
        case = item.case
        handler = case.assigned_to
        if handler is not None and handler.active and can(handler, Action.WORK_CASE, case):
            found[handler.id]["mine"].append(item)
            continue
        told = [u for u in investigators if can(u, Action.WORK_CASE, case)]
        if case.kind == Kind.LEX_SARAH or not told:
            told += [u for u in officers if can(u, Action.WORK_CASE, case)]
        for person in told:
            found[person.id]["unassigned"].append(item)
    return dict(found)


def _line(item: Overdue, today: date) -> str:
    steps = "; ".join(ngettext("%(step)s senast %(date)s (%(num)d dag sen)",
                               "%(step)s senast %(date)s (%(num)d dagar sen)",
                               (today - d.due_on).days, step=d.label, date=d.due_on.isoformat())
                      for d in item.steps)
    link = external_url("cases.case", reference=item.case.reference)
    return f"- {item.case.reference} ({KIND_LABELS[item.case.kind]}): {steps} {link}"


def due_items(today: date):
    """(user, ("mine" | "unassigned", Overdue)) for every person told of an overdue case."""
    lists = recipients(overdue_cases(today))
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(lists)))}
    for user_id, found in lists.items():
        for which in ("mine", "unassigned"):
            for item in found[which]:
                yield people[user_id], (which, item)


def render(user: User, items: list, today: date) -> tuple[str, list[str]]:
    """(subject when alone, lines) in Swedish."""
    mine = [item for which, item in items if which == "mine"]
    unassigned = [item for which, item in items if which == "unassigned"]
    subject = _("Värna: försenade ärenden %(date)s", date=today.isoformat())
    parts = []
    if mine:
        parts.append(_("Ärenden där du är handläggare och en tidsfrist har gått ut (%(n)d):", n=len(mine)))
        parts += [_line(item, today) for item in mine]
        parts.append("")
    if unassigned:
        parts.append(_("Ärenden utan handläggare där en tidsfrist har gått ut (%(n)d):", n=len(unassigned)))
        parts += [_line(item, today) for item in unassigned]
        parts.append("")
    parts.append(_("Alla försenade ärenden: %(link)s",
                   link=external_url("cases.queue", overdue="y", sort="deadline")))
    return subject, parts


def record(user: User, items: list, today: date) -> None:
    audit.record("cases.deadline_reminder_queued", object_type="user", object_id=user.id,
                 detail={"day": today.isoformat(), "references": [item.case.reference for _w, item in items]})


SECTION = Section(name="cases", label="Cases", nothing="Cases: nothing overdue.",
                  due_items=due_items, render=render, record=record)
