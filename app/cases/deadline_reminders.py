"""The cases' part of `flask remind`: once a day, each person gets one e-mail listing the
cases that are past a deadline.

Who gets what:
- a case with a handler: the handler;
- a case without one: those who would be told of it as a new case (app.cases.filing:
  the investigators of its unit and the units above; for lex Sarah also the officers,
  and only them when the reporter bypassed the nearest manager; the officers when
  nobody investigates the unit), each only if the permission function lets them work it.

Idempotent per day: a row per person and day (DeadlineReminderSent) is written in the
same transaction that queues the e-mail, so a second run that day sends nothing. The
e-mail carries references, kinds, steps, dates and links, never what the case is about.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit, mailer
from app.auth.models import User
from app.auth.permissions import Action, can
from app.cases.deadlines import StepDeadline, end_of_day, rules, step_deadlines
from app.cases.models import Case, DeadlineReminderSent
from app.clock import today_local
from app.extensions import db
from app.labels import KIND_LABELS
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
             .options(selectinload(Case.unit), selectinload(Case.disqualifications), selectinload(Case.complaint),
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


def digest(user: User, mine: list[Overdue], unassigned: list[Overdue], today: date) -> tuple[str, str]:
    """(subject, body) in Swedish."""
    with force_locale("sv"):
        subject = _("Värna: försenade ärenden %(date)s", date=today.isoformat())
        parts = [_("Hej %(name)s!", name=user.full_name.split(" ")[0]), ""]
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
    return subject, "\n".join(parts) + "\n"


def send_deadline_reminders(today: date | None = None) -> str:
    """Queue and send today's digests; returns a line for the command's output."""
    today = today or today_local()
    lists = recipients(overdue_cases(today))
    if not lists:
        return "Cases: nothing overdue."
    already = set(db.session.scalars(select(DeadlineReminderSent.user_id).where(DeadlineReminderSent.day == today)))
    people = db.session.scalars(select(User).where(User.id.in_(lists)).order_by(User.id))
    queued, skipped = [], 0
    for user in people:
        if user.id in already or not user.email:
            skipped += 1
            continue
        mine, unassigned = lists[user.id]["mine"], lists[user.id]["unassigned"]
        subject, body = digest(user, mine, unassigned, today)
        queued.append(mailer.queue_email([user.email], subject, body))
        db.session.add(DeadlineReminderSent(user_id=user.id, day=today, case_count=len(mine) + len(unassigned)))
        audit.record("cases.deadline_reminder_queued", object_type="user", object_id=user.id,
                     detail={"day": today.isoformat(),
                             "references": [item.case.reference for item in mine + unassigned]})
    try:
        db.session.commit()
    except IntegrityError:
        # Another run got there first today; it sends them.
        db.session.rollback()
        return "Cases: another run already sent today's reminders."
    sent, failed = mailer.outcome([m.id for m in queued if m is not None])  # delivered at the commit
    return f"Cases: {len(queued)} digests queued, {sent} sent, {failed} failed, {skipped} skipped."
