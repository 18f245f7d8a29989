"""The actions' part of `flask remind`: once a day, each person gets one e-mail listing
their overdue actions and their done actions waiting for follow-up.

Who gets what:
- overdue (planned or in progress, due date passed): the person responsible;
- waiting for follow-up (done more than ACTION_FOLLOW_UP_DAYS days ago, no follow-up):
  the person responsible and the person who added the action (who usually follows up).

Idempotent per day: a row per person and day (ActionReminderSent) is written in the
same transaction that queues the e-mail, so a second run that day finds it and sends
nothing. The e-mail carries references, types, dates and links, never descriptions.
"""

from collections import defaultdict
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import mailer
from app.actions.models import ActionReminderSent, CaseAction
from app.actions.queries import follow_up_condition, follow_up_days, overdue_condition
from app.auth.models import User
from app.clock import today_local
from app.extensions import db
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


def digest(user: User, overdue: list[CaseAction], follow_up: list[CaseAction], today: date) -> tuple[str, str]:
    """(subject, body) in Swedish."""
    with force_locale("sv"):
        subject = _("Värna: dina åtgärder %(date)s", date=today.isoformat())
        parts = [_("Hej %(name)s!", name=user.full_name.split(" ")[0]), ""]
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
    return subject, "\n".join(parts) + "\n"


def send_action_reminders(today: date | None = None) -> str:
    """Queue and send today's digests; returns a line for the command's output."""
    today = today or today_local()
    reminders = due_reminders(today)
    if not reminders:
        return "Actions: nothing overdue or waiting for follow-up."
    already = set(db.session.scalars(select(ActionReminderSent.user_id).where(ActionReminderSent.day == today)))
    people = db.session.scalars(select(User).where(User.id.in_(reminders), User.active).order_by(User.id))
    queued, skipped = [], 0
    for user in people:
        if user.id in already or not user.email:
            skipped += 1
            continue
        lists = reminders[user.id]
        subject, body = digest(user, lists["overdue"], lists["follow_up"], today)
        message = mailer.queue_email([user.email], subject, body)
        db.session.add(ActionReminderSent(user_id=user.id, day=today, overdue_count=len(lists["overdue"]),
                                          follow_up_count=len(lists["follow_up"])))
        queued.append(message)
    try:
        db.session.commit()
    except IntegrityError:
        # Another run got there first today; it sends them.
        db.session.rollback()
        return "Actions: another run already sent today's reminders."
    sent, failed = mailer.outcome([m.id for m in queued if m is not None])  # delivered at the commit
    return f"Actions: {len(queued)} digests queued, {sent} sent, {failed} failed, {skipped} skipped."
