"""What the admin reads: accounts, the outbox, and the audit log (filters, keyset pagination,
the state of its chain). Each of these reads is itself written to the audit log."""

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select

from app import audit, audit_chain, mailer
from app.audit import AuditEvent
from app.auth.models import User
from app.auth.permissions import Action, ensure
from app.cases.models import Case
from app.clock import STOCKHOLM
from app.extensions import db
from app.org.models import Unit

PAGE_SIZE = 100


@dataclass
class AuditPage:
    events: list[AuditEvent]
    older_than: int | None  # the id to pass as `before` for the next page, None on the last page
    # What the "Objekt" column shows instead of a bare id: case id -> reference, user id -> name.
    case_references: dict[str, str] = field(default_factory=dict)
    user_names: dict[str, str] = field(default_factory=dict)


def list_users(actor, *, text: str = "", unit_id: int | None = None) -> list[User]:
    """Accounts by name, optionally those whose name or username contains `text` or who belong to a unit."""
    ensure(actor, Action.MANAGE_USERS)
    # Written first: committing after the query would expire every account read.
    audit.record("user.listed", actor=actor, object_type="user", object_id="",
                 detail={key: value for key, value in (("text", text.strip()), ("unit_id", unit_id)) if value})
    db.session.commit()
    statement = select(User).order_by(User.full_name)
    if unit_id is not None:
        statement = statement.where(User.units.any(Unit.id == unit_id))
    users = list(db.session.scalars(statement))
    needle = text.strip().casefold()
    if needle:
        # In Python for the same reason as _people_matching.
        users = [u for u in users if needle in u.username.casefold() or needle in u.full_name.casefold()]
    return users


def people_for_filter() -> list[tuple[int, str]]:
    """Every account, for the log page's person list (also those no longer active)."""
    rows = db.session.execute(select(User.id, User.full_name, User.username).order_by(User.full_name, User.username))
    return [(row.id, f"{row.full_name} ({row.username})") for row in rows]


def _people_matching(text: str) -> list[int]:
    # Compared in Python: SQLite's LIKE folds only A–Z, so "örjan" would miss
    # "Örjan". Accounts are few enough to read; audit events are not.
    needle = text.casefold()
    rows = db.session.execute(select(User.id, User.username, User.full_name))
    return [row.id for row in rows if needle in row.username.casefold() or needle in row.full_name.casefold()]


def audit_events(actor, *, person: str = "", person_id: int | None = None, action: str = "",
                 object_type: str = "", object_id: str = "", date_from: date | None = None,
                 date_to: date | None = None, before: int | None = None, page_size: int = PAGE_SIZE) -> AuditPage:
    """One page of the log, newest first.

    `person` matches a name or username, `person_id` is one account; `action` is a prefix
    ("login." or "case.viewed"); `date_from` and `date_to` are days in Stockholm, both
    included; `before` is the keyset marker from the previous page, so a page costs the
    same at any depth and events written meanwhile never shift it.
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
    if person_id is not None:
        statement = statement.where(AuditEvent.user_id == person_id)
    if date_from is not None:
        statement = statement.where(AuditEvent.at >= start_of_local_day(date_from))
    if date_to is not None:
        statement = statement.where(AuditEvent.at < start_of_local_day(date_to + timedelta(days=1)))
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


def view_user(actor, user: User) -> None:
    """The admin opened an account's page (its changes are written by auth.services)."""
    ensure(actor, Action.MANAGE_USERS)
    audit.record("user.viewed", actor=actor, object_type="user", object_id=user.id,
                 detail={"username": user.username})
    db.session.commit()


def view_outbox(actor) -> list[dict]:
    """The development outbox: the messages hold names and case references, so reading it is logged."""
    ensure(actor, Action.VIEW_OUTBOX)
    messages = mailer.outbox()
    audit.record("outbox.viewed", actor=actor, object_type="outbox", object_id="",
                 detail={"messages": [m["name"] for m in messages[:50]], "count": len(messages)})
    db.session.commit()
    return messages


# --- the audit log page ----------------------------------------------------------------------

_ISO_DAY = re.compile(r"(\d{4})\s*[-/. ]\s*(\d{1,2})\s*[-/. ]\s*(\d{1,2})")
_COMPACT_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[-/. ]\s*(\d{4})")
_MONTH = re.compile(r"(\d{4})\s*[-/. ]\s*(\d{1,2})")
_YEAR = re.compile(r"\d{4}")


def parse_day(text: str, *, last: bool = False) -> date | None:
    """A day as people type it: 2026-03-01, 2026-3-1, 2026/03/01, 20260301, 1/3 2026, 1.3.2026.
    A month (2026-03) or a year (2026) means its first day, or with `last` its last day.
    None for anything else (or a day that does not exist)."""
    text = (text or "").strip()
    try:
        if match := _ISO_DAY.fullmatch(text) or _COMPACT_DAY.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DAY_FIRST.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _MONTH.fullmatch(text):
            year, month = int(match[1]), int(match[2])
            return date(year, month, monthrange(year, month)[1] if last else 1)
        if _YEAR.fullmatch(text):
            return date(int(text), 12, 31) if last else date(int(text), 1, 1)
    except ValueError:
        return None
    return None


def start_of_local_day(day: date) -> datetime:
    """Midnight in Stockholm as the naive UTC the log stores."""
    return datetime.combine(day, time(), tzinfo=STOCKHOLM).astimezone(UTC).replace(tzinfo=None)


@dataclass
class AuditFilters:
    person: str = ""              # a name or username, in part
    person_id: int | None = None  # one account, chosen in the list
    action: str = ""              # a prefix of the action name
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None  # Stockholm days, both included
    date_to: date | None = None


def audit_page(actor, filters: AuditFilters, *, before: int | None = None) -> AuditPage:
    """One page of the log for the admin's page, with case references and names resolved;
    the reading itself is logged."""
    page = audit_events(actor, person=filters.person, person_id=filters.person_id, action=filters.action,
                        object_type=filters.object_type, object_id=filters.object_id,
                        date_from=filters.date_from, date_to=filters.date_to, before=before)
    case_ids = {int(e.object_id) for e in page.events if e.object_type == "case" and e.object_id.isdigit()}
    if case_ids:
        page.case_references = {str(row.id): row.reference for row in
                                db.session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids)))}
    user_ids = {int(e.object_id) for e in page.events if e.object_type == "user" and e.object_id.isdigit()}
    if user_ids:
        page.user_names = {str(row.id): f"{row.full_name} ({row.username})" for row in
                           db.session.execute(select(User.id, User.full_name, User.username)
                                              .where(User.id.in_(user_ids)))}
    # The events stay readable after the commit below (which would otherwise expire them).
    for event in page.events:
        db.session.expunge(event)
    shown = {key: str(value) for key, value in vars(filters).items() if value not in ("", None)}
    audit.record("audit.viewed", actor=actor, object_type="audit", object_id="",
                 detail={"filters": shown, "before": before, "shown": len(page.events),
                         "ids": [page.events[0].id, page.events[-1].id] if page.events else []})
    db.session.commit()
    return page


@dataclass
class ChainState:
    recent: audit_chain.ChainReport   # the live check of the newest rows
    last_full: AuditEvent | None      # the stored result of the last `flask audit verify`
    live_rows: int


def chain_state(actor) -> ChainState:
    ensure(actor, Action.VIEW_AUDIT_LOG)
    return ChainState(recent=audit_chain.verify_recent(audit_chain.LIVE_ROWS),
                      last_full=audit_chain.last_full_verification(), live_rows=audit_chain.LIVE_ROWS)
