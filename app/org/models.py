from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db

LEVEL_NAMES = {0: "administration", 1: "department"}  # deeper levels are units


class Unit(db.Model):
    """A node of the organisation tree.

    `path` is the chain of ids from the root, e.g. "/1/4/9/". It makes "this unit
    and everything below it" a single indexed prefix query, which the case queue
    and the permission checks need on every request.
    """

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), index=True, default="")
    depth: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    # What /klagomal shows for a department: a name a citizen knows and one sentence of what it
    # does. Empty: the unit's own name and no sentence.
    public_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    public_description: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.name")

    @property
    def level(self) -> str:
        return LEVEL_NAMES.get(self.depth, "unit")

    @property
    def ancestor_ids(self) -> tuple[int, ...]:
        """Ids from the root down to and including this unit."""
        return tuple(int(part) for part in self.path.strip("/").split("/") if part)

    @property
    def department_id(self) -> int | None:
        ids = self.ancestor_ids
        return ids[1] if len(ids) > 1 else None

    @property
    def name_for_public(self) -> str:
        return self.public_name or self.name

    def place_under(self, parent: "Unit | None") -> None:
        """Set parent, path and depth of a unit that has its id (after a flush)."""
        self.parent = parent
        self.path = (parent.path if parent else "/") + f"{self.id}/"
        self.depth = parent.depth + 1 if parent else 0

    def subtree_query(self):
        return select(Unit).where(Unit.path.startswith(self.path))

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r} {self.path}>"
