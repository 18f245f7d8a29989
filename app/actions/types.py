"""The admin-edited list of action types (new routine, training, ...)."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit
from app.actions.models import DEFAULT_ACTION_TYPES, ActionType
from app.auth.permissions import Action, ensure
from app.commands import Refused
from app.extensions import db
from app.process_cache import ProcessCache


class ActionTypeError(Refused):
    def __init__(self, message: str, field: str | None = "name"):
        super().__init__(message, field)


def action_types(*, include_inactive: bool = False) -> list[ActionType]:
    query = select(ActionType)
    if not include_inactive:
        query = query.where(ActionType.active)
    return list(db.session.scalars(query.order_by(ActionType.position, ActionType.name)))


@dataclass(frozen=True)
class TypeChoice:
    id: int
    name: str


# The active types as the case page's "add an action" form offers them, kept in the process
# (app/process_cache.py): read on every case view before. add_action checks the type sent.
_OFFERED = ProcessCache(("action_types",), lambda: tuple(TypeChoice(t.id, t.name) for t in action_types()))


def offered_action_types() -> tuple[TypeChoice, ...]:
    return _OFFERED.get()


def _clean(name: str, exclude_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ActionTypeError(_("Ange ett namn."))
    if len(name) > 200:
        raise ActionTypeError(_("Namnet får ha högst 200 tecken."))
    query = select(func.count()).select_from(ActionType).where(func.lower(ActionType.name) == name.lower())
    if exclude_id is not None:
        query = query.where(ActionType.id != exclude_id)
    if db.session.scalar(query):
        raise ActionTypeError(_("Åtgärdstypen finns redan i listan."))
    return name


def add_action_type(actor, name: str) -> ActionType:
    """An admin adds a type; `actor` None is the demo loader or a command."""
    if actor is not None:
        ensure(actor, Action.MANAGE_CATEGORIES)
    name = _clean(name)
    position = (db.session.scalar(select(func.max(ActionType.position))) or 0) + 1
    action_type = ActionType(name=name, position=position)
    db.session.add(action_type)
    db.session.flush()
    audit.record("action_type.created", actor=actor, object_type="action_type", object_id=action_type.id,
                 detail={"name": name})
    db.session.commit()
    return action_type


def update_action_type(actor, action_type: ActionType, *, name: str, active: bool) -> None:
    ensure(actor, Action.MANAGE_CATEGORIES)
    name = _clean(name, exclude_id=action_type.id)
    changes = {}
    if name != action_type.name:
        changes["name"] = name
        action_type.name = name
    if active != action_type.active:
        changes["active"] = active
        action_type.active = active
    audit.record("action_type.updated", actor=actor, object_type="action_type", object_id=action_type.id,
                 detail=changes)
    db.session.commit()


def ensure_default_types() -> list[str]:
    """Add the default types that are missing (idempotent) to the caller's transaction;
    returns the names added. The caller commits (the demo loader commits once)."""
    existing = {name.lower() for name in db.session.scalars(select(ActionType.name))}
    position = db.session.scalar(select(func.max(ActionType.position))) or 0
    created = []
    for name in DEFAULT_ACTION_TYPES:
        if name.lower() not in existing:
            position += 1
            db.session.add(ActionType(name=name, position=position))
            created.append(name)
    return created
