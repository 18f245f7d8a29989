"""The actions' part of `flask remind`: once a day, each person gets one e-mail listing
their overdue actions and their done actions waiting for follow-up.

Who gets what:
- overdue (planned or in progress, due date passed): the person responsible;
- waiting for follow-up (done more than ACTION_FOLLOW_UP_DAYS days ago, no follow-up):
  the person responsible and the person who added the action (who usually follows up).

The engine in app/reminders.py puts this section into each person's one digest of the
day and remembers what it sent. The e-mail carries references, types, dates and links,
never descriptions.
"""

from collections import defaultdict
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.actions.models import CaseAction
from app.actions.queries import OPEN_VALUES, follow_up_condition, follow_up_days, overdue_condition
from app.auth.models import User
from app.extensions import db
from app.reminders import Section
from app.urls import external_url


def due_reminders(today: date) -> dict[int, dict[str, list[CaseAction]]]:
    """Per user id: {"overdue": [...], "follow_up": [...]} (only people with something in either)."""
    found: dict[int, dict[str, list[CaseAction]]] = defaultdict(lambda: {"overdue": [], "follow_up": []})
    load = (joinedload(CaseAction.case), joinedload(CaseAction.type))
    overdue = select(CaseAction).where(overdue_condition(today)).options(*load).order_by(
        CaseAction.due_on, CaseAction.id)
    for action in db.session.scalars(overdue).unique():
        found[action.responsible_id]["overdue"].append(action)
    waiting = select(CaseAction).where(follow_up_condition(today)).options(*load).order_by(
        CaseAction.completed_on, CaseAction.id)
    for action in db.session.scalars(waiting).unique():
        for person in {action.responsible_id, action.created_by_id} - {None}:
            found[person]["follow_up"].append(action)
    return dict(found)


def _line(action: CaseAction, when: str) -> str:
    return f"- {action.case.reference}, {action.type.name}, {when}: {external_url('actions.show', action_id=action.id)}"


def due_items(today: date):
    """(user, ("overdue" | "follow_up", action)) for every active person with something due."""
    found = due_reminders(today)
    people = db.session.scalars(select(User).where(User.id.in_(found), User.active).order_by(User.id))
    for user in people:
        for which in ("overdue", "follow_up"):
            for action in found[user.id][which]:
                if user.id not in action.case.concerned_user_ids:  # jäv: never a report about oneself
                    yield user, (which, action)


def render(user: User, items: list, today: date) -> tuple[str, list[str]]:
    """(subject when alone, lines) in Swedish."""
    overdue = [a for which, a in items if which == "overdue"]
    follow_up = [a for which, a in items if which == "follow_up"]
    subject = _("Värna: dina åtgärder %(date)s", date=today.isoformat())
    parts = []
    if overdue:
        parts.append(_("Försenade åtgärder där du är ansvarig (%(n)d):", n=len(overdue)))
        parts += [_line(a, _("skulle vara klar %(date)s", date=a.due_on.isoformat())) for a in overdue]
        parts.append("")
    if follow_up:
        parts.append(_("Genomförda åtgärder som väntar på uppföljning, mer än %(days)d dagar efter att de "
                       "genomfördes (%(n)d):", days=follow_up_days(), n=len(follow_up)))
        parts += [_line(a, _("genomförd %(date)s", date=a.completed_on.isoformat())) for a in follow_up]
        parts.append("")
    parts.append(_("Alla dina åtgärder: %(link)s", link=external_url("actions.mine")))
    parts.append(_("Försenade åtgärder: %(link)s", link=external_url("actions.overdue")))
    return subject, parts


SECTION = Section(name="actions", label="Actions", nothing="Actions: nothing overdue or waiting for follow-up.",
                  due_items=due_items, render=render)


# --- due soon: the person responsible, a week before the due date and on the day ------------------

DUE_SOON_DAYS = 7


def due_soon_items(today: date):
    """(user, action) for every open action due in a week or today, to its (active) responsible person."""
    statement = (select(CaseAction).join(User, User.id == CaseAction.responsible_id)
                 .where(CaseAction.status.in_(OPEN_VALUES), User.active,
                        CaseAction.due_on.in_((today, today + timedelta(days=DUE_SOON_DAYS))))
                 .options(joinedload(CaseAction.case), joinedload(CaseAction.type),
                          joinedload(CaseAction.responsible))
                 .order_by(CaseAction.responsible_id, CaseAction.due_on, CaseAction.id))
    for action in db.session.scalars(statement).unique():
        yield action.responsible, action


def render_due_soon(user: User, items: list, today: date) -> tuple[str, list[str]]:
    """(subject when alone, lines) in Swedish."""
    subject = _("Värna: åtgärder som snart ska vara klara %(date)s", date=today.isoformat())
    lines = [_("Åtgärder där du är ansvarig som ska vara klara i dag eller om en vecka (%(n)d):", n=len(items))]
    lines += [_line(a, _("ska vara klar %(date)s", date=a.due_on.isoformat())) for a in items]
    lines.append(_("Dina åtgärder i Värna: %(link)s", link=external_url("actions.mine")))
    return subject, lines


DUE_SOON_SECTION = Section(name="actions_due", label="Actions due",
                           nothing="Actions due: nothing due today or in a week.",
                           due_items=due_soon_items, render=render_due_soon)
