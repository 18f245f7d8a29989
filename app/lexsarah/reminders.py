"""The lex Sarah parts of `flask remind`: investigations due to IVO, and the officer's other
deadlines (immediate protection not recorded, IVO's requests for a supplement).

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
from app.cases.models import Case, ConcernedStaff
from app.extensions import db
from app.lexsarah.desk import due_duties, due_investigations
from app.reminders import Section
from app.urls import external_url


def _concerned_by_reference(references) -> dict[str, set[int]]:
    """Jäv: per reference, the staff the report concerns (an officer is never reminded of those)."""
    found: dict[str, set[int]] = {}
    rows = db.session.execute(select(Case.reference, ConcernedStaff.user_id).join(
        ConcernedStaff, ConcernedStaff.case_id == Case.id).where(Case.reference.in_(set(references))))
    for reference, user_id in rows:
        found.setdefault(reference, set()).add(user_id)
    return found


def due_items(today: date):
    """(officer, (reference, due day)) for every active officer and every investigation due."""
    due = due_investigations(today, int(current_app.config["IVO_REMINDER_DAYS"]))
    if not due:
        return
    concerned = _concerned_by_reference(ref for ref, _due_on in due)
    for officer in db.session.scalars(select(User).where(User.role == "officer", User.active).order_by(User.id)):
        for item in due:
            if officer.id not in concerned.get(item[0], ()):
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


# --- the immediate protection and IVO's supplements ------------------------------------------

def _officers():
    return db.session.scalars(select(User).where(User.role == "officer", User.active).order_by(User.id)).all()


def due_duties_items(today: date):
    """(officer, (duty, reference, last day)) for every active officer and every duty due."""
    due = due_duties(today, int(current_app.config["IVO_REMINDER_DAYS"]))
    if not due:
        return
    concerned = _concerned_by_reference(ref for _duty, ref, _day in due)
    for officer in _officers():
        for item in due:
            if officer.id not in concerned.get(item[1], ()):
                yield officer, item


def _when(due_on: date, today: date) -> str:
    days = (due_on - today).days
    if days < 0:
        return ngettext("%(num)d dag sent", "%(num)d dagar sent", -days)
    if days == 0:
        return _("sista dagen i dag")
    return ngettext("om %(num)d dag", "om %(num)d dagar", days)


def render_duties(user: User, due: list[tuple[str, str, date]], today: date) -> tuple[str, list[str]]:
    subject = _("Värna: lex Sarah att göra %(date)s", date=today.isoformat())
    lines = []
    protection = [(ref, day) for duty, ref, day in due if duty == "protection"]
    supplements = [(ref, day) for duty, ref, day in due if duty == "supplement"]
    if protection:
        lines += [_("Det omedelbara skyddet av den enskilde är inte registrerat (%(n)d):", n=len(protection))]
        lines += [f"- {ref}: " + _("senast %(date)s (%(when)s)", date=day.isoformat(), when=_when(day, today))
                  + " " + external_url("lexsarah.protection", reference=ref) for ref, day in protection]
        lines.append("")
    if supplements:
        lines += [_("Kompletteringar som IVO har begärt (%(n)d):", n=len(supplements))]
        lines += [f"- {ref}: " + _("senast %(date)s (%(when)s)", date=day.isoformat(), when=_when(day, today))
                  + " " + external_url("lexsarah.notification", reference=ref) for ref, day in supplements]
        lines.append("")
    lines.append(_("Lex Sarah-översikten: %(link)s", link=external_url("lexsarah.desk")))
    return subject, lines


def record_duties(user: User, due: list[tuple[str, str, date]], today: date) -> None:
    audit.record("lexsarah.duties_reminder_queued", object_type="user", object_id=user.id,
                 detail={"day": today.isoformat(), "references": [ref for _duty, ref, _day in due]})


DUTIES_SECTION = Section(name="lexsarah_duties", label="Lex Sarah duties",
                         nothing="Lex Sarah duties: no protection or supplement due.",
                         due_items=due_duties_items, render=render_duties, record=record_duties)
