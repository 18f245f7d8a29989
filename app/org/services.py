"""Editing the organisation tree: create, rename, move, deactivate. Units are never deleted.

The accounts (app/auth) build on the tree, so the tree imports nothing of them: who may edit
it is still the permission function's answer (Action.MANAGE_UNITS), handed in by create_app()
(app/__init__.py: _hand_in_checks) through ``set_permission_check``.
"""

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import func, literal, select, update

from app import audit
from app.commands import Refused
from app.extensions import db
from app.org.models import Unit


class UnitError(Refused):
    pass


# Raises app.auth.permissions.PermissionDenied unless the person may edit the tree.
_ensure_may_edit: Callable[[object], None] | None = None


def set_permission_check(check: Callable[[object], None]) -> None:
    global _ensure_may_edit
    _ensure_may_edit = check


def _ensure(actor) -> None:
    if _ensure_may_edit is None:  # refuse rather than allow when create_app() has not run
        raise RuntimeError("create_app() hands the tree its permission check")
    _ensure_may_edit(actor)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise UnitError(_("Ange ett namn."), "name")
    if len(name) > 200:
        raise UnitError(_("Namnet får ha högst 200 tecken."), "name")
    return name


PUBLIC_NAME_MAX, PUBLIC_DESCRIPTION_MAX = 200, 300


def _clean_public(public_name: str, public_description: str) -> tuple[str, str]:
    """A department's name and sentence for citizens (/klagomal): one line each, plain text."""
    public_name = " ".join((public_name or "").split())
    public_description = " ".join((public_description or "").split())
    if len(public_name) > PUBLIC_NAME_MAX:
        raise UnitError(_("Skriv högst %(max)d tecken.", max=PUBLIC_NAME_MAX), "public_name")
    if len(public_description) > PUBLIC_DESCRIPTION_MAX:
        raise UnitError(_("Skriv högst %(max)d tecken.", max=PUBLIC_DESCRIPTION_MAX), "public_description")
    return public_name, public_description


def _check_sibling_name(name: str, parent_id: int | None, exclude_id: int | None = None) -> None:
    # Compared in Python: SQLite's lower() folds only A–Z, so "Öppenvård" and
    # "öppenvård" would pass there and fail on PostgreSQL. Siblings are few.
    query = select(Unit.name).where(Unit.parent_id.is_(None) if parent_id is None else Unit.parent_id == parent_id)
    if exclude_id is not None:
        query = query.where(Unit.id != exclude_id)
    if name.casefold() in {other.casefold() for other in db.session.scalars(query)}:
        raise UnitError(_("Det finns redan en enhet med det namnet på samma nivå."), "name")


def _parent(parent_id: int | None) -> Unit:
    """The chosen parent; a new place in the tree must exist and be in use."""
    if parent_id is None:
        raise UnitError(_("Det finns redan en förvaltning högst upp i trädet. Välj en överordnad enhet i listan."),
                        "parent_id")
    parent = db.session.get(Unit, parent_id)
    if parent is None:
        raise UnitError(_("Den överordnade enheten finns inte. Välj en överordnad enhet i listan."), "parent_id")
    if not parent.active:
        # An inactive unit never has active units under it (see set_unit_active).
        raise UnitError(_("%(name)s är inaktiverad. Välj en enhet som används.", name=parent.name), "parent_id")
    return parent


def tree() -> list[Unit]:
    """Every unit in tree order (parents before their children, siblings by name)."""
    units = list(db.session.scalars(select(Unit)))
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent_id):
        for unit in sorted(by_parent.get(parent_id, []), key=lambda u: u.name.lower()):
            ordered.append(unit)
            walk(unit.id)

    walk(None)
    return ordered


def path_labels(units: list[Unit]) -> dict[int, str]:
    """"Socialförvaltningen › Vuxna › Boendestöd" per unit id; names alone repeat across departments.

    `units` must hold every ancestor of the units to label, e.g. the whole `tree()`.
    """
    by_id = {unit.id: unit for unit in units}
    return {unit.id: " › ".join(by_id[i].name for i in unit.ancestor_ids if i in by_id) for unit in units}


