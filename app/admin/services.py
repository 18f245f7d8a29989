"""Reading the audit log: the filters and the keyset pagination behind the admin's log page."""

from dataclasses import dataclass

from sqlalchemy import or_, select

from app.audit import AuditEvent
from app.auth.models import User
from app.auth.permissions import Action, ensure
from app.extensions import db
from app.org.models import Unit

PAGE_SIZE = 100


@dataclass
class AuditPage:
    events: list[AuditEvent]
    older_than: int | None  # the id to pass as `before` for the next page, None on the last page


def list_users(actor, *, text: str = "", unit_id: int | None = None) -> list[User]:
    """Accounts by name, optionally those whose name or username contains `text` or who belong to a unit."""
    ensure(actor, Action.MANAGE_USERS)
    statement = select(User).order_by(User.full_name)
    if unit_id is not None:
        statement = statement.where(User.units.any(Unit.id == unit_id))
    users = list(db.session.scalars(statement))
    needle = text.strip().casefold()
    if needle:
        # In Python for the same reason as _people_matching.
        users = [u for u in users if needle in u.username.casefold() or needle in u.full_name.casefold()]
    return users


def _people_matching(text: str) -> list[int]:
    # Compared in Python: SQLite's LIKE folds only A–Z, so "örjan" would miss
    # "Örjan". Accounts are few enough to read; audit events are not.
    needle = text.casefold()
    rows = db.session.execute(select(User.id, User.username, User.full_name))
    return [row.id for row in rows if needle in row.username.casefold() or needle in row.full_name.casefold()]


def audit_events(actor, *, person: str = "", action: str = "", object_type: str = "", object_id: str = "",
                 before: int | None = None, page_size: int = PAGE_SIZE) -> AuditPage:
    """One page of the log, newest first.

    `person` matches a name or username; `action` is a prefix ("login." or
    "case.viewed"); `before` is the keyset marker from the previous page, so a
    page costs the same at any depth and events written meanwhile never shift it.
    """
    ensure(actor, Action.VIEW_AUDIT_LOG)
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    person, action, object_id = person.strip(), action.strip(), object_id.strip()
    if person:
        # Also the name as it was written at the time, for accounts renamed since.
        statement = statement.where(or_(AuditEvent.user_id.in_(_people_matching(person)),
                                        AuditEvent.user_name.icontains(person, autoescape=True)))
    if action:
        statement = statement.where(AuditEvent.action.startswith(action, autoescape=True))
    if object_type:
        statement = statement.where(AuditEvent.object_type == object_type)
    if object_id:
        statement = statement.where(AuditEvent.object_id == object_id)
    if before is not None:
        statement = statement.where(AuditEvent.id < before)
    events = list(db.session.scalars(statement.limit(page_size + 1)))
    more = len(events) > page_size
    events = events[:page_size]
    return AuditPage(events=events, older_than=events[-1].id if more else None)
