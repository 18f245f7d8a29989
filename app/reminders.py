"""`flask remind`: the daily reminders, one engine for every feature. Run it once a day
(cron, a systemd timer); running it again the same day sends nothing new.

Each feature adds one `Section` to SECTIONS as "module:NAME". A section knows only its own
rules: `due_items(today)` yields (user, item) pairs, `render` turns one person's items into
the lines of its part of the e-mail, and `record` (optional) writes the feature's audit
entry. The engine does the rest, the same way for every feature:

- one e-mail per person per day, combining every section due for them (the README's
  promise: before, each feature sent its own mail, so one person could get three);
- at most one digest per person per day: a person with a row in `reminder_log` for the day
  gets nothing more that day, whatever has become due since;
- one `reminder_log` row per person, day and section in the same transaction that queues
  the e-mail (primary key user/day/section), so a second run, even a concurrent one, sends
  nothing twice;
- the e-mail goes through app.mailer.queue_email and is delivered after the commit.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from importlib import import_module
from typing import Any

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Date, ForeignKey, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app import mailer
from app.clock import today_local, utcnow
from app.extensions import db

SECTIONS = [
    "app.cases.deadlines.reminders:SECTION",
    "app.lexsarah.reminders:SECTION",
    "app.lexsarah.reminders:DUTIES_SECTION",
    "app.actions.reminders:SECTION",
    "app.actions.reminders:DUE_SOON_SECTION",
    "app.supervision.reminders:SECTION",
]


@dataclass(frozen=True)
class Section:
    name: str          # stored in reminder_log.section; never change it (the log would forget)
    label: str         # the command's output: "Cases: ..."
    nothing: str       # the command's output when nothing is due
    due_items: Callable[[date], Iterable[tuple[Any, Any]]]
    # (user, their items, today) -> (the subject when this is the only section, the lines)
    render: Callable[[Any, list, date], tuple[str, list[str]]]
    record: Callable[[Any, list, date], None] | None = None


class ReminderLog(db.Model):
    """What was reminded to whom on which day: one row per person, day and section of the
    digest. `flask remind` run twice on the same day sends nothing the second time."""

    __tablename__ = "reminder_log"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    section: Mapped[str] = mapped_column(String(20), primary_key=True)
    item_count: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobRun(db.Model):
    """When a scheduled command last ran, one row per command; /healthz shows it, so a cron job
    that silently stopped is noticed."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    last_run_at: Mapped[datetime]


def record_run(name: str) -> None:
    row = db.session.get(JobRun, name)
    if row is None:
        db.session.add(JobRun(name=name, last_run_at=utcnow()))
    else:
        row.last_run_at = utcnow()
    db.session.commit()


def last_run(name: str) -> datetime | None:
    return db.session.scalar(select(JobRun.last_run_at).where(JobRun.name == name))


def sections(only: Iterable[str] | None = None) -> list[Section]:
    found = []
    for path in SECTIONS:
        module, _sep, name = path.partition(":")
        section = getattr(import_module(module), name)
        if only is None or section.name in only:
            found.append(section)
    return found


def digest(user, parts: list[tuple[Section, list]], today: date) -> tuple[str, str]:
    """(subject, body) in Swedish: a greeting, then each section's lines."""
    with force_locale("sv"):
        lines = [_("Hej %(name)s!", name=user.full_name.split(" ")[0]), ""]
        subjects = []
        for section, items in parts:
            subject, section_lines = section.render(user, items, today)
            subjects.append(subject)
            lines += [*section_lines, ""]
        subject = subjects[0] if len(subjects) == 1 else _("Värna: påminnelser %(date)s", date=today.isoformat())
    return subject, "\n".join(lines).rstrip("\n") + "\n"


def run_reminders(today: date | None = None, only: Iterable[str] | None = None) -> list[str]:
    """Queue and send today's digests; returns the lines for the command's output. `only`:
    section names, to run some of them (tests)."""
    today = today or today_local()
    chosen = sections(only)
    due: dict[int, list[tuple[Section, list]]] = defaultdict(list)
    users: dict[int, Any] = {}
    lines, counted = {}, {}
    for section in chosen:
        items_of: dict[int, list] = {}
        for user, item in section.due_items(today):
            users[user.id] = user
            items_of.setdefault(user.id, []).append(item)
        for user_id, items in items_of.items():
            due[user_id].append((section, items))
        if not items_of:
            lines[section.name] = section.nothing
        else:
            counted[section.name] = {"queued": [], "skipped": 0}
    already = set(db.session.scalars(select(ReminderLog.user_id).where(ReminderLog.day == today)))
    queued = []
    for user_id in sorted(due):
        user, parts = users[user_id], due[user_id]
        if user_id in already or not user.active or not user.email:
            for section, _items in parts:
                counted[section.name]["skipped"] += 1
            continue
        subject, body = digest(user, parts, today)
        message = mailer.queue_email([user.email], subject, body)
        queued.append(message)
        for section, items in parts:
            db.session.add(ReminderLog(user_id=user_id, day=today, section=section.name, item_count=len(items)))
            if section.record is not None:
                section.record(user, items, today)
            counted[section.name]["queued"].append(message)
    try:
        db.session.commit()
    except IntegrityError:
        # Another run got there first today; it sends them.
        db.session.rollback()
        return [f"{section.label}: another run already sent today's reminders." for section in chosen]
    # The mails were delivered at the commit (the mailer's after-commit hook).
    for section in chosen:
        if section.name in lines:
            continue
        messages = [m for m in counted[section.name]["queued"] if m is not None]
        sent, failed = mailer.outcome([m.id for m in messages])
        lines[section.name] = (f"{section.label}: {len(counted[section.name]['queued'])} digests queued, {sent} sent, "
                               f"{failed} failed, {counted[section.name]['skipped']} skipped.")
    return [lines[section.name] for section in chosen]


@click.command("remind")
@with_appcontext
def remind_command():
    """Send today's reminders (overdue cases and actions, IVO deadlines, ...), one digest per
    person; idempotent per day."""
    for line in run_reminders():
        click.echo(line)
    # After the run, so a run that crashed half-way does not look like a good one.
    record_run("remind")
