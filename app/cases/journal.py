"""The case journal: a timeline that is only ever added to."""

from app.cases.models import Case, JournalEvent
from app.clock import utcnow
from app.extensions import db


def add_event(case: Case, event: str, actor=None, text: str = "", **detail) -> JournalEvent:
    """Add one event to the case's timeline in the current transaction; the caller commits."""
    entry = JournalEvent(case=case, at=utcnow(), actor_id=getattr(actor, "id", None),
                         actor_name=getattr(actor, "full_name", "") or "", event=event, text=text,
                         detail=detail)
    db.session.add(entry)
    return entry
