"""`flask remind`: the daily reminders. Run it once a day (cron, a systemd timer); running
it again the same day sends nothing new.

Each feature adds its part to REMINDERS as "module:function". The function takes the day
(Europe/Stockholm) and returns one line for the output; it queues and sends its own
e-mails and remembers per person and day what it sent, so that it is idempotent per day.
"""

from importlib import import_module

import click
from flask.cli import with_appcontext

from app.clock import today_local

REMINDERS = [
    "app.actions.reminders:send_action_reminders",
    "app.lexsarah.reminders:send_ivo_reminders",
    "app.cases.deadline_reminders:send_deadline_reminders",
]


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
