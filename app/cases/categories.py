"""The admin-edited category lists, one per kind of report."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit
from app.auth.permissions import Action, ensure
from app.cases.models import CASE_KINDS, Category
from app.commands import Refused
from app.extensions import db
from app.workflow import Kind


class CategoryError(Refused):
    def __init__(self, message: str, field: str | None = "name"):
        super().__init__(message, field)


def categories_for(kind: str, *, include_inactive: bool = False) -> list[Category]:
    query = select(Category).where(Category.kind == kind)
    if not include_inactive:
        query = query.where(Category.active)
    return list(db.session.scalars(query.order_by(Category.position, Category.name)))


def _clean(kind: str, name: str, exclude_id: int | None = None) -> str:
    if kind not in CASE_KINDS:
        raise CategoryError(_("Okänd ärendetyp."), "kind")
    name = " ".join((name or "").split())
    if not name:
        raise CategoryError(_("Ange ett namn."))
    if len(name) > 200:
        raise CategoryError(_("Namnet får ha högst 200 tecken."))
    # Compared in Python: SQLite's lower() (and PostgreSQL's in the C locale) folds
    # only A–Z, so "Överklagande" and "överklagande" would both get in. Lists are short.
    query = select(Category.name).where(Category.kind == kind)
    if exclude_id is not None:
        query = query.where(Category.id != exclude_id)
    if name.casefold() in {other.casefold() for other in db.session.scalars(query)}:
        raise CategoryError(_("Kategorin finns redan i listan."))
    return name


def add_category(actor, kind: str, name: str) -> Category:
    if actor is not None:
        ensure(actor, Action.MANAGE_CATEGORIES)
    name = _clean(kind, name)
    position = (db.session.scalar(select(func.max(Category.position)).where(Category.kind == kind)) or 0) + 1
    category = Category(kind=kind, name=name, position=position)
    db.session.add(category)
    db.session.flush()
    audit.record("category.created", actor=actor, object_type="category", object_id=category.id,
                 detail={"kind": kind, "name": name})
    db.session.commit()
    return category


def update_category(actor, category: Category, *, name: str, active: bool,
                    describes_abuse: bool | None = None) -> None:
    """`describes_abuse` None leaves the mark as it is (the lists other than deviations' have none)."""
    ensure(actor, Action.MANAGE_CATEGORIES)
    name = _clean(category.kind, name, exclude_id=category.id)
    if describes_abuse and category.kind != Kind.DEVIATION:
        # Only the deviation form asks whether the report is a lex Sarah matter.
        raise CategoryError(_("Bara avvikelsernas kategorier kan markeras som övergrepp."), "describes_abuse")
    changes = {}
    if describes_abuse is not None and describes_abuse != category.describes_abuse:
        changes["describes_abuse"] = describes_abuse
        category.describes_abuse = describes_abuse
    if name != category.name:
        changes["name"] = name
        category.name = name
    if active != category.active:
        changes["active"] = active
        category.active = active
    if changes:
        audit.record("category.updated", actor=actor, object_type="category", object_id=category.id,
                     detail=changes)
    db.session.commit()
