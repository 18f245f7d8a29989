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

A command on an action (app/actions: an action has its own version and its own small machine,
app/actions/workflow.py) has the same shape: ``begin_action`` loads the action by id, asks
the permission function (``can_move_action``), compares the version and asks the action's
machine; ``target_action`` gives the status after the move with the form's facts;
``commit_action`` commits once. They raise the same kinds of error: ``ActionNotFound``,
``ActionError`` (a Refused: the machine's refusal in the form's words), ``ActionConflict``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import audit, workflow
from app.actions import workflow as action_workflow
from app.actions.labels import refusal_words as action_refusal_words
from app.actions.models import CaseAction
from app.auth.permissions import PermissionDenied, can_move, can_move_action
from app.cases.models import Case
from app.clock import utcnow
from app.extensions import db
from app.facts import OFFERED_ACTION_FORM_FACTS, OFFERED_FORM_FACTS, facts_for, facts_for_action


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


# What the permission function reads of a case besides its row: its unit (joined, in the same
# statement) and jäv (who declared it, whom the report concerns).
PERMISSION_LOADS = (joinedload(Case.unit), selectinload(Case.disqualifications), selectinload(Case.concerned))


# The statement for each tuple of loads, built once: building a statement and its cache key on
# every request cost more than running it.
_BY_REFERENCE: dict[int, tuple[tuple, Select]] = {}


def _by_reference(loads: tuple) -> Select:
    kept = _BY_REFERENCE.get(id(loads))
    if kept is None or kept[0] is not loads:
        kept = (loads, select(Case).where(Case.reference == bindparam("reference")).options(*loads))
        _BY_REFERENCE[id(loads)] = kept
    return kept[1]


def load_case(reference: str, loads: tuple = PERMISSION_LOADS) -> Case:
    """The case with what the permission function reads of it. `loads` (a tuple kept for the
    process): these and what else the caller shows of the case, read with it (the case page:
    app.cases.casework.services.view_case)."""
    case = db.session.scalars(_by_reference(loads), {"reference": reference}).unique().one_or_none()
    if case is None:
        raise CaseNotFound(reference)
    return case


def moves_for(user, case: Case) -> list[str]:
    """The workflow moves this person can make on the case now, in the state machine's order:
    the machine's answer (with the case's facts) and the permission function's."""
    facts = {**facts_for(case), **OFFERED_FORM_FACTS}
    return [move.name for move in workflow.available_moves(case.kind, case.status, facts)
            if can_move(user, move.name, case)]


def begin(actor, reference: str, move: str, expected_version: int | None) -> Case:
    """Load the case and check, in this order: permission (403), the version the form
    was loaded with (conflict), and whether the state machine allows the move now
    (refused), counting what the form supplies as given; ``target`` checks that too.

    ``expected_version=None`` only for a command that adds a row of its own and changes
    nothing the person's page showed of the case (adding an action): there is nothing to
    overwrite, and the state machine still decides whether the case takes it now."""
    case = load_case(reference)
    if not can_move(actor, move, case):
        raise PermissionDenied(move)
    if expected_version is not None and case.version != expected_version:
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


# --- commands on an action ------------------------------------------------------------------

class ActionNotFound(NotFound):
    pass


class ActionError(Refused):
    """An action command refused, with a Swedish message and the form field it concerns (None: the whole form)."""


class ActionConflict(Conflict):
    """Someone else changed the action since the form was loaded; nothing was saved. Carries the
    action as it is now."""

    def __init__(self, action: CaseAction):
        super().__init__(action.id)
        self.action = action


# Ids are 32-bit integers on PostgreSQL: a larger one in a URL is no such action, not an error.
_MAX_ID = 2**31 - 1


def load_action(action_id: int) -> CaseAction:
    """The action, with its case and the case's unit (the permission function reads them)."""
    if not isinstance(action_id, int) or not 0 < action_id <= _MAX_ID:
        raise ActionNotFound(action_id)
    action = db.session.scalar(select(CaseAction).where(CaseAction.id == action_id).options(
        joinedload(CaseAction.case).joinedload(Case.unit)))
    if action is None:
        raise ActionNotFound(action_id)
    return action


def begin_action(actor, action_id: int, move: str, expected_version: int | None) -> CaseAction:
    """Load the action and check, in this order: permission (403), the version the form was
    loaded with (conflict), and whether the action's machine allows the move now (ActionError),
    counting what the form supplies as given; ``target_action`` checks that too.
    ``expected_version=None``: a caller with no form (the demo data, another service)."""
    action = load_action(action_id)
    if not can_move_action(actor, move, action):
        raise PermissionDenied(move)
    if expected_version is not None and action.version != expected_version:
        raise _action_conflict(actor, action, move)
    target_action(action, move, **OFFERED_ACTION_FORM_FACTS)
    return action


def target_action(action: CaseAction, move: str, **form_facts: bool) -> action_workflow.ActionStatus:
    """The action's status after the move, with the facts the person actually supplied."""
    try:
        return action_workflow.next_status(action.status, move, {**facts_for_action(action), **form_facts})
    except action_workflow.ActionMoveRefused as refusal:
        raise ActionError(*action_refusal_words(refusal)) from refusal


def _action_conflict(actor, action: CaseAction, move: str) -> ActionConflict:
    # The conflict page shows the action as it is now, so it is a view like any other.
    audit.record("action.viewed", actor=actor, object_type="action", object_id=action.id,
                 detail={"case": action.case.reference, "page": "conflict", "move": move})
    db.session.commit()
    return ActionConflict(action)


def commit_action(actor, action: CaseAction, move: str) -> None:
    """Commit the change once. Touching the action makes every change move its version; the
    versioned UPDATE catches a colleague who committed between our check and now."""
    action.updated_at = utcnow()
    action_id = action.id
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise _action_conflict(actor, load_action(action_id), move) from None