def create_unit(actor, *, name: str, parent_id: int | None, address: str = "", public_name: str = "",
                public_description: str = "") -> Unit:
    if actor is not None:
        _ensure(actor)
    name = _clean_name(name)
    public_name, public_description = _clean_public(public_name, public_description)
    has_root = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id.is_(None)))
    # Only the very first unit of an installation, the administration itself, has no parent.
    parent = _parent(parent_id) if has_root or parent_id is not None else None
    parent_id = parent.id if parent else None
    _check_sibling_name(name, parent_id)
    unit = Unit(name=name, address=(address or "").strip()[:300], public_name=public_name,
                public_description=public_description)
    db.session.add(unit)
    db.session.flush()
    unit.place_under(parent)
    audit.record("unit.created", actor=actor, object_type="unit", object_id=unit.id,
                 detail={"name": name, "parent_id": parent_id})
    db.session.commit()
    return unit


def update_unit(actor, unit: Unit, *, name: str, parent_id: int | None, address: str = "",
                public_name: str | None = None, public_description: str | None = None) -> None:
    """Rename and/or move a unit; a move carries its whole subtree along. `public_name` and
    `public_description` None: unchanged."""
    _ensure(actor)
    name = _clean_name(name)
    public = _clean_public(unit.public_name if public_name is None else public_name,
                           unit.public_description if public_description is None else public_description)
    changes: dict = {}
    if parent_id != unit.parent_id:
        if unit.parent_id is None:
            raise UnitError(_("Förvaltningen högst upp i trädet kan inte flyttas."), "parent_id")
        parent = _parent(parent_id)
        if parent.path.startswith(unit.path):
            raise UnitError(_("En enhet kan inte flyttas in under sig själv."), "parent_id")
        _check_sibling_name(name, parent.id, exclude_id=unit.id)
        old_path, new_path = unit.path, parent.path + f"{unit.id}/"
        depth_shift = parent.depth + 1 - unit.depth
        # One UPDATE rewrites the paths of the whole subtree (portable string functions only).
        db.session.execute(
            update(Unit).where(Unit.path.startswith(old_path))
            .values(path=literal(new_path).concat(func.substr(Unit.path, len(old_path) + 1)),
                    depth=Unit.depth + depth_shift)
            .execution_options(synchronize_session=False))
        unit.parent_id = parent.id
        changes["parent_id"] = parent.id
        db.session.flush()
        db.session.expire_all()
    else:
        _check_sibling_name(name, unit.parent_id, exclude_id=unit.id)
    if name != unit.name:
        changes["name"] = name
        unit.name = name
    address = (address or "").strip()[:300]
    if address != unit.address:
        changes["address"] = address
        unit.address = address
    for column, value in zip(("public_name", "public_description"), public, strict=True):
        if value != getattr(unit, column):
            changes[column] = value
            setattr(unit, column, value)
    if changes:
        audit.record("unit.updated", actor=actor, object_type="unit", object_id=unit.id, detail=changes)
    db.session.commit()


def set_unit_active(actor, unit: Unit, active: bool) -> None:
    """Deactivating hides the unit from new reports; its cases and history stay."""
    _ensure(actor)
    if not active and db.session.scalar(select(func.count()).select_from(Unit)
                                        .where(Unit.parent_id == unit.id, Unit.active)):
        raise UnitError(_("Inaktivera först de enheter som ligger under den här."), "active")
    if active and unit.parent is not None and not unit.parent.active:
        raise UnitError(_("Aktivera först %(name)s, som enheten ligger under.", name=unit.parent.name), "active")
    if unit.active == active:
        return  # a repeated click (e.g. a second tab) changes nothing
    unit.active = active
    audit.record("unit.activated" if active else "unit.deactivated", actor=actor, object_type="unit",
                 object_id=unit.id)
    db.session.commit()
