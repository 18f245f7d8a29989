"""The action's own small state machine: planned → in progress → done → followed up,
and planned/in progress → cancelled (with a reason).

Pure standard-library Python, like app.workflow (which decides whether the *case*
allows actions to be added at all). The caller computes the facts (e.g. whether a
cancel reason was given) and passes them in; a missing fact counts as False, so a
forgotten fact refuses a move rather than allowing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class ActionStatus(StrEnum):
    # Declared in flow order.
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class FollowUpResult(StrEnum):
    """Did the action work?"""
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


OPEN_STATUSES: frozenset[ActionStatus] = frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS})


@dataclass(frozen=True)
class ActionMove:
    name: str
    sources: frozenset[ActionStatus]
    target: ActionStatus | None  # None: the status does not change
    requires: tuple[str, ...] = ()


def _move(name, sources, target=None, requires=()) -> tuple[str, ActionMove]:
    return name, ActionMove(name, frozenset(sources), target, tuple(requires))


_S = ActionStatus

# The whole table, in the order the UI offers the moves.
MOVES: Mapping[str, ActionMove] = MappingProxyType(dict([
    _move("start", {_S.PLANNED}, _S.IN_PROGRESS),
    # Some actions are done at once (a talk with the staff involved): planned → done is allowed.
    _move("complete", {_S.PLANNED, _S.IN_PROGRESS}, _S.DONE, requires=["completed_on"]),
    _move("cancel", {_S.PLANNED, _S.IN_PROGRESS}, _S.CANCELLED, requires=["cancel_reason"]),
    # Changing what is planned (type, description, responsible person, due date).
    _move("edit", {_S.PLANNED, _S.IN_PROGRESS}),
    # Did it work? Recorded once, after the action is done.
    _move("follow_up", {_S.DONE}, requires=["not_followed_up", "follow_up_result"]),
]))

# The facts a person's form supplies (a date, a reason, a result). When deciding whether to
# *offer* a move they count as given; the service checks them with the real values
# (app.commands.target_action). The action's own fact, `not_followed_up`, is computed by
# app.facts.facts_for_action, as app.facts.facts_for computes the case's.
FORM_FACTS: frozenset[str] = frozenset({"completed_on", "cancel_reason", "follow_up_result"})

# The status a person picks on a form, and the move that reaches it.
MOVE_TO_STATUS: Mapping[ActionStatus, str] = MappingProxyType({
    m.target: name for name, m in MOVES.items() if m.target is not None})

# The Swedish labels live in app.actions.labels (translated with Flask-Babel).


class ActionMoveRefused(Exception):
    """``code`` is "unknown_move", "wrong_status" or "unmet_requirements"."""

    def __init__(self, code: str, move: str, status, unmet: tuple[str, ...] = ()):
        self.code, self.move, self.status, self.unmet = code, move, status, unmet
        detail = f": missing {', '.join(unmet)}" if unmet else ""
        super().__init__(f"{move!r} refused in {status} ({code}){detail}")


_NO_FACTS: Mapping[str, bool] = MappingProxyType({})


def _refusal(status: ActionStatus, move_name: str, facts: Mapping[str, bool]) -> ActionMoveRefused | None:
    move = MOVES.get(move_name)
    if move is None:
        return ActionMoveRefused("unknown_move", move_name, status)
    if status not in move.sources:
        return ActionMoveRefused("wrong_status", move_name, status)
    unmet = tuple(r for r in move.requires if not facts.get(r, False))
    if unmet:
        return ActionMoveRefused("unmet_requirements", move_name, status, unmet)
    return None


def check(status: ActionStatus | str, move_name: str,
          facts: Mapping[str, bool] = _NO_FACTS) -> tuple[bool, tuple[str, ...]]:
    """(allowed, unmet requirement names); never raises, so a template may ask it."""
    try:
        status = ActionStatus(status)
    except ValueError:
        return False, ()
    refusal = _refusal(status, move_name, facts)
    return (True, ()) if refusal is None else (False, refusal.unmet)


def available_moves(status: ActionStatus | str) -> list[str]:
    """Moves whose status fits, ignoring requirements (a form supplies those)."""
    status = ActionStatus(status)
    return [name for name, m in MOVES.items() if status in m.sources]


def next_status(status: ActionStatus | str, move_name: str,
                facts: Mapping[str, bool] = _NO_FACTS) -> ActionStatus:
    """The status after the move, or ActionMoveRefused."""
    status = ActionStatus(status)
    refusal = _refusal(status, move_name, facts)
    if refusal is not None:
        raise refusal
    target = MOVES[move_name].target
    return status if target is None else target


def move_for_target(current: ActionStatus | str, target: ActionStatus | str) -> str | None:
    """The move that takes an action from `current` to `target`, or None if there is none."""
    try:
        current, target = ActionStatus(current), ActionStatus(target)
    except ValueError:
        return None
    name = MOVE_TO_STATUS.get(target)
    return name if name is not None and current in MOVES[name].sources else None
