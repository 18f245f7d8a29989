"""The lex Sarah part of `flask remind`: investigations due to IVO.

After a notification the investigation must reach IVO within two months. Once a day,
every active officer with an e-mail address gets one digest of the investigations due
within IVO_REMINDER_DAYS days (7 unless configured) or already late. The digest carries
references, dates and a link, never descriptions or anything about the client.

The engine in app/reminders.py puts this section into each officer's one digest of the
day and remembers what it sent.
"""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.extensions import db
from app.lexsarah.desk import due_investigations
from app.reminders import Section
from app.urls import external_url


def due_items(today: date):
    """(officer, (reference, due day)) for every active officer and every investigation due."""
    due = due_investigations(today, int(current_app.config["IVO_REMINDER_DAYS"]))
    if not due:
        return
    for officer in db.session.scalars(select(User).where(User.role == "officer", User.active).order_by(User.id)):
        for item in due:
            yield officer, item


def render(user: User, due: list[tuple[str, date]], today: date) -> tuple[str, list[str]]:
    """(subject when alone, lines) in Swedish."""
    subject = _("Värna: utredningar som ska till IVO %(date)s", date=today.isoformat())
    lines = [_("Utredningen ska komma in till IVO senast två månader efter anmälan. De här är snart "
               "eller redan försenade (%(n)d):", n=len(due)), ""]
    for reference, due_on in due:
        days = (due_on - today).days
        if days < 0:
            when = ngettext("%(num)d dag sent", "%(num)d dagar sent", -days)
        elif days == 0:
            when = _("sista dagen i dag")
        else:
            when = ngettext("om %(num)d dag", "om %(num)d dagar", days)
        lines.append(f"- {reference}: " + _("senast %(date)s (%(when)s)", date=due_on.isoformat(), when=when)
                     + " " + external_url("lexsarah.notification", reference=reference))
    lines += ["", _("Lex Sarah-översikten: %(link)s", link=external_url("lexsarah.desk"))]
    return subject, lines


def record(user: User, due: list[tuple[str, date]], today: date) -> None:
    audit.record("lexsarah.reminder_queued", object_type="user", object_id=user.id,
                 detail={"day": today.isoformat(), "references": [ref for ref, _due_on in due]})


SECTION = Section(name="lexsarah", label="Lex Sarah", nothing="Lex Sarah: no investigation due to IVO.",
                  due_items=due_items, render=render, record=record)
