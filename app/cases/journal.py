"""The case journal: a timeline that is only ever added to."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.permissions import Action, can
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


@dataclass(frozen=True)
class JournalView:
    """The journal panel of the case page (app.cases.panels)."""
    unknown_case_ids: set[int]  # cases named in the events that the person may not know of


def view_journal(actor, case: Case) -> JournalView:
    return JournalView(unknown_case_ids=unknown_linked_case_ids(actor, case))


def unknown_linked_case_ids(actor, case: Case) -> set[int]:
    """The cases named in this case's events (linked, unlinked) that the person may not know of:
    the page leaves out what the events say about them."""
    ids = {event.detail.get("linked_case_id") for event in case.journal if isinstance(event.detail, dict)}
    ids.discard(None)
    if not ids:
        return set()
    # The staff each case concerns are an input of the permission function (jäv): joined in, so
    # the cases are still one statement however many the journal names.
    found = db.session.scalars(select(Case).where(Case.id.in_(ids)).options(joinedload(Case.concerned))).unique()
    return {other.id for other in found if not can(actor, Action.KNOW_OF_CASE, other)}
