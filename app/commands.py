"""The command contract: what every service that changes something shares.

- ``Refused(message, field=None)``: the command cannot be carried out as asked; nothing was
  stored. ``field`` names the form field to show the Swedish message at (None: the whole
  page). Every feature's "message + field" error is a subclass (CaseWorkError, ActionError,
  LexSarahError, AccountError, ...), so a route may catch its own or this one.
- ``Conflict``: someone else saved first (the version the form was loaded with is old, or
  the versioned UPDATE found a newer row); nothing was overwritten.
- ``NotFound``: no such thing (404).

create_app() turns what a route does not handle into a page: PermissionDenied → 403 and
an audit entry (app.audit.record_refusal), Refused and workflow.MoveRefused → 409 with the
message, Conflict → the 409 conflict page, NotFound → 404.

A command on a case: ``begin`` loads the case, asks the permission function, compares the
version the person's form was loaded with and asks the state machine (with the facts of
app.facts); the service checks its input, makes the change, writes the journal and
``record``s the audit entry; ``commit`` commits once. Mail queued meanwhile
(app.mailer.queue_email) is delivered by the session's after-commit hook, never by hand.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import audit, workflow
from app.auth.permissions import PermissionDenied, can_move
from app.cases.models import Case
from app.clock import utcnow
from app.extensions import db
from app.facts import OFFERED_FORM_FACTS, facts_for


class Refused(Exception):
    """Refused as asked, with a Swedish message and the form field it concerns (None: the page)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict:
        return {self.field: self.message}


class Conflict(Exception):
    """Someone else saved first; nothing was saved."""


class NotFound(Exception):
    """No such case, action or attachment (404)."""


def commit_or_conflict(conflict: Callable[[], Conflict] = Conflict) -> None:
    """Commit once; a versioned UPDATE that finds a newer row becomes ``conflict()``."""
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise conflict() from error


# --- commands on a case ---------------------------------------------------------------------

class CaseNotFound(NotFound):
    pass


class CaseConflict(Conflict):
    """The case changed after the person loaded the form: nothing was saved. Carries the
    case as it is now, and whether the move the person tried still fits it."""

    def __init__(self, case: Case, still_possible: bool):
        super().__init__(case.reference)
        self.case = case
        self.still_possible = still_possible


class CaseWorkError(Refused):
    """A case command refused; `field` is the form field to show it at (None: the case as a whole)."""


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session read: for a transaction that only added rows
    (an audit entry, a new case), whose page or redirect then shows what was read. Expiring
    made the case, its unit and the person load again, statement by statement."""
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def load_case(reference: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.reference == reference).options(
        selectinload(Case.disqualifications), selectinload(Case.concerned),
        joinedload(Case.unit)))  # the unit in the same statement
    if case is None:
        raise CaseNotFound(reference)
    return case


def moves_for(user, case: Case) -> list[str]:
    """The workflow moves this person can make on the case now, in the state machine's order:
    the machine's answer (with the case's facts) and the permission function's."""
    facts = {**facts_for(case), **OFFERED_FORM_FACTS}
    return [move.name for move in workflow.available_moves(case.kind, case.status, facts)
            if can_move(user, move.name, case)]


def begin(actor, reference: str, move: str, expected_version: int) -> Case:
    """Load the case and check, in this order: permission (403), the version the form
    was loaded with (conflict), and whether the state machine allows the move now
    (refused), counting what the form supplies as given; ``target`` checks that too."""
    case = load_case(reference)
    if not can_move(actor, move, case):
        raise PermissionDenied(move)
    if case.version != expected_version:
        raise _conflict(actor, case, move)
    workflow.next_status(case.kind, case.status, move, {**facts_for(case), **OFFERED_FORM_FACTS})
    return case


def target(case: Case, move: str, **form_facts: bool) -> workflow.Status:
    """The status after the move, with the facts the person actually supplied."""
    return workflow.next_status(case.kind, case.status, move, {**facts_for(case), **form_facts})


def _conflict(actor, case: Case, move: str) -> CaseConflict:
    # The conflict page shows the case as it is now, so it is a view like any other.
    record("case.viewed", actor, case, page="conflict", move=move)
    db.session.commit()
    return CaseConflict(case, still_possible=move in moves_for(actor, case))


def commit(actor, case: Case, move: str) -> None:
    """Commit the change. Touching the case row makes every change, even one that only
    adds a row elsewhere, bump the version; the versioned UPDATE catches a colleague
    who committed between our check and now."""
    case.updated_at = utcnow()
    reference = case.reference
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise _conflict(actor, load_case(reference), move) from None


def record(action: str, actor, case: Case, **detail) -> None:
    """The audit entry of a command on a case (same transaction)."""
    audit.record(action, actor=actor, object_type="case", object_id=case.id,
                 detail={"reference": case.reference, **detail})


def clean(text: str | None) -> str:
    return (text or "").strip()


def required(text: str | None, message: str, field: str, max_length: int) -> str:
    """The typed text, stripped; CaseWorkError at `field` when empty or too long."""
    text = clean(text)
    if not text:
        raise CaseWorkError(message, field)
    if len(text) > max_length:
        raise CaseWorkError(_("Texten får ha högst %(max)d tecken.", max=max_length), field)
    return text
