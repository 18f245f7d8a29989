"""The supervision cases' part of `flask remind`: the authority's deadlines (requests and the
report-back) that fall within the next few working days or have passed.

Who is told: the case's handler; a case without one goes to those who may work it (the
investigators of its unit and above, and the officers). The engine (app/reminders.py) puts
this into each person's one digest of the day. The e-mail carries references, what is asked,
dates and links, never what the supervision is about."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit
from app.auth.models import User
from app.auth.permissions import Action, can
from app.cases.deadlines.services import add_working_days
from app.extensions import db
from app.reminders import Section
from app.supervision import queries
from app.supervision.deadlines import last_day
from app.supervision.labels import PURPOSE_LABELS
from app.urls import external_url
from app.workflow import Kind

# A deadline is reminded of from this many working days before its last day, and every day after.
WORKING_DAYS_AHEAD = 3


def due_items(today: date):
    """(user, (case, request)) for each unanswered request whose last day is near or past."""
    horizon = add_working_days(today, WORKING_DAYS_AHEAD)
    people = list(_people())
    for case in queries.open_supervision_cases():
        due = [r for r in case.supervision.requests if r.is_open and last_day(r) <= horizon]
        if not due:
            continue
        handler = case.assigned_to
        if handler is not None and handler.active and can(handler, Action.WORK_CASE, case):
            told = [handler]
        else:
            told = [u for u in people if can(u, Action.WORK_CASE, case)]
        for person in told:
            for request in due:
                yield person, (case, request)


def _people():
    return db.session.scalars(select(User).where(User.active, User.role.in_(("investigator", "officer")))
                              .options(selectinload(User.units)).order_by(User.id))


def _line(case, request, today: date) -> str:
    day = last_day(request)
    if day < today:
        when = ngettext("%(num)d dag sen", "%(num)d dagar sen", (today - day).days)
    elif day == today:
        when = _("i dag")
    else:
        when = ngettext("om %(num)d dag", "om %(num)d dagar", (day - today).days)
    link = external_url("cases.case", reference=case.reference)
    return _("- %(ref)s: %(what)s senast %(date)s (%(when)s) %(link)s", ref=case.reference,
             what=PURPOSE_LABELS[request.purpose], date=day.isoformat(), when=when, link=link)


def render(user: User, items: list, today: date) -> tuple[str, list[str]]:
    subject = _("Värna: svar till tillsynsmyndigheten %(date)s", date=today.isoformat())
    lines = [_("Tillsynsärenden där myndighetens tidsfrist snart går ut eller har gått ut (%(n)d):", n=len(items))]
    lines += [_line(case, request, today) for case, request in items]
    return subject, lines


def record(user: User, items: list, today: date) -> None:
    audit.record("supervision.reminder_queued", object_type="user", object_id=user.id,
                 detail={"day": today.isoformat(), "references": sorted({case.reference for case, _r in items})})


SECTION = Section(name=Kind.SUPERVISION.value, label="Supervision", nothing="Supervision: no deadline near.",
                  due_items=due_items, render=render, record=record)
