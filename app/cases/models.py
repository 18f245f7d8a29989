from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

CASE_KINDS = ("deviation", "lex_sarah", "complaint")


class Category(db.Model):
    """One entry of a kind's category list. The lists are data an admin edits, not code.

    A category is deactivated rather than deleted, so that old cases and the
    statistics of earlier years keep their words.
    """

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_categories_kind_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
