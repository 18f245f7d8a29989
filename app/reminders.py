"""`flask remind`: the daily reminders. Run it once a day (cron, a systemd timer); running
it again the same day sends nothing new.

Each feature adds its part to REMINDERS as "module:function". The function takes the day
(Europe/Stockholm) and returns one line for the output; it queues and sends its own
e-mails and remembers per person and day what it sent, so that it is idempotent per day.
"""

from datetime import datetime
from importlib import import_module

import click
from flask.cli import with_appcontext
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import today_local, utcnow
from app.extensions import db

REMINDERS = [
    "app.actions.reminders:send_action_reminders",
    "app.lexsarah.reminders:send_ivo_reminders",
    "app.cases.deadline_reminders:send_deadline_reminders",
]


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


def run_reminders(today=None) -> list[str]:
    today = today or today_local()
    lines = []
    for path in REMINDERS:
        module, _, function = path.partition(":")
        lines.append(getattr(import_module(module), function)(today))
    return lines


@click.command("remind")
@with_appcontext
def remind_command():
    """Send today's reminders (overdue actions, follow-ups, ...); idempotent per day."""
    for line in run_reminders():
        click.echo(line)
    # After the run, so a run that crashed half-way does not look like a good one.
    record_run("remind")
