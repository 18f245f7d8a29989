"""The lex Sarah part of `flask remind`: investigations due to IVO.

After a notification the investigation must reach IVO within two months. Once a day,
every active officer with an e-mail address gets one digest of the investigations due
within IVO_REMINDER_DAYS days (7 unless configured) or already late. The digest carries
references, dates and a link, never descriptions or anything about the client.

Idempotent per day: a row per officer and day (IvoReminderSent) is written in the same
transaction that queues the e-mail, so a second run that day sends nothing.
"""

from datetime import date

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit, mailer
from app.auth.models import User
from app.clock import today_local
from app.extensions import db
from app.lexsarah.models import IvoReminderSent
from app.lexsarah.services import due_investigations
from app.urls import external_url


def digest(user: User, due: list[tuple[str, date]], today: date) -> tuple[str, str]:
    """(subject, body) in Swedish."""
    with force_locale("sv"):
        subject = _("Värna: utredningar som ska till IVO %(date)s", date=today.isoformat())
        lines = [_("Hej %(name)s!", name=user.full_name.split(" ")[0]), "",
                 _("Utredningen ska komma in till IVO senast två månader efter anmälan. De här är snart "
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
    return subject, "\n".join(lines) + "\n"


def send_ivo_reminders(today: date | None = None) -> str:
    """Queue and send today's digests; returns a line for the command's output."""
    today = today or today_local()
    due = due_investigations(today, int(current_app.config["IVO_REMINDER_DAYS"]))
    if not due:
        return "Lex Sarah: no investigation due to IVO."
    already = set(db.session.scalars(select(IvoReminderSent.user_id).where(IvoReminderSent.sent_on == today)))
    officers = db.session.scalars(select(User).where(User.role == "officer", User.active).order_by(User.id))
    queued, skipped = [], 0
    for officer in officers:
        if officer.id in already or not officer.email:
            skipped += 1
            continue
        subject, body = digest(officer, due, today)
        message = mailer.queue_email([officer.email], subject, body)
        db.session.add(IvoReminderSent(user_id=officer.id, sent_on=today, case_count=len(due)))
        audit.record("lexsarah.reminder_queued", object_type="user", object_id=officer.id,
                     detail={"day": today.isoformat(), "references": [ref for ref, _due_on in due]})
        queued.append(message)
    try:
        db.session.commit()
    except IntegrityError:
        # Another run got there first today; it sends them.
        db.session.rollback()
        return "Lex Sarah: another run already sent today's reminders."
    sent, failed = mailer.outcome([m.id for m in queued if m is not None])  # delivered at the commit
    return f"Lex Sarah: {len(queued)} digests queued, {sent} sent, {failed} failed, {skipped} skipped."
